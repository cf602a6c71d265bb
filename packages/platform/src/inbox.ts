/** Pulling and acknowledging an institution's inbox. Every read is written to the audit log. */
import type { Queryable } from './db.ts';
import { deliverIn, type DeliveryMigration } from './delivery.ts';

export interface InboxMessage {
  cursor: string;
  envelope: Record<string, unknown>;
  receivedAt: string;
  /** Present when the envelope was migrated to the reader's declared version of the standard. */
  migration?: DeliveryMigration;
}

export interface InboxPage {
  messages: InboxMessage[];
  next: string | null;
}

const CURSOR = /^[0-9]{1,18}$/;

export function isCursor(value: unknown): value is string {
  return typeof value === 'string' && CURSOR.test(value);
}

/**
 * A page of `institutionId`'s inbox after `after` (default: after the acknowledged position),
 * and its audit entry, in one statement; each envelope in the institution's declared
 * version of the standard.
 */
export async function readInbox(q: Queryable, institutionId: string, after: string | undefined, limit: number, now: Date): Promise<InboxPage> {
  const rows = await q.query(
    `WITH pos AS (SELECT COALESCE($2::bigint, (SELECT acked_up_to FROM inbox_state WHERE institution_id = $1), 0) AS after_cursor),
          page AS (SELECT i.cursor, m.envelope, m.received_at, m.source, m.id
                     FROM inbox i JOIN messages m ON m.seq = i.message_seq
                    WHERE i.institution_id = $1 AND i.cursor > (SELECT after_cursor FROM pos)
                    ORDER BY i.cursor LIMIT $3),
          audit AS (INSERT INTO audit_log (at, actor, action, object, detail)
                    SELECT $4, $1, 'inbox.read', $1,
                           jsonb_build_object('after', (SELECT after_cursor::text FROM pos), 'cursors', jsonb_build_array(min(cursor)::text, max(cursor)::text),
                                              'messages', jsonb_agg(source || '#' || id ORDER BY cursor))
                      FROM page HAVING count(*) > 0)
     SELECT pos.after_cursor::text AS after_cursor, page.cursor::text AS cursor, page.envelope, page.received_at,
            (SELECT standard_version FROM institutions WHERE id = $1) AS standard_version
       FROM pos LEFT JOIN page ON true ORDER BY page.cursor`,
    [institutionId, after ?? null, limit, now],
  );
  const from = rows[0].after_cursor as string;
  const messages = rows
    .filter((r) => r.cursor !== null)
    .map((r) => ({ cursor: r.cursor as string, ...deliverIn(r.envelope, r.standard_version), receivedAt: (r.received_at as Date).toISOString() }));
  return { messages, next: messages.length ? messages[messages.length - 1].cursor : from };
}

/** Moves the acknowledged position forward to `upTo` (never backward, never past the last delivered cursor), audited, in one statement. */
export async function ackInbox(q: Queryable, institutionId: string, upTo: string, now: Date): Promise<{ ackedUpTo: string }> {
  const row = (await q.query(
    `WITH moved AS (UPDATE inbox_state SET acked_up_to = GREATEST(acked_up_to, LEAST($2::text::bigint, last_cursor)) WHERE institution_id = $1
                    RETURNING acked_up_to::text AS acked),
          audit AS (INSERT INTO audit_log (at, actor, action, object, detail)
                    SELECT $3, $1, 'inbox.ack', $1, jsonb_build_object('upTo', $2::text, 'ackedUpTo', acked) FROM moved)
     SELECT acked FROM moved`,
    [institutionId, upTo, now],
  ))[0];
  return { ackedUpTo: row.acked as string };
}
