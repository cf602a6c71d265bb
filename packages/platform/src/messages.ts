/**
 * Accepting a transfer message: authorisation, validation against the standard,
 * idempotency on source + id, the fit with its case (catalogue), and — in one
 * transaction — the message row, one inbox row per receiver, the webhook outbox rows,
 * the case's new state and the audit entry.
 */
import { addWorkingDays } from '@jiexu/rules';
import { makeReport, type Issue, type Report } from '@jiexu/standard';
import { contentHash } from './canonical-json.ts';
import { awaitedSteps, caseType, isFinal, messageName, type Catalogue, type CaseType, type Role, type Step } from './catalogue.ts';
import type { Db, Queryable } from './db.ts';
import { chinaDate, dateOf } from './time.ts';
import type { Validator } from './validation.ts';
import { processEnrollment } from './duplicates.ts';

/** The platform's own id: sender of the messages it generates (reminders, duplicate notices), receiver of enrollment notices. */
export const PLATFORM_ID = '100000-platform';
export const PLATFORM_SOURCE = `urn:jiexu:institution:${PLATFORM_ID}`;

export interface Envelope {
  specversion: string;
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  dataschema?: string;
  datacontenttype?: string;
  sender: string;
  receivers: string[];
  caseid: string;
  casetype: string;
  caseversion: string;
  inreplyto?: string;
  standardversion: string;
  data: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface Acceptance {
  id: string;
  source: string;
  caseId: string;
  status: 'accepted';
  receivedAt: string;
}

export interface PlatformContext {
  db: Db;
  catalogue: Catalogue;
  validate: Validator;
  now: () => Date;
  /** Called after a transaction that stored messages commits (wakes the webhook worker). */
  onDelivered?: () => void;
}

/** A message the platform refuses, with its HTTP status and Problem body. */
export class Rejection extends Error {
  constructor(
    readonly status: 403 | 409 | 422,
    readonly error: string,
    message: string,
    readonly report?: Report,
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

function caseIssue(code: string, pointer: string, en: string, zh: string): Issue {
  return { severity: 'error', code, pointer, message: { en, zh } };
}

function mismatch(issues: Issue[]): Rejection {
  return new Rejection(422, 'case-mismatch', issues.map((i) => i.message.en).join('; '), makeReport(issues));
}

/** Accepts one envelope from the authenticated institution; 202 the first time, 200 for an identical replay. */
export async function acceptMessage(ctx: PlatformContext, institutionId: string, body: unknown): Promise<{ status: 200 | 202; acceptance: Acceptance }> {
  const env = body as Partial<Envelope> | null;
  if (env && typeof env === 'object' && !Array.isArray(env)) {
    if (env.sender !== undefined && env.sender !== institutionId) {
      throw new Rejection(403, 'sender-mismatch', `sender ${JSON.stringify(env.sender)} is not the authenticated institution ${institutionId}`);
    }
    if (env.source !== undefined && env.source !== `urn:jiexu:institution:${institutionId}`) {
      throw new Rejection(403, 'sender-mismatch', `source ${JSON.stringify(env.source)} is not urn:jiexu:institution:${institutionId}`);
    }
  }
  const report = ctx.validate(body);
  if (!report.valid) throw new Rejection(422, 'invalid-message', `the message does not conform to the standard (${report.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length} error(s))`, report);
  const envelope = body as Envelope;
  if (envelope.sender !== institutionId) throw new Rejection(403, 'sender-mismatch', `sender must be ${institutionId}`);
  const hash = contentHash(envelope);
  const result = await ctx.db.tx(async (q) => {
    const prior = await replayOf(q, envelope, hash);
    if (prior) return { status: 200 as const, acceptance: prior };
    const stored = await storeMessage(q, ctx, envelope, hash);
    if ('replay' in stored) return { status: 200 as const, acceptance: stored.replay };
    await processEnrollment(q, ctx, envelope, stored.seq, stored.receivedAt);
    await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, $2, 'message.accept', $3, $4)`, [
      stored.receivedAt,
      institutionId,
      `${envelope.source}#${envelope.id}`,
      { type: envelope.type, caseId: envelope.caseid, receivers: envelope.receivers, seq: stored.seq },
    ]);
    return { status: 202 as const, acceptance: acceptanceOf(envelope, stored.receivedAt) };
  });
  if (result.status === 202) ctx.onDelivered?.();
  return result;
}

function acceptanceOf(env: { id: string; source: string; caseid: string }, receivedAt: Date): Acceptance {
  return { id: env.id, source: env.source, caseId: env.caseid, status: 'accepted', receivedAt: receivedAt.toISOString() };
}

/** The original acceptance when source + id was seen with the same content; 409 when with different content. */
async function replayOf(q: Queryable, env: Envelope, hash: string): Promise<Acceptance | undefined> {
  const rows = await q.query(`SELECT body_hash, case_id, received_at FROM messages WHERE source = $1 AND id = $2`, [env.source, env.id]);
  if (!rows.length) return undefined;
  if (rows[0].body_hash !== hash) {
    throw new Rejection(409, 'idempotency-conflict', `message ${env.id} from ${env.source} was already accepted with a different body; use a new id for a new message`);
  }
  return acceptanceOf({ id: env.id, source: env.source, caseid: rows[0].case_id }, rows[0].received_at);
}

interface CaseRow {
  case_id: string;
  case_type: string;
  standard_version: string;
  state: string;
  closed: boolean;
  roles: Record<string, Role>;
}

/**
 * Stores a message that passed validation (from an institution or generated by the
 * platform) inside the caller's transaction: case fit, message row, inbox + outbox rows,
 * case update. Returns the replay when a concurrent request stored the same key first.
 */
export async function storeMessage(
  q: Queryable,
  ctx: Pick<PlatformContext, 'catalogue' | 'now'>,
  env: Envelope,
  hash: string = contentHash(env),
): Promise<{ seq: string; receivedAt: Date } | { replay: Acceptance }> {
  const receivedAt = ctx.now();
  const name = messageName(env.type);
  const type = caseType(ctx.catalogue, env.casetype);
  if (!name) throw mismatch([caseIssue('case-unknown-message', '/type', `message type ${env.type} is not of the form cn.jiexu.<message>.v<major>`, `消息类型 ${env.type} 格式不正确`)]);
  if (!type) throw mismatch([caseIssue('case-unknown-type', '/casetype', `case type ${env.casetype} is not in the catalogue`, `业务类型 ${env.casetype} 不在目录中`)]);

  await checkReceiversKnown(q, env);
  const existing = (await q.query(`SELECT case_id, case_type, standard_version, state, closed, roles FROM cases WHERE case_id = $1 FOR UPDATE`, [env.caseid]))[0] as CaseRow | undefined;
  // an identical request may have committed since our first look: judged against the case it
  // changed, it would not fit; it is a replay
  const committedMeanwhile = await replayOf(q, env, hash);
  if (committedMeanwhile) return { replay: committedMeanwhile };
  const fit = existing ? await fitExisting(q, ctx.catalogue, type, existing, env, name) : fitOpening(type, env, name);

  const inserted = await q.query(
    `INSERT INTO messages (source, id, body_hash, type, sender, receivers, case_id, in_reply_to, state_before, state_after, envelope, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (source, id) DO NOTHING RETURNING seq::text AS seq`,
    [env.source, env.id, hash, env.type, env.sender, env.receivers, env.caseid, env.inreplyto ?? null, existing?.state ?? null, fit.stateAfter, env, receivedAt],
  );
  if (!inserted.length) {
    // a concurrent request with the same source + id committed first (we waited on its row)
    const replay = await replayOf(q, env, hash);
    if (replay) return { replay };
    throw new Error(`message ${env.source}#${env.id} vanished during insert`);
  }
  const seq = inserted[0].seq as string;

  if (!existing) {
    const created = await q.query(
      `INSERT INTO cases (case_id, case_type, standard_version, state, closed, roles, opened_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (case_id) DO NOTHING RETURNING case_id`,
      [env.caseid, type.code, env.caseversion, fit.stateAfter, isFinal(type, fit.stateAfter), fit.roles, receivedAt],
    );
    if (!created.length) throw new Rejection(409, 'case-conflict', `case ${env.caseid} was opened concurrently by another message; send this one again`);
  } else {
    await q.query(`UPDATE cases SET state = $2, closed = $3, roles = $4, updated_at = $5 WHERE case_id = $1`, [
      env.caseid,
      fit.stateAfter,
      fit.closed || isFinal(type, fit.stateAfter),
      fit.roles,
      receivedAt,
    ]);
  }
  if (!existing || fit.stateAfter !== existing.state || fit.closed) await recomputeStep(q, type, env.caseid, receivedAt);

  await deliver(q, seq, env.receivers, receivedAt);
  return { seq, receivedAt };
}

async function checkReceiversKnown(q: Queryable, env: Envelope): Promise<void> {
  const wanted = env.receivers.filter((r) => r !== PLATFORM_ID);
  const rows = await q.query(`SELECT id FROM institutions WHERE id = ANY($1)`, [wanted]);
  const known = new Set(rows.map((r) => r.id as string));
  const unknown = wanted.filter((r) => !known.has(r));
  if (unknown.length) {
    throw mismatch(unknown.map((r) => caseIssue('unknown-receiver', `/receivers/${env.receivers.indexOf(r)}`, `receiver ${r} is not in the institution directory`, `接收机构 ${r} 不在机构目录中`)));
  }
}

interface Fit {
  stateAfter: string;
  roles: Record<string, Role>;
  closed: boolean;
}

/** The role of an institution when it sends `step`: the platform is `platform`, others the first non-platform role allowed. */
function senderRoleFor(sender: string, from: Role[]): Role | undefined {
  if (sender === PLATFORM_ID) return from.includes('platform') ? 'platform' : undefined;
  return from.find((r) => r !== 'platform');
}

function fitOpening(type: CaseType, env: Envelope, name: string): Fit {
  const step = type.steps.find((s) => s.message === name && s.opens);
  if (!step) {
    throw mismatch([caseIssue('case-not-found', '/caseid', `case ${env.caseid} does not exist, and ${name} cannot open a ${type.code} case (opened by ${type.opens.join(', ')})`, `案件 ${env.caseid} 不存在，且 ${name} 不能开启 ${type.code} 类案件`)]);
  }
  const issues: Issue[] = [];
  const owner = env.caseid.split(':')[0];
  if (owner !== env.sender) issues.push(caseIssue('case-id-not-owned', '/caseid', `a case opened by ${env.sender} must have an id starting with "${env.sender}:"`, `由 ${env.sender} 开启的案件编号必须以 "${env.sender}:" 开头`));
  const senderRole = senderRoleFor(env.sender, step.from);
  if (!senderRole) issues.push(caseIssue('case-wrong-sender', '/sender', `${name} is sent by ${step.from.join(' or ')}, not by ${env.sender}`, `${name} 应由 ${step.from.join('或')} 发送`));
  const roles: Record<string, Role> = {};
  if (senderRole) roles[env.sender] = senderRole;
  const open = (step.to ?? []).filter((r) => r !== senderRole && r !== 'platform');
  let next = 0;
  env.receivers.forEach((receiver, i) => {
    if (receiver === env.sender) return;
    if (receiver === PLATFORM_ID) {
      if (!(step.to ?? []).includes('platform')) issues.push(caseIssue('case-wrong-receiver', `/receivers/${i}`, `${name} is not sent to the platform`, `${name} 不发送给平台`));
      roles[receiver] = 'platform';
      return;
    }
    const role = open[next++];
    if (!role) issues.push(caseIssue('case-wrong-receiver', `/receivers/${i}`, `${name} goes to ${(step.to ?? []).join(', ')}; receiver ${receiver} has no role left`, `${name} 的接收方角色为 ${(step.to ?? []).join('、')}，${receiver} 无对应角色`));
    else roles[receiver] = role;
  });
  if (issues.length) throw mismatch(issues);
  return { stateAfter: step.toState ?? type.states[0].code, roles, closed: false };
}

async function fitExisting(q: Queryable, cat: Catalogue, type: CaseType, c: CaseRow, env: Envelope, name: string): Promise<Fit> {
  if (c.case_type !== env.casetype) {
    throw mismatch([caseIssue('case-type-mismatch', '/casetype', `case ${c.case_id} is a ${c.case_type} case, not ${env.casetype}`, `案件 ${c.case_id} 的业务类型是 ${c.case_type}`)]);
  }
  if (c.standard_version !== env.caseversion) {
    throw new Rejection(409, 'case-conflict', `case ${c.case_id} started with standard ${c.standard_version}; caseversion must stay ${c.standard_version}, not ${env.caseversion}`);
  }
  if (c.closed) throw new Rejection(409, 'case-conflict', `case ${c.case_id} is ${c.state} (final): it accepts no further message`);
  const roles = { ...c.roles };
  // the platform takes part in every case (reminders, notices, closing)
  const senderRole = roles[env.sender] ?? (env.sender === PLATFORM_ID ? 'platform' : undefined);
  if (!senderRole) throw mismatch([caseIssue('case-not-party', '/sender', `${env.sender} is not party to case ${c.case_id}`, `${env.sender} 不是案件 ${c.case_id} 的当事方`)]);
  const replied = env.inreplyto ? (await q.query(`SELECT source, sender, type, state_before FROM messages WHERE case_id = $1 AND id = $2 ORDER BY seq DESC LIMIT 1`, [c.case_id, env.inreplyto]))[0] : undefined;

  const reasons: Issue[] = [];
  const steps = type.steps.filter((s) => s.message === name && !(s.opens && !s.inStates));
  for (const step of steps) {
    const why = stepMisfit(step, c, senderRole, replied, env);
    if (!why) {
      const receiverIssues = bindReceivers(roles, env, step.to);
      if (receiverIssues.length) throw mismatch(receiverIssues);
      return { stateAfter: step.toState ?? c.state, roles, closed: false };
    }
    reasons.push(why);
  }
  const adminEntry = type.administrative?.find((a) => a.message === name);
  const admin = cat.administrative.find((a) => a.message === name);
  if (adminEntry && admin) {
    const issues: Issue[] = [];
    if (!adminEntry.from.includes(senderRole)) issues.push(caseIssue('case-wrong-sender', '/sender', `${name} in a ${type.code} case is sent by ${adminEntry.from.join(' or ')}, not by the ${senderRole} (${env.sender})`, `${name} 应由 ${adminEntry.from.join('或')} 发送`));
    if (admin.answers !== 'none') {
      if (!replied) issues.push(caseIssue('case-reply-missing', '/inreplyto', `${name} must name in inreplyto a message of case ${c.case_id}`, `${name} 必须在 inreplyto 中指明本案件的一条消息`));
      else if (admin.answers === 'own' && replied.sender !== env.sender) issues.push(caseIssue('case-reply-not-own', '/inreplyto', `${name} can only answer a message its sender sent`, `${name} 只能针对本机构发送的消息`));
    }
    issues.push(...bindReceivers(roles, env, undefined));
    if (issues.length) throw mismatch(issues);
    if (admin.effect === 'close') return { stateAfter: type.states.some((s) => s.code === 'closed') ? 'closed' : c.state, roles, closed: true };
    if (admin.effect === 'revert') return { stateAfter: (replied!.state_before as string | null) ?? c.state, roles, closed: false };
    return { stateAfter: c.state, roles, closed: false };
  }
  if (!steps.length) reasons.push(caseIssue('case-message-not-allowed', '/type', `${name} is not a message of a ${type.code} case`, `${name} 不属于 ${type.code} 类案件`));
  throw mismatch(reasons);
}

function stepMisfit(step: Step, c: CaseRow, senderRole: Role, replied: Record<string, any> | undefined, env: Envelope): Issue | undefined {
  if (!step.inStates?.includes(c.state)) {
    return caseIssue('case-wrong-state', '/type', `${step.message} is allowed when the case is ${step.inStates?.join(' or ')}; case ${c.case_id} is ${c.state}`, `${step.message} 仅在案件处于 ${step.inStates?.join('或')} 时允许；案件当前为 ${c.state}`);
  }
  if (!step.from.includes(senderRole)) {
    return caseIssue('case-wrong-sender', '/sender', `${step.message} is sent by ${step.from.join(' or ')}, not by the ${senderRole} (${env.sender})`, `${step.message} 应由 ${step.from.join('或')} 发送`);
  }
  if (step.answers?.length) {
    if (!replied) return caseIssue('case-reply-missing', '/inreplyto', `${step.message} answers ${step.answers.join(' or ')}: inreplyto must name that message of case ${c.case_id}`, `${step.message} 须在 inreplyto 中指明所答复的 ${step.answers.join('或')}`);
    if (!step.answers.includes(messageName(replied.type) ?? '')) {
      return caseIssue('case-reply-mismatch', '/inreplyto', `${step.message} answers ${step.answers.join(' or ')}, but ${env.inreplyto} is a ${messageName(replied.type)}`, `${step.message} 应答复 ${step.answers.join('或')}`);
    }
  }
  return undefined;
}

/** Every receiver must be party to the case, or take a role of `to` not yet held. Mutates roles. */
function bindReceivers(roles: Record<string, Role>, env: Envelope, to: Role[] | undefined): Issue[] {
  const issues: Issue[] = [];
  const held = new Set(Object.values(roles));
  env.receivers.forEach((receiver, i) => {
    const role = roles[receiver] ?? (receiver === PLATFORM_ID ? 'platform' : undefined);
    if (role) {
      if (to && !to.includes(role)) issues.push(caseIssue('case-wrong-receiver', `/receivers/${i}`, `this message goes to ${to.join(', ')}; ${receiver} is the ${role}`, `该消息应发送给 ${to.join('、')}；${receiver} 是 ${role}`));
      return;
    }
    const free = (to ?? []).find((r) => !held.has(r) && r !== 'platform');
    if (!free) {
      issues.push(caseIssue('case-not-party', `/receivers/${i}`, `receiver ${receiver} is not party to case ${env.caseid}`, `接收机构 ${receiver} 不是案件 ${env.caseid} 的当事方`));
      return;
    }
    roles[receiver] = free;
    held.add(free);
  });
  return issues;
}

/** Sets the case's current step from the catalogue: what it waits for, from whom, by when. */
export async function recomputeStep(q: Queryable, type: CaseType, caseId: string, at: Date): Promise<void> {
  const c = (await q.query(`SELECT state, closed, roles FROM cases WHERE case_id = $1`, [caseId]))[0];
  const steps = c.closed ? [] : awaitedSteps(type, c.state);
  if (!steps.length) {
    await q.query(
      `UPDATE cases SET step_name = NULL, step_after_id = NULL, step_after_source = NULL, step_awaiting = NULL, step_expects = NULL, step_started_at = NULL,
         step_working_days = NULL, step_deadline = NULL, step_deadline_estimated = NULL, step_reminded_at = NULL WHERE case_id = $1`,
      [caseId],
    );
    return;
  }
  let best: { deadline: string; estimated: boolean; step: Step; start: Record<string, any> | undefined } | undefined;
  for (const step of steps) {
    const d = step.deadline!;
    const start = (await q.query(
      `SELECT id, source, envelope, received_at FROM messages WHERE case_id = $1 AND type LIKE $2 ORDER BY seq DESC LIMIT 1`,
      [caseId, `cn.jiexu.${d.startsAt.message}.v%`],
    ))[0];
    const startDate = (d.startsAt.field && start ? dateOf(pointerGet(start.envelope.data, d.startsAt.field)) : undefined) ?? chinaDate(start?.received_at ?? at);
    const due = addWorkingDays(startDate, d.workingDays);
    if (!best || due.date < best.deadline) best = { deadline: due.date, estimated: due.estimated, step, start };
  }
  const roles = c.roles as Record<string, Role>;
  const expects = steps.filter((s) => s.deadline!.workingDays === best!.step.deadline!.workingDays).map((s) => s.message);
  const awaitingRoles = new Set(steps.filter((s) => expects.includes(s.message)).flatMap((s) => s.from));
  const awaiting = Object.entries(roles).filter(([, role]) => awaitingRoles.has(role) && role !== 'platform').map(([id]) => id).sort();
  await q.query(
    `UPDATE cases SET step_name = $2, step_after_id = $3, step_after_source = $4, step_awaiting = $5, step_expects = $6, step_started_at = $7,
       step_working_days = $8, step_deadline = $9, step_deadline_estimated = $10, step_reminded_at = NULL WHERE case_id = $1`,
    [caseId, `${c.state}: ${expects.join(' | ')}`, best!.start?.id ?? null, best!.start?.source ?? null, awaiting, expects, best!.start?.received_at ?? at, best!.step.deadline!.workingDays, best!.deadline, best!.estimated],
  );
}

function pointerGet(doc: unknown, pointer: string): unknown {
  let cur: any = doc;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/**
 * One inbox row per receiver (the platform consumes its own messages in process), with
 * a per-inbox cursor taken under the inbox_state row lock, and a webhook outbox row when
 * the receiver has a webhook. Receivers are locked in id order so concurrent deliveries
 * cannot deadlock.
 */
export async function deliver(q: Queryable, seq: string, receivers: string[], at: Date): Promise<void> {
  for (const receiver of [...new Set(receivers)].filter((r) => r !== PLATFORM_ID).sort()) {
    const cursor = (await q.query(`UPDATE inbox_state SET last_cursor = last_cursor + 1 WHERE institution_id = $1 RETURNING last_cursor::text AS cursor`, [receiver]))[0]?.cursor;
    if (!cursor) throw new Error(`no inbox for ${receiver}`);
    await q.query(`INSERT INTO inbox (institution_id, cursor, message_seq, delivered_at) VALUES ($1, $2, $3, $4)`, [receiver, cursor, seq, at]);
    await q.query(
      `INSERT INTO outbox (institution_id, cursor, url, next_attempt_at)
       SELECT id, $2, webhook_url, $3 FROM institutions WHERE id = $1 AND webhook_url IS NOT NULL`,
      [receiver, cursor, at],
    );
  }
}
