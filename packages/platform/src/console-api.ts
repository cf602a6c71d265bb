/**
 * The console's read-only API under /v1/console/ (docs/console.md, openapi.yaml): signing in
 * with a signed challenge (console-sessions.ts), then cases by state and step, overdue steps,
 * a case's timeline and audit trail, the directory with connected prefectures per province,
 * and transfers per region and year. Authorised by the session cookie, not by signed
 * requests: an institution sees only the cases it is party to, the operator every case;
 * personal identifiers are masked unless the case is the viewer's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isWorkingDay } from '@jiexu/rules';
import { caseStateLabel, caseTypeLabel, codeLabel, codeList, regionName, roleLabel } from '@jiexu/standard';
import { readAudit } from './audit.ts';
import { workingDaysBetween } from './cases.ts';
import { endSession, issueChallenge, sessionCookie, sessionFor, sessionToken, signIn, SignInError, type SessionInfo, type Viewer } from './console-sessions.ts';
import { listInstitutions } from './directory.ts';
import { maskIdentifiers } from './mask.ts';
import { PLATFORM_ID, type PlatformContext } from './messages.ts';
import { transferStatistics } from './statistics.ts';
import { chinaDate } from './time.ts';

export const CONSOLE_API_PREFIX = '/v1/console/';

interface Label {
  zh: string;
  en: string;
}

const label = (zh: string | undefined, en: string | undefined, fallback: string): Label => ({ zh: zh ?? fallback, en: en ?? fallback });
const messageName = (type: string) => type.replace(/^cn\.jiexu\./, '').replace(/\.v[0-9]+$/, '');
const messageLabel = (name: string) => label(codeLabel('message-type', name, 'zh'), codeLabel('message-type', name, 'en'), name);
const stateLabel = (caseType: string, state: string) => label(caseStateLabel(caseType, state, 'zh'), caseStateLabel(caseType, state, 'en'), state);
const typeLabel = (caseType: string) => label(caseTypeLabel(caseType, 'zh'), caseTypeLabel(caseType, 'en'), caseType);
/** The code list has no English names of regions (docs: region.json): both languages show the Chinese name. */
const regionLabel = (code: string) => label(regionName(code), regionName(code), code);

/** 黄然英 → 黄**: enough to tell two people apart in a list, not to name them. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

export interface ConsolePerson {
  id: string | null;
  name: string | null;
  masked: boolean;
}

function personOf(raw: unknown, own: boolean): ConsolePerson | null {
  if (!raw || typeof raw !== 'object') return null;
  const p = raw as { id?: unknown; name?: unknown };
  const id = typeof p.id === 'string' ? p.id : null;
  const name = typeof p.name === 'string' ? p.name : null;
  if (own) return { id, name, masked: false };
  return { id: id === null ? null : maskIdentifiers(id), name: name === null ? null : maskName(name), masked: true };
}

/** Whether the viewer is party to a case with these roles (the operator is party to none: it sees, masked). */
const isOwn = (viewer: Viewer, roles: Record<string, string>) => viewer.kind === 'institution' && viewer.id in roles;

class Bad extends Error {}

function bad(message: string): never {
  throw new Bad(message);
}

function problem(reply: FastifyReply, status: number, error: string, message: string, zh?: string) {
  return reply.code(status).type('application/json').send(zh ? { error, message, zh } : { error, message });
}

const REGION = /^[1-9][0-9]{5}$/;

/** A region filter as a LIKE pattern: a province (360000) or prefecture (360100) takes in what lies under it. */
function regionPattern(region: string): string {
  if (!REGION.test(region)) bad('`region` must be a 6-digit GB/T 2260 code');
  return region.endsWith('0000') ? `${region.slice(0, 2)}%` : region.endsWith('00') ? `${region.slice(0, 4)}%` : region;
}

function boolParam(v: string | undefined, name: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') bad(`\`${name}\` must be true or false`);
  return v === 'true';
}

const CASE_SELECT = `SELECT c.case_id, c.case_type, c.standard_version, c.state, c.closed, c.roles, c.opened_at, c.updated_at,
    c.step_name, c.step_awaiting, c.step_expects, c.step_started_at, c.step_working_days, c.step_deadline::text AS step_deadline,
    c.step_deadline_estimated,
    (SELECT m.envelope->'data'->'person' FROM messages m WHERE m.case_id = c.case_id AND jsonb_typeof(m.envelope->'data'->'person') = 'object' ORDER BY m.seq LIMIT 1) AS person
  FROM cases c`;

interface Regions {
  of(id: string): string | null;
}

async function regions(ctx: PlatformContext): Promise<Regions> {
  const map = new Map((await ctx.db.query(`SELECT id, region FROM institutions`)).map((r) => [r.id as string, r.region as string]));
  return { of: (id) => map.get(id) ?? null };
}

function caseSummary(r: Record<string, any>, viewer: Viewer, today: string, where: Regions) {
  const roles = r.roles as Record<string, string>;
  const own = isOwn(viewer, roles);
  const expects: string[] = r.step_expects ?? [];
  return {
    caseId: r.case_id as string,
    caseType: r.case_type as string,
    caseTypeLabel: typeLabel(r.case_type),
    standardVersion: r.standard_version as string,
    state: r.state as string,
    stateLabel: stateLabel(r.case_type, r.state),
    closed: r.closed as boolean,
    own,
    parties: Object.entries(roles)
      .filter(([id]) => id !== PLATFORM_ID)
      .map(([id, role]) => ({ id, role, roleLabel: label(roleLabel(role, 'zh'), roleLabel(role, 'en'), role), region: where.of(id) }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    person: personOf(r.person, own),
    openedAt: (r.opened_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
    step: r.step_name
      ? {
          name: r.step_name as string,
          expects: expects.map((m) => ({ message: m, label: messageLabel(m) })),
          awaiting: (r.step_awaiting ?? []) as string[],
          startedAt: (r.step_started_at as Date).toISOString(),
          workingDays: r.step_working_days as number | null,
          deadline: r.step_deadline as string | null,
          deadlineEstimated: (r.step_deadline_estimated ?? false) as boolean,
          overdue: r.step_deadline !== null && r.step_deadline < today,
        }
      : null,
  };
}

export type ConsoleCase = ReturnType<typeof caseSummary>;

/**
 * The official calendar between a step's start and its deadline: how many calendar days,
 * and the days skipped as not working (weekends, holidays) or worked though weekends (调休).
 */
export function calendarSpan(startedOn: string, deadline: string): { calendarDays: number; nonWorkingDays: string[]; workedWeekendDays: string[] } {
  const nonWorkingDays: string[] = [];
  const workedWeekendDays: string[] = [];
  const day = new Date(`${startedOn}T00:00:00Z`);
  const end = new Date(`${deadline}T00:00:00Z`);
  let calendarDays = 0;
  for (day.setUTCDate(day.getUTCDate() + 1); day <= end && calendarDays < 400; day.setUTCDate(day.getUTCDate() + 1)) {
    calendarDays++;
    const iso = day.toISOString().slice(0, 10);
    const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
    const working = isWorkingDay(iso);
    if (!working) nonWorkingDays.push(iso);
    else if (weekend) workedWeekendDays.push(iso);
  }
  return { calendarDays, nonWorkingDays, workedWeekendDays };
}

/** Registers the console API; call once from buildApp. Its paths are left alone by the signed-request hooks. */
export function registerConsoleApi(app: FastifyInstance, ctx: PlatformContext): void {
  const secure = (req: FastifyRequest) => req.protocol === 'https';
  const originOf = (req: FastifyRequest) => (typeof req.headers.origin === 'string' ? req.headers.origin : `${req.protocol}://${req.headers.host ?? ''}`);

  /** The session of the request, or a 401 sent. */
  const session = async (req: FastifyRequest, reply: FastifyReply): Promise<SessionInfo | undefined> => {
    const found = await sessionFor(ctx.db, sessionToken(req.headers.cookie), ctx.now());
    if (!found) {
      problem(reply, 401, 'unauthorized', 'not signed in, or the session ended (expired, signed out, key removed or institution disabled)', '未登录，或会话已结束（已过期、已退出、密钥已删除或机构已停用）');
      return undefined;
    }
    return found;
  };
  /** A GET route that needs a session; Bad → 400. */
  const read = (path: string, handler: (s: SessionInfo, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    app.get(path, async (req, reply) => {
      const s = await session(req, reply);
      if (!s) return reply;
      try {
        return await handler(s, req, reply);
      } catch (err) {
        if (err instanceof Bad) return problem(reply, 400, 'bad-request', err.message);
        throw err;
      }
    });

  app.post('/v1/console/challenge', async (_req, reply) => {
    try {
      return reply.send({ ...(await issueChallenge(ctx.db, ctx.now())), platform: PLATFORM_ID });
    } catch (err) {
      if (err instanceof SignInError) return problem(reply, err.status, 'too-many-requests', err.message, err.zh);
      throw err;
    }
  });

  app.post('/v1/console/session', async (req, reply) => {
    try {
      const { token, session: s } = await ctx.db.tx((q) => signIn(q, (req.body ?? {}) as Record<string, unknown>, originOf(req), ctx.now()));
      return reply.header('set-cookie', sessionCookie(token, secure(req))).header('cache-control', 'no-store').send(s);
    } catch (err) {
      if (err instanceof SignInError) return problem(reply, err.status, err.status === 400 ? 'bad-request' : 'unauthorized', err.message, err.zh);
      throw err;
    }
  });
  read('/v1/console/session', async (s, _req, reply) => reply.header('cache-control', 'no-store').send(s));
  app.delete('/v1/console/session', async (req, reply) => {
    await endSession(ctx.db, sessionToken(req.headers.cookie), ctx.now());
    return reply.code(204).header('set-cookie', sessionCookie('', secure(req), 0)).send();
  });

  read('/v1/console/cases', async ({ viewer }, req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    if (viewer.kind === 'institution') where.push(`c.roles ? ${param(viewer.id)}`);
    if (query.region !== undefined) where.push(`EXISTS (SELECT 1 FROM institutions i WHERE c.roles ? i.id AND i.region LIKE ${param(regionPattern(query.region))})`);
    if (query.scheme !== undefined) {
      if (!/^[0-9]{3}$/.test(query.scheme)) bad('`scheme` must be a 3-digit 险种 code');
      where.push(`c.case_type = ANY (${param(ctx.catalogue.caseTypes.filter((t) => t.schemes?.includes(query.scheme!)).map((t) => t.code))})`);
    }
    if (query.caseType !== undefined) where.push(`c.case_type = ${param(query.caseType)}`);
    if (query.state !== undefined) where.push(`c.state = ${param(query.state)}`);
    if (query.step !== undefined) where.push(`${param(query.step)} = ANY (c.step_expects)`);
    const closed = boolParam(query.closed, 'closed');
    if (closed !== undefined) where.push(closed ? 'c.closed' : 'NOT c.closed');
    const today = chinaDate(ctx.now());
    const overdue = boolParam(query.overdue, 'overdue');
    if (overdue !== undefined) where.push(`${overdue ? '' : 'NOT '}(NOT c.closed AND c.step_deadline IS NOT NULL AND c.step_deadline < ${param(today)}::date)`);
    const limit = query.limit === undefined ? 200 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) bad('`limit` must be an integer from 1 to 1000');
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const countParams = [...params];
    const counts = await ctx.db.query(
      `SELECT c.case_type, c.state, coalesce(c.step_expects[1], '') AS step, count(*)::int AS n,
              count(*) FILTER (WHERE NOT c.closed AND c.step_deadline < '${today}'::date)::int AS overdue
         FROM cases c ${filter} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      countParams,
    );
    const rows = await ctx.db.query(`${CASE_SELECT} ${filter} ORDER BY c.updated_at DESC, c.case_id LIMIT ${param(limit)}`, params);
    const where_ = await regions(ctx);
    return reply.send({
      today,
      schemes: codeList('scheme').map((c) => ({ code: c.code, label: label(c.zh, c.en, c.code) })),
      total: counts.reduce((n, r) => n + r.n, 0),
      byStateAndStep: counts.map((r) => ({
        caseType: r.case_type,
        state: r.state,
        stateLabel: stateLabel(r.case_type, r.state),
        step: r.step || null,
        stepLabel: r.step ? messageLabel(r.step) : null,
        cases: r.n,
        overdue: r.overdue,
      })),
      cases: rows.map((r) => caseSummary(r, viewer, today, where_)),
    });
  });

  read('/v1/console/overdue', async ({ viewer }, req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const today = chinaDate(ctx.now());
    const params: unknown[] = [today];
    const where = [`NOT c.closed`, `c.step_deadline IS NOT NULL`, `c.step_deadline < $1::date`];
    if (viewer.kind === 'institution') where.push(`c.roles ? $${params.push(viewer.id)}`);
    const pattern = query.region === undefined ? undefined : regionPattern(query.region);
    const rows = await ctx.db.query(`${CASE_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.step_deadline, c.case_id`, params);
    const where_ = await regions(ctx);
    // one group per region whose move it is and step: where cases are stuck
    const groups = new Map<string, { region: string; regionLabel: Label; step: string; stepLabel: Label; steps: unknown[] }>();
    for (const r of rows) {
      const c = caseSummary(r, viewer, today, where_);
      const step = c.step!;
      const message = step.expects[0]?.message ?? step.name;
      const span = calendarSpan(chinaDate(new Date(step.startedAt)), step.deadline!);
      for (const awaiting of step.awaiting.length ? step.awaiting : ['']) {
        const region = where_.of(awaiting) ?? '000000';
        if (pattern && !new RegExp(`^${pattern.replace('%', '.*')}$`).test(region)) continue;
        const key = `${region} ${message}`;
        if (!groups.has(key)) groups.set(key, { region, regionLabel: regionLabel(region), step: message, stepLabel: messageLabel(message), steps: [] });
        groups.get(key)!.steps.push({
          caseId: c.caseId,
          caseType: c.caseType,
          caseTypeLabel: c.caseTypeLabel,
          state: c.state,
          stateLabel: c.stateLabel,
          awaiting,
          person: c.person,
          startedAt: step.startedAt,
          workingDays: step.workingDays,
          deadline: step.deadline,
          deadlineEstimated: step.deadlineEstimated,
          overdueWorkingDays: workingDaysBetween(step.deadline!, today),
          calendar: span,
        });
      }
    }
    return reply.send({ today, groups: [...groups.values()].sort((a, b) => a.region.localeCompare(b.region) || a.step.localeCompare(b.step)) });
  });

  /** The case row if the viewer may see it, else a 404/403 sent. */
  const visibleCase = async (viewer: Viewer, caseId: string, reply: FastifyReply) => {
    const [row] = await ctx.db.query(`${CASE_SELECT} WHERE c.case_id = $1`, [caseId]);
    if (!row) {
      problem(reply, 404, 'not-found', `no case ${caseId}`, `没有案件 ${caseId}`);
      return undefined;
    }
    if (viewer.kind === 'institution' && !(viewer.id in row.roles)) {
      problem(reply, 403, 'forbidden', `${viewer.id} is not party to case ${caseId}`, `${viewer.id} 不是案件 ${caseId} 的当事方`);
      return undefined;
    }
    return row;
  };

  read('/v1/console/cases/:caseId', async ({ viewer }, req, reply) => {
    const { caseId } = req.params as { caseId: string };
    const row = await visibleCase(viewer, caseId, reply);
    if (!row) return reply;
    const today = chinaDate(ctx.now());
    const summary = caseSummary(row, viewer, today, await regions(ctx));
    const messages = await ctx.db.query(
      `SELECT id, type, sender, receivers, in_reply_to, state_after, received_at, due_on::text AS due_on, late, digest FROM messages WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    await ctx.db.query(`INSERT INTO audit_log (at, actor, action, object, case_id) VALUES ($1, $2, 'console.case.read', $3, $3)`, [ctx.now(), viewer.id, caseId]);
    return reply.send({
      today,
      case: summary,
      calendar: summary.step?.deadline ? calendarSpan(chinaDate(new Date(summary.step.startedAt)), summary.step.deadline) : null,
      timeline: messages.map((m) => {
        const name = messageName(m.type);
        const receivedOn = chinaDate(m.received_at);
        return {
          id: m.id,
          type: m.type,
          message: name,
          label: messageLabel(name),
          sender: m.sender,
          receivers: m.receivers as string[],
          inreplyto: m.in_reply_to as string | null,
          stateAfter: m.state_after as string,
          stateAfterLabel: stateLabel(row.case_type, m.state_after),
          receivedAt: (m.received_at as Date).toISOString(),
          receivedOn,
          dueOn: m.due_on as string | null,
          late: m.late as boolean,
          workingDaysLate: m.late && m.due_on ? workingDaysBetween(m.due_on, receivedOn) : 0,
          digest: m.digest as string | null,
        };
      }),
    });
  });

  read('/v1/console/cases/:caseId/audit', async ({ viewer }, req, reply) => {
    const { caseId } = req.params as { caseId: string };
    const row = await visibleCase(viewer, caseId, reply);
    if (!row) return reply;
    const own = isOwn(viewer, row.roles);
    const entries = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const { entries: batch, next } = await readAudit(ctx.db, { institution: viewer.kind === 'institution' ? viewer.id : undefined, caseId, after, limit: 1000 });
      entries.push(...batch);
      if (!next) break;
      after = next;
    }
    return reply.send({
      caseId,
      masked: !own,
      entries: entries.map((e) => ({
        index: e.index,
        at: e.at,
        actor: e.actor,
        action: e.action,
        object: own ? e.object : maskIdentifiers(e.object),
        detail: e.detail === null || e.detail === undefined ? null : own ? e.detail : JSON.parse(maskIdentifiers(JSON.stringify(e.detail))),
        hash: e.hash,
        prevHash: e.prevHash,
      })),
    });
  });

  read('/v1/console/directory', async ({ viewer }, _req, reply) => {
    const institutions = await listInstitutions(ctx.db);
    const seen = new Map(
      (
        await ctx.db.query(
          `SELECT sender, max(received_at) AS last, count(*)::int AS n FROM messages WHERE sender <> $1 GROUP BY sender`,
          [PLATFORM_ID],
        )
      ).map((r) => [r.sender as string, { last: (r.last as Date).toISOString(), n: r.n as number }]),
    );
    const reads = new Map((await ctx.db.query(`SELECT institution_id, max(delivered_at) AS last FROM inbox GROUP BY institution_id`)).map((r) => [r.institution_id as string, (r.last as Date).toISOString()]));
    const acked = new Map((await ctx.db.query(`SELECT institution_id, acked_up_to::text AS acked FROM inbox_state`)).map((r) => [r.institution_id as string, r.acked as string]));
    const allRegions = codeList('region');
    const provinces = new Map<string, { province: string; provinceLabel: Label; prefectures: Array<{ code: string; label: Label; connected: boolean; institutions: string[] }>; provincial: string[]; institutions: unknown[] }>();
    const provinceOf = (code: string) => {
      const p = `${code.slice(0, 2)}0000`;
      if (!provinces.has(p)) {
        const prefectures = allRegions
          .filter((r) => r.code.startsWith(code.slice(0, 2)) && r.code.endsWith('00') && !r.code.endsWith('0000'))
          .map((r) => ({ code: r.code, label: regionLabel(r.code), connected: false, institutions: [] as string[] }));
        provinces.set(p, { province: p, provinceLabel: regionLabel(p), prefectures, provincial: [], institutions: [] });
      }
      return provinces.get(p)!;
    };
    for (const i of institutions) {
      const prov = provinceOf(i.region);
      const last = seen.get(i.id);
      const connected = i.status === 'active';
      prov.institutions.push({
        id: i.id,
        name: i.name,
        region: i.region,
        regionLabel: regionLabel(i.region),
        schemes: i.schemes,
        status: i.status,
        connected,
        standardVersion: i.standardVersion,
        lastMessageAt: last?.last ?? null,
        messagesSent: last?.n ?? 0,
        lastInboxDeliveryAt: reads.get(i.id) ?? null,
        ackedUpTo: acked.get(i.id) ?? null,
        webhook: viewer.kind === 'operator' || viewer.id === i.id ? i.webhook : null,
        self: viewer.kind === 'institution' && viewer.id === i.id,
      });
      if (!connected) continue;
      if (i.region.endsWith('0000')) prov.provincial.push(i.id);
      else {
        const pref = prov.prefectures.find((p) => p.code === `${i.region.slice(0, 4)}00`);
        if (pref) {
          pref.connected = true;
          pref.institutions.push(i.id);
        }
      }
    }
    return reply.send({
      provinces: [...provinces.values()]
        .sort((a, b) => a.province.localeCompare(b.province))
        .map((p) => ({ ...p, connectedPrefectures: p.prefectures.filter((x) => x.connected).length, totalPrefectures: p.prefectures.length })),
    });
  });

  read('/v1/console/statistics', async ({ viewer }, _req, reply) => {
    const rows = await transferStatistics(ctx.db, viewer.kind === 'institution' ? viewer.region : undefined);
    return reply.send({ scope: viewer.kind === 'institution' ? viewer.region : 'all', statistics: rows.map((r) => ({ ...r, regionLabel: regionLabel(r.region) })) });
  });
}

/** Whether the signed-request hooks leave a path to the console API (which authorises by session). */
export function isConsoleApiPath(path: string): boolean {
  return path.startsWith(CONSOLE_API_PREFIX);
}
