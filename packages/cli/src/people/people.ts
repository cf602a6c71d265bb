/**
 * Every person of a command's inputs, a person at a time, with all their
 * records — whatever the order of the rows and however many files they are
 * spread over — for `jiexu ledger` and `jiexu assess`.
 *
 * Order: `any` (the default for files) sorts the records by person with a
 * bounded-memory external sort (sort-by-person.ts); `together` (the default
 * when reading `-`, and `--grouped`) trusts that a person's records are
 * consecutive, as `jiexu simulate population` writes them, and holds one
 * person, with an error if a person comes back later. `--any-order` sorts `-`
 * too.
 *
 * JIEXU_SORT_MEMORY (characters of records held before a run is spilled to a
 * temporary file; default 32 Mi) sets the sort's memory.
 */
import { CliError, EXIT } from '../errors.ts';
import { newReadStats, personItems, type PersonItem, type ReadOptions, type ReadStats } from './items.ts';
import type { WorkPerson } from './pool.ts';
import { consecutive, sortByPerson, type SortStats } from './sort-by-person.ts';

export type Order = 'any' | 'together';

export interface PeopleOptions extends ReadOptions {
  order: Order;
  /** the same record (byte for byte) more than once counts once (a record carried by two information forms, say) */
  dedupe?: boolean;
  bytesInMemory?: number;
}

export interface PeopleStats extends ReadStats {
  sort: SortStats;
}

export const newPeopleStats = (): PeopleStats => ({ ...newReadStats(), sort: { runs: 0, spilledChars: 0 } });

/** The order asked for: --grouped, --any-order, else `together` for stdin and `any` for files. */
export function orderOf(files: string[], opts: { grouped?: boolean; anyOrder?: boolean }): Order {
  if (opts.grouped && opts.anyOrder) throw new CliError({ zh: '--grouped 与 --any-order 不能同用', en: '--grouped and --any-order exclude each other' }, EXIT.usage);
  if (opts.anyOrder) return 'any';
  if (opts.grouped) return 'together';
  return files.includes('-') ? 'together' : 'any';
}

function sortMemory(): number | undefined {
  const v = process.env.JIEXU_SORT_MEMORY;
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,12}$/.test(v) || Number(v) < 1) throw new CliError({ zh: `JIEXU_SORT_MEMORY 须为正整数（字符数），而不是 "${v}"`, en: `JIEXU_SORT_MEMORY must be a positive whole number (characters), got "${v}"` }, EXIT.usage);
  return Number(v);
}

const split = (files: string[]) => (i: PersonItem): CliError =>
  new CliError(
    {
      zh: `${files[i.src]}：${i.line ? `第 ${i.line} 行：` : ''}参保人 ${i.id} 的记录不连续：请加 --any-order（按参保人排序，内存有界），或先按参保人排序输入`,
      en: `${files[i.src]}: ${i.line ? `line ${i.line}: ` : ''}records of person ${i.id} are not together: add --any-order (sorts by person, bounded memory), or sort the input by person first`,
    },
    EXIT.invalid,
  );

/** Each person (from the files, then from `more`) with the input files with errors that named them (known for `any` order, where every file is read first). */
export async function* people(files: string[], opts: PeopleOptions, stats: PeopleStats, more: Array<AsyncIterable<PersonItem>> = []): AsyncGenerator<WorkPerson> {
  const items = more.length ? chain([personItems(files, opts, stats), ...more]) : personItems(files, opts, stats);
  const groups = opts.order === 'any' ? sortByPerson(items, { bytesInMemory: opts.bytesInMemory ?? sortMemory() }, stats.sort) : consecutive(items, split(files));
  for await (let group of groups) {
    if (opts.dedupe) group = once(group);
    if (!stats.filesWithErrors.size) {
      yield { items: group };
      continue;
    }
    const bad = [...new Set(group.filter((i) => stats.filesWithErrors.has(i.src)).map((i) => files[i.src]))];
    yield bad.length ? { items: group, bad } : { items: group };
  }
}

async function* chain<T>(sources: Array<AsyncIterable<T>>): AsyncGenerator<T> {
  for (const s of sources) yield* s;
}

function once(group: PersonItem[]): PersonItem[] {
  const seen = new Set<string>();
  return group.filter((i) => !seen.has(i.text) && (seen.add(i.text), true));
}

/** Batches of people for the pool. */
export async function* batches<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const x of source) {
    batch.push(x);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
