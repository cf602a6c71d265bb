/**
 * `jiexu ledger --workers N` over canonical JSONL whose records of a person are
 * consecutive: the main thread reads lines and cuts them into people by the
 * person id (without parsing the record), N worker threads parse, validate and
 * fold them; their ledgers are merged (every figure is a sum). At most two
 * batches are in flight per worker, so memory stays bounded by the batch size.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { Ledger, type LedgerInputs, type LedgerState } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import { unreadable } from '../file-errors.ts';
import type { Lang } from '../lang.ts';

const PERSON_ID = /"person"\s*:\s*\{[^}]*?"id"\s*:\s*"([^"]+)"/;
const BATCH = 256;

export async function ledgerInParallel(files: string[], inputs: LedgerInputs, workers: number, lang: Lang): Promise<{ ledger: Ledger; invalid: number }> {
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./ledger-worker.mjs', import.meta.url), { workerData: { inputs, lang } }));
  const inFlight = pool.map(() => 0);
  let invalid = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const states: Array<Promise<LedgerState>> = pool.map(
    (w, i) =>
      new Promise<LedgerState>((resolve, reject) => {
        w.on('message', (m: { done?: number; problems?: string[]; invalid?: number; state?: LedgerState }) => {
          if (m.state) return resolve(m.state);
          inFlight[i] -= 1;
          invalid += m.invalid ?? 0;
          for (const p of m.problems ?? []) process.stderr.write(`${p}\n`);
          wake?.();
        });
        w.on('error', (e) => {
          failure = e;
          reject(e);
          wake?.();
        });
      }),
  );
  for (const s of states) s.catch(() => undefined);
  let next = 0;
  const send = async (batch: Array<Array<[number, string]>>) => {
    while (!failure && Math.min(...inFlight) >= 2) await new Promise<void>((r) => (wake = r));
    if (failure) throw failure;
    let i = inFlight.indexOf(Math.min(...inFlight));
    if (inFlight[next] < 2) i = next;
    next = (next + 1) % workers;
    inFlight[i] += 1;
    pool[i].postMessage({ people: batch });
  };
  const seen = new Set<string>();
  let batch: Array<Array<[number, string]>> = [];
  let person: Array<[number, string]> = [];
  let current: string | null = null;
  try {
    for (const file of files) {
      const input = file === '-' ? process.stdin : createReadStream(file);
      input.on('error', () => undefined);
      const rl = createInterface({ input, crlfDelay: Infinity });
      let line = 0;
      try {
        for await (const text of rl) {
          line += 1;
          if (text.trim() === '') continue;
          const id = PERSON_ID.exec(text)?.[1] ?? `(line ${line})`;
          if (id !== current) {
            if (current !== null) {
              seen.add(current);
              batch.push(person);
              if (batch.length >= BATCH) {
                await send(batch);
                batch = [];
              }
            }
            if (seen.has(id)) throw new CliError({ zh: `${file}：第 ${line} 行：参保人 ${id} 的记录不连续：请先按参保人排序输入，或不用 --workers 和 --grouped`, en: `${file}: line ${line}: records of person ${id} are not together: sort the input by person, or leave out --workers and --grouped` }, EXIT.invalid);
            person = [];
            current = id;
          }
          person.push([line, text]);
        }
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code) throw unreadable(file, e);
        throw err;
      }
    }
    if (person.length) batch.push(person);
    if (batch.length) await send(batch);
    for (const w of pool) w.postMessage({ end: true });
    const ledger = new Ledger(inputs);
    for (const s of await Promise.all(states)) ledger.merge(s);
    return { ledger, invalid };
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
