/** Pulling and acknowledging an institution's inbox. Every read is written to the audit log. */
import type { Queryable } from './db.ts';

export interface InboxMessage {
  cursor: string;
  envelope: Record<string, unknown>;
  receivedAt: string;
}

export interface InboxPage {
  messages: InboxMessage[];
  next: string | null;
}

const CURSOR = /^[0-9]{1,18}$/;

export function isCursor(value: unknown): value is string {
  return typeof value === 'string' && CURSOR.test(value);
}

/** A page of `institutionId`'s inbox after `after` (default: after the acknowledged position). */
export async function readInbox(q: Queryable, institutionId: string, after: string | undefined, limit: number, now: Date): Promise<InboxPage> {
  const from = after ?? (await q.query(`SELECT acked_up_to::text AS acked FROM inbox_state WHERE institution_id = $1`, [institutionId]))[0]?.acked ?? '0';
  const rows = await q.query(
    `SELECT i.cursor::text AS cursor, m.envelope, m.received_at, m.source, m.id
       FROM inbox i JOIN messages m ON m.seq = i.message_seq
      WHERE i.institution_id = $1 AND i.cursor > $2
      ORDER BY i.cursor LIMIT $3`,
    [institutionId, from, limit],
  );
  const messages = rows.map((r) => ({ cursor: r.cursor as string, envelope: r.envelope, receivedAt: (r.received_at as Date).toISOString() }));
  if (messages.length) {
    await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, $2, 'inbox.read', $2, $3)`, [
      now,
      institutionId,
      { after: from, cursors: [messages[0].cursor, messages[messages.length - 1].cursor], messages: rows.map((r) => `${r.source}#${r.id}`) },
    ]);
  }
  return { messages, next: messages.length ? messages[messages.length - 1].cursor : from };
}

/** Moves the acknowledged position forward to `upTo` (never backward, never past the last delivered cursor). */
export async function ackInbox(q: Queryable, institutionId: string, upTo: string, now: Date): Promise<{ ackedUpTo: string }> {
  const row = (await q.query(
    `UPDATE inbox_state SET acked_up_to = GREATEST(acked_up_to, LEAST($2::bigint, last_cursor)) WHERE institution_id = $1 RETURNING acked_up_to::text AS acked`,
    [institutionId, upTo],
  ))[0];
  await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, $2, 'inbox.ack', $2, $3)`, [now, institutionId, { upTo, ackedUpTo: row.acked }]);
  return { ackedUpTo: row.acked as string };
}
