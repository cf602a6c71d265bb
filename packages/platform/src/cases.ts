/** Reading cases (state, timeline, current step, deadline, overdue) and reminding of overdue steps. */
import { lockAuditChainHead } from './audit.ts';
import type { Queryable } from './db.ts';
import { PLATFORM_ID, type PlatformContext } from './message-types.ts';
import { platformEnvelope, storePlatformMessage } from './platform-messages.ts';

export { platformEnvelope, storePlatformMessage } from './platform-messages.ts';
import { chinaDate } from './time.ts';
import { isWorkingDay } from '@jiexu/rules';

export interface CaseStep {
  name: string;
  awaiting: string[];
  expects: string[];
  startedAt: string;
  workingDays: number | null;
  deadline: string | null;
  deadlineEstimated: boolean;
  overdue: boolean;
}

export interface CaseSummary {
  caseId: string;
  caseType: string;
  standardVersion: string;
  state: string;
  closed: boolean;
  parties: string[];
  roles: Record<string, string>;
  openedAt: string;
  updatedAt: string;
  currentStep: CaseStep | null;
}

export interface TimelineEntry {
  id: string;
  source: string;
  type: string;
  sender: string;
  receivers: string[];
  inreplyto: string | null;
  stateAfter: string;
  receivedAt: string;
  /** The deadline of the step this message answered (null: it answered none). */
  dueOn: string | null;
  /** It answered its step after the deadline. */
  late: boolean;
}

export interface CaseView extends CaseSummary {
  timeline: TimelineEntry[];
}

const CASE_COLUMNS = `case_id, case_type, standard_version, state, closed, roles, opened_at, updated_at, step_name, step_awaiting, step_expects,
  step_started_at, step_working_days, step_deadline::text AS step_deadline, step_deadline_estimated`;

function toSummary(r: Record<string, any>, today: string): CaseSummary {
  return {
    caseId: r.case_id,
    caseType: r.case_type,
    standardVersion: r.standard_version,
    state: r.state,
    closed: r.closed,
    parties: Object.keys(r.roles).filter((id) => id !== PLATFORM_ID).sort(),
    roles: r.roles,
    openedAt: r.opened_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    currentStep: r.step_name
      ? {
          name: r.step_name,
          awaiting: r.step_awaiting ?? [],
          expects: r.step_expects ?? [],
          startedAt: r.step_started_at.toISOString(),
          workingDays: r.step_working_days,
          deadline: r.step_deadline,
          deadlineEstimated: r.step_deadline_estimated ?? false,
          overdue: r.step_deadline !== null && r.step_deadline < today,
        }
      : null,
  };
}

/** The case, or 'not-found' / 'forbidden' (the viewer is not party to it). */
export async function getCase(q: Queryable, caseId: string, viewer: string, now: Date): Promise<CaseView | 'not-found' | 'forbidden'> {
  const row = (await q.query(`SELECT ${CASE_COLUMNS} FROM cases WHERE case_id = $1`, [caseId]))[0];
  if (!row) return 'not-found';
  if (!(viewer in row.roles)) return 'forbidden';
  const timeline = await q.query(
    `SELECT id, source, type, sender, receivers, in_reply_to, state_after, received_at, due_on::text AS due_on, late FROM messages WHERE case_id = $1 ORDER BY seq`,
    [caseId],
  );
  await q.query(`INSERT INTO audit_log (at, actor, action, object) VALUES ($1, $2, 'case.read', $3)`, [now, viewer, caseId]);
  return {
    ...toSummary(row, chinaDate(now)),
    timeline: timeline.map((m) => ({
      id: m.id,
      source: m.source,
      type: m.type,
      sender: m.sender,
      receivers: m.receivers,
      inreplyto: m.in_reply_to,
      stateAfter: m.state_after,
      receivedAt: m.received_at.toISOString(),
      dueOn: m.due_on,
      late: m.late,
    })),
  };
}

export interface CaseFilter {
  overdue?: boolean;
  state?: 'open' | 'closed';
  limit?: number;
}

/** Cases the viewer is party to (every case when viewer is undefined: operator use), most recently updated first. */
export async function listCases(q: Queryable, viewer: string | undefined, filter: CaseFilter, now: Date): Promise<CaseSummary[]> {
  const today = chinaDate(now);
  const where: string[] = [];
  const params: unknown[] = [];
  if (viewer !== undefined) {
    params.push(viewer);
    where.push(`roles ? $${params.length}`);
  }
  if (filter.overdue) {
    params.push(today);
    where.push(`NOT closed AND step_deadline < $${params.length}::date`);
  }
  if (filter.state) where.push(filter.state === 'open' ? 'NOT closed' : 'closed');
  params.push(filter.limit ?? 100);
  const rows = await q.query(
    `SELECT ${CASE_COLUMNS} FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, case_id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => toSummary(r, today));
}

/**
 * For every open case whose current step is past its deadline and not yet reminded,
 * the platform sends `admin.remind` (answering the message that started the step) to the
 * institutions whose move it is. One reminder per step; each in its own transaction. Several
 * platform processes on one database may run this at once: each transaction takes the audit
 * chain head first (as every writer does), a case row still locked by another is skipped this
 * round, and the reminded mark is re-checked under the lock, so no step is reminded twice.
 * Returns the ids of the reminders sent.
 */
export async function sendOverdueReminders(ctx: PlatformContext, now: Date = ctx.now()): Promise<string[]> {
  const today = chinaDate(now);
  const due = await ctx.db.query(
    `SELECT case_id FROM cases WHERE NOT closed AND step_deadline < $1::date AND step_reminded_at IS NULL AND step_after_id IS NOT NULL ORDER BY step_deadline, case_id`,
    [today],
  );
  const sent: string[] = [];
  for (const { case_id } of due) {
    const id = await ctx.db.tx(async (q) => {
      // the chain head before the case row: the lock order of every writer (a message of this
      // case being stored holds the head and then waits for the case row)
      await lockAuditChainHead(q);
      const c = (await q.query(
        `SELECT case_id, case_type, standard_version, step_awaiting, step_expects, step_after_id, step_deadline::text AS deadline, step_working_days
           FROM cases WHERE case_id = $1 AND NOT closed AND step_deadline < $2::date AND step_reminded_at IS NULL FOR UPDATE SKIP LOCKED`,
        [case_id, today],
      ))[0];
      if (!c || !c.step_awaiting?.length) return undefined;
      const envelope = platformEnvelope('admin.remind', c.case_id, c.case_type, c.standard_version, c.step_awaiting, now, {
        inreplyto: c.step_after_id,
        data: {
          awaited: c.step_expects[0],
          dueOn: c.deadline,
          overdueWorkingDays: workingDaysBetween(c.deadline, today),
          note: `本步骤（${c.step_expects.join(' 或 ')}）应于 ${c.deadline} 前完成（${c.step_working_days} 个工作日），现已逾期，请尽快办理。`,
        },
      });
      await storePlatformMessage(q, ctx, envelope);
      await q.query(`UPDATE cases SET step_reminded_at = $2 WHERE case_id = $1`, [c.case_id, now]);
      return envelope.id;
    });
    if (id) sent.push(id);
  }
  if (sent.length) ctx.onDelivered?.();
  return sent;
}

/** Working days after `from` up to and including `to` (both YYYY-MM-DD): how late a step is. */
export function workingDaysBetween(from: string, to: string): number {
  let n = 0;
  const day = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  for (day.setUTCDate(day.getUTCDate() + 1); day <= end; day.setUTCDate(day.getUTCDate() + 1)) {
    if (isWorkingDay(day.toISOString().slice(0, 10))) n++;
  }
  return n;
}
