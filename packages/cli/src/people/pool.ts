/**
 * Worker threads for commands that fold over people (`ledger`, `assess`): the
 * main thread reads and groups the inputs (items.ts, sort-by-person.ts), N
 * workers parse, validate and compute (person-worker.ts). Batches of people go
 * to the least busy worker, at most two in flight per worker, so memory stays
 * bounded by the batch size; replies are handed back in batch order, so the
 * output is the same whatever the number of workers.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CliError, EXIT } from '../errors.ts';
import type { PersonItem } from './items.ts';

/** One person as sent to a worker: their items, and the input files with errors that named them. */
export interface WorkPerson {
  items: PersonItem[];
  bad?: string[];
}

export interface BatchReply {
  batch: number;
  problems: string[];
  invalid: number;
  /** assess: the text to print for the batch */
  out?: string;
  /** assess: people not assessed */
  unassessed?: number;
}

/** Heap of a worker (MB): its live data are a few batches of people and its own ledger. */
const WORKER_HEAP = { maxOldGenerationSizeMb: 384, maxYoungGenerationSizeMb: 32 };

/** Inputs at least this large use every core by default. */
export const LARGE_INPUT_BYTES = 32 << 20;

/** `--workers`: 1 to 64, or undefined for the default. */
export function workersOption(value: string | undefined, files: string[]): number {
  if (value === undefined) return defaultWorkers(files);
  if (!/^([1-9]|[1-5]\d|6[0-4])$/.test(value)) throw new CliError({ zh: `--workers 须为 1 到 64 的整数，而不是 "${value}"`, en: `--workers must be 1 to 64, got "${value}"` }, EXIT.usage);
  return Number(value);
}

/** Every core when the input is large (stdin, or files of 32 MB and more), else the main thread alone. */
export function defaultWorkers(files: string[]): number {
  const cores = availableParallelism();
  if (cores < 2) return 1;
  if (files.includes('-')) return cores;
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(f).size;
    } catch {
      // reported when the file is read
    }
  }
  return bytes >= LARGE_INPUT_BYTES ? cores : 1;
}

/** The worker's entry: from the sources through tsx, installed the built .js. */
const workerUrl = (): URL => new URL(import.meta.url.endsWith('.ts') ? './person-worker.mjs' : './person-worker.js', import.meta.url);

export class PersonPool<Final> {
  private readonly workers: Worker[];
  private readonly inFlight: number[];
  private readonly finals: Array<Promise<Final>>;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private sent = 0;
  private nextOut = 0;
  private readonly waiting = new Map<number, BatchReply>();

  constructor(
    count: number,
    workerData: unknown,
    private readonly onReply: (r: BatchReply) => void,
  ) {
    // a worker holds a few batches at a time: a small heap keeps V8 from growing it lazily to gigabytes
    this.workers = Array.from({ length: count }, () => new Worker(workerUrl(), { workerData, resourceLimits: WORKER_HEAP }));
    this.inFlight = this.workers.map(() => 0);
    this.finals = this.workers.map(
      (w, i) =>
        new Promise<Final>((resolve, reject) => {
          w.on('message', (m: BatchReply | { final: Final }) => {
            if ('final' in m) return resolve(m.final);
            this.inFlight[i] -= 1;
            this.waiting.set(m.batch, m);
            for (let r = this.waiting.get(this.nextOut); r; r = this.waiting.get(this.nextOut)) {
              this.waiting.delete(this.nextOut);
              this.nextOut += 1;
              try {
                this.onReply(r);
              } catch (e) {
                this.failure ??= e as Error;
              }
            }
            this.wake?.();
          });
          w.on('error', (e) => {
            this.failure ??= e;
            reject(e);
            this.wake?.();
          });
          w.on('exit', (code) => {
            if (code !== 0) {
              const e = new CliError({ zh: `工作线程意外退出（退出码 ${code}）`, en: `a worker thread stopped (exit code ${code})` }, EXIT.usage);
              this.failure ??= e;
              reject(e);
              this.wake?.();
            }
          });
        }),
    );
    for (const f of this.finals) f.catch(() => undefined);
  }

  /** Sends a batch of people, waiting while every worker has two batches. */
  async send(people: WorkPerson[]): Promise<void> {
    while (!this.failure && Math.min(...this.inFlight) >= 2) await new Promise<void>((r) => (this.wake = r));
    if (this.failure) throw this.failure;
    const i = this.inFlight.indexOf(Math.min(...this.inFlight));
    this.inFlight[i] += 1;
    this.workers[i].postMessage({ batch: this.sent++, people });
  }

  /** Every batch answered; each worker's final state. */
  async end(): Promise<Final[]> {
    for (const w of this.workers) w.postMessage({ end: true });
    const finals = await Promise.all(this.finals);
    if (this.failure) throw this.failure;
    return finals;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
