/**
 * The one way the platform turns queued work into database batches (store-batch.ts for
 * messages, request-nonces.ts for nonces): at most `maxInFlight` batches in the database at
 * once, the next formed as soon as one settles.
 *
 * PGlite runs each statement synchronously on the event loop: while one runs nothing else
 * does, so nothing could queue behind it and every item would go alone. There (`gather`) one
 * batch is in the database at a time and the next is formed on the event loop's next turn
 * (setImmediate): by then the requests that arrived while the last one ran have reached the
 * queue, and they go together.
 */
import type { Queryable } from './db.ts';

/** Whether statements of `db` run on this event loop (PGlite): then batches are gathered over a turn of it. */
export function runsOnEventLoop(db: Queryable): boolean {
  return (db as { kind?: unknown }).kind === 'pglite';
}

export interface BatchPumpOptions<T> {
  /** Gather over a turn of the event loop, one batch at a time (PGlite). */
  gather: boolean;
  /** Batches in the database at once when not gathering. */
  maxInFlight: number;
  /** The next batch from the queue, or an empty one when nothing can go now. */
  take(): T[];
  /** Stores a batch; it settles each item itself and must not reject. */
  run(batch: T[]): Promise<void>;
  /** Called once a batch has run, before the next is taken (e.g. to free its cases). */
  settled?(batch: T[]): void;
}

export class BatchPump<T> {
  private inFlight = 0;
  private scheduled = false;
  private readonly limit: number;

  constructor(private readonly options: BatchPumpOptions<T>) {
    this.limit = options.gather ? 1 : options.maxInFlight;
  }

  /** Something was queued (or freed): form batches now, or on the next turn when gathering. */
  kick(): void {
    if (!this.options.gather) return this.pump();
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.limit) {
      const batch = this.options.take();
      if (!batch.length) return;
      this.inFlight++;
      void this.options.run(batch).finally(() => {
        this.options.settled?.(batch);
        this.inFlight--;
        this.kick();
      });
    }
  }
}
