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
 *
 * The nonces of requests arriving together go in one such statement (a multi-row insert):
 * every signed request carries one, so alone each would cost a statement and a commit of its
 * own — on PGlite, where statements run on the event loop, about a fifth of a message's
 * database time. Batched like the stores (batch-pump.ts): on PostgreSQL a batch is sent at
 * once while fewer than MAX_IN_FLIGHT are in the database; on PGlite one at a time, gathered
 * over a turn of the event loop. A nonce twice in one batch is fresh only the first time.
 */
import type { Queryable } from './db.ts';
import { BatchPump, runsOnEventLoop } from './batch-pump.ts';

const PURGE_EVERY_MS = 60_000;
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 256;

/**
 * Inserts the nonces of a batch; a row left expired (not yet purged) is taken over, a live one
 * is a replay (no row returned). The expiry is the request's time + twice the window ($4), so
 * "expired at the request's time" is `expires_at < EXCLUDED.expires_at - $4`. Committed
 * asynchronously (synchronous_commit off for this statement's transaction only): the rows
 * are visible to every process at once, but the request does not wait for a WAL flush.
 */
const INSERT_NONCES = `INSERT INTO request_nonces (institution_id, nonce, expires_at)
  SELECT u.institution_id, u.nonce, u.expires_at
    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit,
         unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(institution_id, nonce, expires_at)
  ON CONFLICT (institution_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
    WHERE request_nonces.expires_at < EXCLUDED.expires_at - $4::bigint * interval '1 millisecond'
  RETURNING institution_id, nonce`;

interface PendingNonce {
  institution: string;
  nonce: string;
  expiresAt: string;
  resolve(fresh: boolean): void;
  reject(err: unknown): void;
}

export class NonceStore {
  private lastPurge = 0;
  private readonly queue: PendingNonce[] = [];
  private readonly pump: BatchPump<PendingNonce>;

  constructor(
    private readonly db: Queryable,
    private readonly windowMs: number,
  ) {
    this.pump = new BatchPump<PendingNonce>({
      gather: runsOnEventLoop(db),
      maxInFlight: MAX_IN_FLIGHT,
      take: () => this.queue.splice(0, MAX_BATCH),
      run: (batch) => this.run(batch),
    });
  }

  /** True the first time, false for a nonce this institution already used (through any process) that has not expired. */
  async use(institution: string, nonce: string, now: Date): Promise<boolean> {
    if (now.getTime() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now.getTime();
      await this.db.query(`DELETE FROM request_nonces WHERE expires_at < $1`, [now]);
    }
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ institution, nonce, expiresAt: new Date(now.getTime() + 2 * this.windowMs).toISOString(), resolve, reject });
      this.pump.kick();
    });
  }

  private async run(batch: PendingNonce[]): Promise<void> {
    // a nonce twice in the batch: only its first request can be fresh
    const first = new Map<string, PendingNonce>();
    const repeats: PendingNonce[] = [];
    for (const p of batch) {
      const key = `${p.institution}\n${p.nonce}`;
      if (first.has(key)) repeats.push(p);
      else first.set(key, p);
    }
    // in one order in every batch: two batches racing for the same nonces cannot wait on each other in a cycle
    const sent = [...first.values()].sort((a, b) => (a.institution === b.institution ? (a.nonce < b.nonce ? -1 : 1) : a.institution < b.institution ? -1 : 1));
    let rows: Array<{ institution_id: string; nonce: string }>;
    try {
      rows = await this.db.query(INSERT_NONCES, [sent.map((p) => p.institution), sent.map((p) => p.nonce), sent.map((p) => p.expiresAt), 2 * this.windowMs]);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    const fresh = new Set(rows.map((r) => `${r.institution_id}\n${r.nonce}`));
    for (const [key, p] of first) p.resolve(fresh.has(key));
    for (const p of repeats) p.resolve(false);
  }
}
