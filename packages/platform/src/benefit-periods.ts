/**
 * Benefit periods (standard 1.2; docs/platform.md "Benefit periods / 待遇期"): the region paying
 * unemployment benefit reports the period (unemployment.benefit-started, -ended), the region
 * paying a basic pension reports it (pension.benefit-drawn, -ended: death, transfer,
 * termination); an admin.close of a period case ends the period on its closedOn date too
 * (nothing can follow it in the case). When the platform then learns of
 * the same person in another region —
 * - an enrollment (enrollment.registered, or enrollment.changed back to active) as an employee or
 *   flexibly employed person during an unemployment-benefit period: it sends
 *   unemployment.benefit-stop-notice to the paying institution (失业保险条例 art. 15), opening an
 *   unemployment-transfer case whose acknowledgement step has its deadline in the catalogue;
 * - a pension enrollment or a pension transfer application while a pension is drawn: it sends
 *   duplicate-registration.notice to both institutions (one pension only, 人社部发〔2010〕70号):
 *   the catalogue's duplicate-registration case, whose resolution says which is kept — for an
 *   enrollment or application from a month on or before the pension's end, when it has one.
 * Each notice once per period and region (benefit_notices). Runs in the accepting transaction.
 */
import { createHash } from 'node:crypto';
import { platformEnvelope, storePlatformMessage } from './platform-messages.ts';
import { messageName } from './catalogue.ts';
import type { Queryable } from './db.ts';
import { PLATFORM_ID, type Envelope, type PlatformContext } from './message-types.ts';
import type { PensionGuard } from './store.ts';
import { chinaDate } from './time.ts';

/** Messages that record a benefit period (sent to the platform). */
const PERIOD_MESSAGES = new Set(['unemployment.benefit-started', 'unemployment.benefit-ended', 'pension.benefit-drawn', 'pension.benefit-ended']);
/** Messages that end a period (its case): the date they give. */
const PERIOD_ENDS: Record<string, (data: Record<string, any>) => string> = {
  'unemployment.benefit-ended': (data) => data.endedOn,
  'pension.benefit-ended': (data) => data.endedOn,
  'admin.close': (data) => data.closedOn,
};
/** The case types a benefit period opens. */
const PERIOD_CASE_TYPES = new Set(['unemployment-benefit', 'pension-benefit']);
/** Schemes whose enrollment is a pension enrollment. */
const PENSION_SCHEMES = new Set(['110', '120', '170']);
/** Resident schemes: enrolling in them is no employment. */
const RESIDENT_SCHEMES = new Set(['170', '390']);

interface Person {
  id: string;
  name?: string;
  [k: string]: unknown;
}

/** Whether the platform must look at this message in the accepting transaction. */
export function needsBenefitProcessing(env: Envelope): boolean {
  const name = messageName(env.type) ?? '';
  if (PERIOD_MESSAGES.has(name)) return env.receivers.includes(PLATFORM_ID);
  if (name === 'admin.close') return PERIOD_CASE_TYPES.has(env.casetype) && env.receivers.includes(PLATFORM_ID);
  if (name === 'pension.transfer-application') return true; // the platform routes it, whoever receives it
  return (name === 'enrollment.registered' || name === 'enrollment.changed') && env.receivers.includes(PLATFORM_ID);
}

/**
 * A message whose only benefit processing is the pension check of a transfer application
 * (the usual case: nobody draws a pension elsewhere) need not take a transaction: the store
 * checks, under the audit chain head, that the person draws no pension in another region
 * (the same condition as pensionNotices) and writes nothing when one does — the caller then
 * takes the transactional path. Undefined: the message needs the transaction anyway.
 */
export function pensionGuard(env: Envelope): PensionGuard | undefined {
  if (messageName(env.type) !== 'pension.transfer-application') return undefined;
  const data = env.data as Record<string, any>;
  return { person: (data.person as Person).id, region: data.toRegion, since: data.applicationDate.slice(0, 7) };
}

/**
 * The advisory lock processBenefitPeriods needs, held by the caller (person-locks.ts): one
 * person at a time, so a benefit start and an enrollment elsewhere arriving together see each
 * other. (A message ending a period names its case, not always the person: it locks itself.)
 */
export function benefitLockKeys(env: Envelope): string[] {
  if (!needsBenefitProcessing(env) || (messageName(env.type) ?? '') in PERIOD_ENDS) return [];
  return [`benefit|${(env.data as { person: Person }).person.id}`];
}

/** Records what a benefit-period message says, or checks an enrollment/application against the periods; returns the ids of the notices sent. The caller holds the locks of benefitLockKeys(env). */
export async function processBenefitPeriods(q: Queryable, ctx: PlatformContext, env: Envelope, seq: string, at: Date): Promise<string[]> {
  if (!needsBenefitProcessing(env)) return [];
  const name = messageName(env.type)!;
  const data = env.data as Record<string, any>;
  if (name in PERIOD_ENDS) {
    const [period] = await q.query(`SELECT person_id FROM benefit_periods WHERE case_id = $1`, [env.caseid]);
    if (!period) return [];
    // under the person's lock, like every benefit message; an ended period keeps its first end (a close after benefit-ended changes nothing)
    await q.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`benefit|${period.person_id}`]);
    await q.query(`UPDATE benefit_periods SET ended_on = $2, updated_at = $3 WHERE case_id = $1 AND ended_on IS NULL`, [env.caseid, PERIOD_ENDS[name]!(data), at]);
    return [];
  }
  const person = data.person as Person;
  if (name === 'unemployment.benefit-started' || name === 'pension.benefit-drawn') {
    const unemployment = name === 'unemployment.benefit-started';
    await q.query(
      `INSERT INTO benefit_periods (case_id, kind, person_id, person, scheme, region, institution_id, starts_on, expected_end_on, message_seq, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (case_id) DO NOTHING`,
      [env.caseid, unemployment ? 'unemployment' : 'pension', person.id, personOf(person), unemployment ? '210' : data.scheme, data.payingRegion, data.payingInstitution,
        unemployment ? data.startsOn : data.drawnSince, unemployment ? data.expectedEndOn : null, seq, at],
    );
    return noticesForNewPeriod(q, ctx, env, seq, at);
  }
  if (name === 'pension.transfer-application') {
    const guard = pensionGuard(env)!;
    return pensionNotices(q, ctx, env, await periodsElsewhere(q, guard.person, guard.region), seq, at, { region: guard.region, institution: env.sender === PLATFORM_ID ? env.receivers[0]! : env.sender, since: guard.since, scheme: data.scheme, evidence: 'pension.transfer-application' });
  }
  // enrollment.registered / enrollment.changed
  if (data.status !== 'active') return [];
  const enrolled: Enrolled = { region: data.region, institution: env.sender, since: data.effectiveMonth, on: data.registeredOn ?? data.changedOn, scheme: data.scheme, category: data.category, employer: data.employer, evidence: name };
  const periods = await periodsElsewhere(q, person.id, enrolled.region);
  const sent = await stopNotices(q, ctx, env, periods, seq, at, enrolled);
  if (PENSION_SCHEMES.has(data.scheme)) sent.push(...(await pensionNotices(q, ctx, env, periods, seq, at, enrolled)));
  return sent;
}

/** The message a notice rests on: named in its note, its version a fallback for the notice's. */
interface Cause {
  source: string;
  id: string;
  standardversion: string;
}

/** A period reported after the enrollment elsewhere: the active enrollments the platform already knows are checked against it. */
async function noticesForNewPeriod(q: Queryable, ctx: PlatformContext, env: Envelope, seq: string, at: Date): Promise<string[]> {
  const personId = (env.data as { person: Person }).person.id;
  const rows = await q.query(
    `SELECT e.region, e.institution_id, e.scheme, e.since, m.source, m.id, m.envelope->>'standardversion' AS standardversion, m.envelope->'data'->>'category' AS category, m.envelope->'data'->'employer' AS employer, COALESCE(m.envelope->'data'->>'registeredOn', m.envelope->'data'->>'changedOn') AS "on", m.type
       FROM enrollments e JOIN messages m ON m.seq = e.message_seq
      WHERE e.person_id = $1 AND e.status = 'active' AND e.since IS NOT NULL ORDER BY e.updated_at, e.region, e.scheme`,
    [personId],
  );
  const sent: string[] = [];
  for (const r of rows) {
    const cause: Cause = { source: r.source, id: r.id, standardversion: r.standardversion };
    const e: Enrolled = { region: r.region, institution: r.institution_id, since: r.since, on: r.on ?? undefined, scheme: r.scheme, category: r.category ?? undefined, employer: r.employer ?? undefined, evidence: messageName(r.type) ?? 'enrollment' };
    const periods = await periodsElsewhere(q, personId, e.region);
    sent.push(...(await stopNotices(q, ctx, cause, periods, seq, at, e)));
    if (PENSION_SCHEMES.has(r.scheme)) sent.push(...(await pensionNotices(q, ctx, cause, periods, seq, at, e)));
  }
  return sent;
}

interface Enrolled {
  region: string;
  institution: string;
  /** YYYY-MM: the first month insured there. */
  since: string;
  /** YYYY-MM-DD: the day registered (or changed back to active), when the message says. */
  on?: string;
  scheme: string;
  category?: string;
  employer?: unknown;
  /** The message that says so. */
  evidence: string;
}

interface PeriodRow {
  case_id: string;
  kind: 'unemployment' | 'pension';
  person: Person;
  scheme: string;
  region: string;
  institution_id: string;
  starts_on: string;
  expected_end_on: string | null;
  ended_on: string | null;
}

const PERIOD_COLUMNS = `case_id, kind, person, scheme, region, institution_id, starts_on::text AS starts_on, expected_end_on::text AS expected_end_on, ended_on::text AS ended_on`;

/** Every benefit period of the person paid in another region than `region`, oldest first: one query for both kinds. */
async function periodsElsewhere(q: Queryable, personId: string, region: string): Promise<PeriodRow[]> {
  return (await q.query(`SELECT ${PERIOD_COLUMNS} FROM benefit_periods WHERE person_id = $1 AND region <> $2 ORDER BY starts_on, case_id`, [personId, region])) as PeriodRow[];
}

/** Re-employment: an employee or flexible enrollment in a non-resident scheme, elsewhere, starting within an unemployment-benefit period. */
async function stopNotices(q: Queryable, ctx: PlatformContext, env: Cause, all: PeriodRow[], seq: string, at: Date, e: Enrolled): Promise<string[]> {
  if (e.category === 'resident' || RESIDENT_SCHEMES.has(e.scheme)) return [];
  const first = `${e.since}-01`;
  // unemployment periods that began by the enrollment's month and had not ended before it began
  const periods = all.filter((p) => {
    const end = p.ended_on ?? p.expected_end_on;
    return p.kind === 'unemployment' && p.starts_on.slice(0, 7) <= e.since && end !== null && end >= first;
  });
  const sent: string[] = [];
  for (const p of periods) {
    const id = await once(q, p, e.region, seq, at, async (caseId, ref) => {
      const issuedOn = chinaDate(at);
      const data = {
        noticeNo: `PLATFORM-STOP-${ref.slice(0, 12).toUpperCase()}`,
        issuedOn,
        person: p.person,
        payingRegion: p.region,
        reemployedRegion: e.region,
        reemployedSince: laterOf(e.on ?? first, p.starts_on),
        evidence: 'enrollment-registered',
        ...(isEmployer(e.employer) ? { employer: e.employer } : {}),
        stopFromMonth: e.since < p.starts_on.slice(0, 7) ? p.starts_on.slice(0, 7) : e.since,
        note: `依据：${e.evidence}（${senderOf(env)} 的消息 ${env.id}，险种 ${e.scheme}，${e.since} 起在 ${e.region} 参保）；本人在 ${p.region} 领取失业保险金（案件 ${p.case_id}，${p.starts_on} 起，预计至 ${p.ended_on ?? p.expected_end_on}）。请停发并回执（admin.acknowledge）。`,
      };
      return platformMessage(q, ctx, 'unemployment.benefit-stop-notice', caseId, 'unemployment-transfer', [p.institution_id], env, at, data);
    });
    if (id) sent.push(id);
  }
  return sent;
}

/** A second pension: a pension enrollment or transfer application elsewhere while a pension is drawn. */
async function pensionNotices(q: Queryable, ctx: PlatformContext, env: Cause, all: PeriodRow[], seq: string, at: Date, e: Enrolled): Promise<string[]> {
  // pensions drawn since the month of the enrollment or application, or before it, and not ended before that month
  const periods = all.filter((p) => p.kind === 'pension' && p.starts_on.slice(0, 7) <= e.since && (p.ended_on === null || p.ended_on.slice(0, 7) >= e.since));
  const sent: string[] = [];
  for (const p of periods) {
    const id = await once(q, p, e.region, seq, at, async (caseId) => {
      const data = {
        detectedOn: chinaDate(at),
        person: p.person,
        scheme: p.scheme,
        registrations: [
          { region: p.region, institution: p.institution_id, since: p.starts_on.slice(0, 7) },
          { region: e.region, institution: e.institution, since: e.since },
        ],
        proposedKeptRegion: p.region,
        note: `本人自 ${p.starts_on} 起在 ${p.region} 领取基本养老金（险种 ${p.scheme}，案件 ${p.case_id}），又在 ${e.region} 出现 ${e.evidence}（${senderOf(env)} 的消息 ${env.id}，险种 ${e.scheme}）：只能领取一份基本养老金，请核实并清理（duplicate-registration.resolution）。`,
      };
      return platformMessage(q, ctx, 'duplicate-registration.notice', caseId, 'duplicate-registration', [p.institution_id, e.institution].filter((x, i, a) => a.indexOf(x) === i), env, at, data);
    });
    if (id) sent.push(id);
  }
  return sent;
}

/** Sends one notice per period and region (`seq`: the message that caused it): `send` runs only the first time. */
async function once(q: Queryable, p: PeriodRow, region: string, seq: string, at: Date, send: (caseId: string, ref: string) => Promise<string>): Promise<string | undefined> {
  const ref = createHash('sha256').update(`${p.case_id}|${region}`).digest('hex').slice(0, 20);
  const caseId = `${PLATFORM_ID}:${p.kind === 'unemployment' ? 'STOP' : 'DUPP'}-${ref}`;
  const fresh = await q.query(
    `INSERT INTO benefit_notices (period_case_id, region, notice_case_id, message_seq, noticed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING region`,
    [p.case_id, region, caseId, seq, at],
  );
  if (!fresh.length) return undefined;
  return send(caseId, ref);
}

/**
 * A platform message in a version its receivers read: the first receiver's declared version when
 * the platform's validator accepts it, else the version of the message that caused it.
 */
async function platformMessage(q: Queryable, ctx: PlatformContext, message: string, caseId: string, caseType: string, receivers: string[], cause: Cause, at: Date, data: Record<string, unknown>): Promise<string> {
  const [row] = await q.query(`SELECT standard_version FROM institutions WHERE id = $1`, [receivers[0]]);
  const versions = [...new Set([row?.standard_version as string | undefined, cause.standardversion].filter((v): v is string => typeof v === 'string'))];
  let envelope = platformEnvelope(message, caseId, caseType, versions[0]!, receivers, at, { data });
  for (const v of versions) {
    const candidate = platformEnvelope(message, caseId, caseType, v, receivers, at, { data });
    if (ctx.validate(candidate).valid) {
      envelope = candidate;
      break;
    }
  }
  await storePlatformMessage(q, ctx, envelope);
  return envelope.id;
}

function laterOf(a: string, b: string): string {
  return a < b ? b : a;
}

/** The institution a message came from (its source without the URN prefix). */
function senderOf(c: Cause): string {
  return c.source.replace(/^urn:jiexu:institution:/, '');
}

function personOf(p: Person): Person {
  return { id: p.id, ...(typeof p.name === 'string' ? { name: p.name } : {}), ...(typeof p.damagedName === 'string' ? { damagedName: p.damagedName } : {}) };
}

function isEmployer(v: unknown): v is { id: string } {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';
}
