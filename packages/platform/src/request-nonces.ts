/**
 * Replay protection for signed requests (docs/standard/signatures.md, "Replay"): a request
 * that carries a signed X-Jiexu-Nonce is accepted once per institution and nonce within the
 * timestamp window; a second one is refused. The used nonces live in the database
 * (`request_nonces`, migration 015), so every `jiexu serve` process on one database — and a
 * restarted one — refuses a nonce any of them has seen. A nonce is remembered for twice the
 * window (a timestamp may lie up to the window on either side of the clock); expired rows are
 * purged at most once a minute per process. The insert is committed without waiting for the WAL
 * flush (one fsync per signed request would be most of a read's cost): a crash of the database
 * can forget the nonces of its last moments (at most wal_writer_delay × 3, 600 ms by default),
 * so a request signed just before a database crash could be replayed once within its window.
 *
 * The check is one autocommit statement on `request_nonces` alone: it holds no other lock,
 * and no other transaction locks these rows, so it cannot join a deadlock and takes no part
 * in the writers' lock order (audit_chain_head first); taking the audit head here would
 * serialise every signed read.
 */
import type { Queryable } from './db.ts';

const PURGE_EVERY_MS = 60_000;

export class NonceStore {
  private lastPurge = 0;

  constructor(
    private readonly db: Queryable,
    private readonly windowMs: number,
  ) {}

  /** True the first time, false for a nonce this institution already used (through any process) that has not expired. */
  async use(institution: string, nonce: string, now: Date): Promise<boolean> {
    if (now.getTime() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now.getTime();
      await this.db.query(`DELETE FROM request_nonces WHERE expires_at < $1`, [now]);
    }
    // a row left expired (not yet purged) is taken over; a live one is a replay: no row returned
    // committed asynchronously (synchronous_commit off for this statement's transaction only): the
    // row is visible to every process at once, but the request does not wait for a WAL flush
    const fresh = await this.db.query(
      `INSERT INTO request_nonces (institution_id, nonce, expires_at)
       SELECT $1, $2, $3 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
       ON CONFLICT (institution_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE request_nonces.expires_at < $4
       RETURNING 1 AS fresh`,
      [institution, nonce, new Date(now.getTime() + 2 * this.windowMs), now],
    );
    return fresh.length === 1;
  }
}
