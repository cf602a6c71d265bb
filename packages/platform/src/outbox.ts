/**
 * Webhook push from the transactional outbox. Outbox rows are written in the same
 * transaction as the inbox rows, so a crash never loses one. A worker claims due rows
 * (a lease: next_attempt_at moved forward, attempts + 1), POSTs outside any transaction,
 * then marks the row delivered or schedules the next attempt with exponential backoff.
 * Webhooks are at-least-once (a crash between the POST and the mark repeats it; the
 * receiver deduplicates by cursor); the inbox itself stays exactly-once and authoritative.
 */
import { createHmac } from 'node:crypto';
import type { Db } from './db.ts';
import { deliverSigned } from './delivery.ts';
import type { Metrics } from './metrics.ts';

export interface WebhookPolicy {
  /** First retry delay, doubled each attempt (default 1 s). */
  baseDelayMs: number;
  /** Cap on one delay (default 5 min). */
  maxDelayMs: number;
  /** Attempts before giving up (default 8). */
  maxAttempts: number;
  /** How long a claimed row stays invisible to other workers (default 60 s). */
  leaseMs: number;
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = { baseDelayMs: 1_000, maxDelayMs: 300_000, maxAttempts: 8, leaseMs: 60_000, timeoutMs: 10_000 };

export function backoffDelay(policy: WebhookPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/** Delivers every due outbox row once; returns how many were delivered. */
export async function runOutboxOnce(db: Db, now: () => Date, policy: WebhookPolicy = DEFAULT_WEBHOOK_POLICY, metrics?: Metrics): Promise<number> {
  const at = now();
  const claimed = await db.query(
    `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2
      WHERE seq IN (SELECT seq FROM outbox WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1
                    ORDER BY next_attempt_at, seq LIMIT 20 FOR UPDATE SKIP LOCKED)
      RETURNING seq::text AS seq, institution_id, cursor::text AS cursor, url, attempts`,
    [at, new Date(at.getTime() + policy.leaseMs)],
  );
  let delivered = 0;
  await Promise.all(
    claimed.map(async (row) => {
      const msg = (await db.query(
        `SELECT i.cursor::text AS cursor, m.envelope, m.signature, m.received_at, inst.webhook_secret, inst.standard_version
           FROM inbox i JOIN messages m ON m.seq = i.message_seq JOIN institutions inst ON inst.id = i.institution_id
          WHERE i.institution_id = $1 AND i.cursor = $2`,
        [row.institution_id, row.cursor],
      ))[0];
      // the same item as an inbox read: the envelope in the institution's declared version
      const body = JSON.stringify({ cursor: msg.cursor, ...deliverSigned(msg.envelope, msg.signature, msg.standard_version), receivedAt: msg.received_at.toISOString() });
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-jiexu-webhook-cursor': msg.cursor };
      if (msg.webhook_secret) headers['x-jiexu-webhook-signature'] = `sha256=${createHmac('sha256', msg.webhook_secret).update(body).digest('hex')}`;
      let error: string | undefined;
      try {
        const res = await fetch(row.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(policy.timeoutMs) });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (err) {
        error = (err as Error).message;
      }
      const done = now();
      if (!error) {
        await db.query(`UPDATE outbox SET delivered_at = $2, last_error = NULL WHERE seq = $1`, [row.seq, done]);
        metrics?.webhooks.inc({ result: 'delivered' });
        delivered++;
      } else if (row.attempts >= policy.maxAttempts) {
        await db.query(`UPDATE outbox SET gave_up_at = $2, last_error = $3 WHERE seq = $1`, [row.seq, done, error]);
        metrics?.webhooks.inc({ result: 'gave-up' });
      } else {
        await db.query(`UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE seq = $1`, [row.seq, new Date(done.getTime() + backoffDelay(policy, row.attempts)), error]);
        metrics?.webhooks.inc({ result: 'failed' });
      }
    }),
  );
  return delivered;
}
