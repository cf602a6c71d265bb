/**
 * Group commit of the messages accepted at the same moment (migrations/014_store_batches.sql).
 * Every writer holds the audit chain head until it commits, so stores are serialised and each
 * one's commit (a WAL flush) is waited for alone; with 64 sends in flight that flush is the
 * platform's limit. Here the stores made outside a transaction queue up while earlier ones
 * are in the database, and go in one jiexu_store_messages statement: one transaction, one
 * commit for all of them. Each is stored exactly as alone (same function, in arrival order);
 * the caller gets its own row. If the batch fails as a whole (any error rolls all of it back)
 * each message is stored again alone, so an error reaches only the send that caused it.
 *
 * At most MAX_IN_FLIGHT statements are in the database at once (while one commits, the next
 * is sent and waits for the head), at most MAX_BATCH messages go in one, and at most one
 * message of a case is in the database at a time (the messages of a case go in arrival
 * order). Idle, a message goes at once, alone.
 *
 * On PGlite batches are gathered over a turn of the event loop (batch-pump.ts): there every
 * store went alone before (one statement, one commit each).
 */
import type { Queryable, Row } from './db.ts';
import { BatchPump, runsOnEventLoop } from './batch-pump.ts';

const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 64;

interface Pending {
  params: unknown[];
  caseId: string;
  /** It waited for another message of its case: its fit was made before that one was stored. */
  waited: boolean;
  resolve(row: Row & { waited: boolean }): void;
  reject(err: unknown): void;
}

export class StoreBatcher {
  private readonly queue: Pending[] = [];
  /** Cases with a message in the database now: their next message waits (it would find the case changed). */
  private readonly busy = new Set<string>();
  private readonly pump: BatchPump<Pending>;

  constructor(
    private readonly db: Queryable,
    /** jiexu_store_message for one message: its parameters are the batch element's. */
    private readonly single: string,
  ) {
    this.pump = new BatchPump<Pending>({
      gather: runsOnEventLoop(db),
      maxInFlight: MAX_IN_FLIGHT,
      take: () => this.take(),
      run: (batch) => this.run(batch),
      settled: (batch) => {
        for (const p of batch) this.busy.delete(p.caseId);
      },
    });
  }

  /**
   * The row jiexu_store_message returns for these parameters, stored with whatever else is
   * waiting, and whether it waited for another message of its case (then a `reread` is no
   * conflict of its own: its fit was made before the other was stored).
   */
  store(params: unknown[], caseId: string): Promise<Row & { waited: boolean }> {
    return new Promise<Row & { waited: boolean }>((resolve, reject) => {
      this.queue.push({ params, caseId, waited: false, resolve, reject });
      this.pump.kick();
    });
  }

  /**
   * One message per case in the database at a time, in arrival order: a second one fitted
   * from the same read would only find the case changed and be fitted again.
   */
  private take(): Pending[] {
    const batch: Pending[] = [];
    for (let i = 0; i < this.queue.length && batch.length < MAX_BATCH; ) {
      const p = this.queue[i];
      if (this.busy.has(p.caseId)) {
        p.waited = true;
        i++;
        continue;
      }
      this.busy.add(p.caseId);
      batch.push(p);
      this.queue.splice(i, 1);
    }
    return batch;
  }

  private async run(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.alone(batch[0]);
    let rows: Row[];
    try {
      rows = await this.db.query(`SELECT n, stored_seq, webhooks, reread FROM jiexu_store_messages($1)`, [JSON.stringify(batch.map((p) => p.params))]);
    } catch {
      // nothing of the batch was stored: each alone, so an error is its own sender's
      await Promise.all(batch.map((p) => this.alone(p)));
      return;
    }
    for (const row of rows) batch[row.n].resolve({ ...row, waited: batch[row.n].waited });
  }

  private async alone(p: Pending): Promise<void> {
    try {
      const [row] = await this.db.query(this.single, p.params);
      p.resolve({ ...row, waited: p.waited });
    } catch (err) {
      p.reject(err);
    }
  }
}

const batchers = new WeakMap<Queryable, StoreBatcher>();

/** The batcher of a database (one per Db object: its statements share its pool). */
export function storeBatcher(db: Queryable, single: string): StoreBatcher {
  let b = batchers.get(db);
  if (!b) {
    b = new StoreBatcher(db, single);
    batchers.set(db, b);
  }
  return b;
}
