/**
 * Rows → rows grouped by person, whatever their order in the file (formats
 * allow any order; real systems often export 缴费明细 sorted by month).
 *
 * Rows are ordered by (the person's first appearance, the row's place in the
 * file): a person-ordered file comes out unchanged, a month-ordered one with
 * each person's rows together and in file order (so "first row wins" and "the
 * later duplicate is not used" mean what they meant). Up to `rowsInMemory`
 * rows are sorted in memory; past that, sorted runs are spilled to a temporary
 * folder (blocks of JSON, each row an array of its values) and merged
 * (merge.ts), a run's rows of one person at a time: memory is bounded by the
 * threshold (plus one entry per person for its first appearance), not by the
 * file's size.
 * The folder is removed when the read ends, and at process exit (temp.ts).
 *
 * Why not a library: the npm external sorters (external-sorting, extsorter)
 * sort text lines by string keys and are barely used; rows are objects with
 * positions, and the merge (merge.ts) is shared with the CLI's sort by person.
 *
 * Account rows are passed on at once (the assembler holds them per person
 * until the person's rows close), as are rows without an identifier (the
 * framing has reported them; the assembler skips them).
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LegacyRow, RowValues } from './rows.ts';
import type { Position } from './record.ts';
import { inPart, partOfPosition } from './framing/parts.ts';
import { mergeBatches, type MergeSource } from './merge.ts';
import { ownCopy } from './own-copy.ts';
import { removeTemp, tempDir } from './temp.ts';

export const DEFAULT_ROWS_IN_MEMORY = 100_000;

/**
 * Entries a spilled run is written and read back in: the merge holds one block
 * of every run at once, so the block is small (at 10M rows, 100 runs × 256 =
 * 25,600 rows in the merge, where 2,048 a block made it 204,800).
 */
const BLOCK = 256;
const OUT_BATCH = 512;

/** [person's first appearance, row's sequence number, row] */
type Entry = [number, number, LegacyRow];

const before = (a: Entry, b: Entry): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
/** A run is sorted and runs are written in input order: one run's entries of a person follow each other in the merge. */
const samePerson = (a: Entry, b: Entry): boolean => a[0] === b[0];

/**
 * Rows as spilled: a block is one JSON array, each row an array of person,
 * sequence, role, position, part (a folder's file, or 0) and values — JSON
 * because V8 writes and reads it faster than v8.serialize, and objects of one
 * shape (a framing's rows) on its fast path. Values are strings and numbers
 * (and null, which JSON keeps); a number JSON cannot hold (NaN, ±Infinity:
 * it would come back as null) is never expected, but should one appear its
 * block is written with each such number as `{"n": text}` instead.
 */
type Spilled = [number, number, 0 | 1, Position, string | 0, RowValues];

const spilled = (e: Entry): Spilled => [e[0], e[1], e[2].role === 'account' ? 1 : 0, e[2].at, partOfPosition(e[2].at) ?? 0, e[2].values];

/** Whether a row holds a number JSON cannot (x − x is NaN only for NaN and ±Infinity). */
function hasNonFinite(values: RowValues): boolean {
  for (const k in values) {
    const v = values[k];
    if (typeof v === 'number' && v - v !== 0) return true;
  }
  return false;
}

const exactNumbers = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { n: String(v) } : v);

/** A block as JSON; with a replacer (several times slower) only when a row holds a non-finite number. */
const encodeBlock = (block: Spilled[], nonFinite: boolean): string => (nonFinite ? JSON.stringify(block, exactNumbers) : JSON.stringify(block));

function decodeBlock(text: string): Spilled[] {
  const block = JSON.parse(text) as Spilled[];
  if (text.includes('{"n":')) {
    for (const s of block) {
      for (const k in s[5]) {
        const v = s[5][k] as unknown;
        if (typeof v === 'object' && v !== null && 'n' in v) s[5][k] = Number((v as { n: string }).n);
      }
    }
  }
  return block;
}

function unspilled(s: Spilled): Entry {
  const at = s[3];
  if (s[4] !== 0) inPart(at, s[4]);
  return [s[0], s[1], { role: s[2] === 1 ? 'account' : 'row', values: s[5], at }];
}

/** A spilled run read back block by block: one await a block, none an entry. */
async function runSource(file: string): Promise<MergeSource<Entry> & { close(): Promise<void> }> {
  const fh = await open(file, 'r');
  let pos = 0;
  let block: Spilled[] = [];
  let i = 0;
  const len = Buffer.alloc(4);
  const readBlock = async (): Promise<boolean> => {
    const { bytesRead } = await fh.read(len, 0, 4, pos);
    if (bytesRead < 4) return false;
    const n = len.readUInt32LE(0);
    const body = Buffer.alloc(n);
    await fh.read(body, 0, n, pos + 4);
    pos += 4 + n;
    block = decodeBlock(body.toString('utf8'));
    i = 0;
    return true;
  };
  const src = {
    head: undefined as Entry | undefined,
    advance(): Promise<void> | void {
      if (i < block.length) {
        src.head = unspilled(block[i++]);
        return;
      }
      return readBlock().then((more) => {
        src.head = more ? unspilled(block[i++]) : undefined;
      });
    },
    close: () => fh.close(),
  };
  await src.advance();
  return src;
}

function memorySource(entries: Entry[]): MergeSource<Entry> {
  let i = 0;
  const src: MergeSource<Entry> = {
    head: entries[0],
    advance() {
      entries[i] = undefined as unknown as Entry; // passed on: not held for the rest of the merge
      i++;
      src.head = entries[i];
    },
  };
  return src;
}

async function writeRun(file: string, entries: Entry[]): Promise<void> {
  const parts: Buffer[] = [];
  for (let i = 0; i < entries.length; i += BLOCK) {
    const end = Math.min(entries.length, i + BLOCK);
    const block: Spilled[] = [];
    let nonFinite = false;
    for (let j = i; j < end; j++) {
      block.push(spilled(entries[j]));
      if (hasNonFinite(entries[j][2].values)) nonFinite = true;
      entries[j] = undefined as unknown as Entry; // written: let it go as the run is encoded (at 100k rows, most of the heap)
    }
    const body = Buffer.from(encodeBlock(block, nonFinite), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(body.length, 0);
    parts.push(len, body);
  }
  await writeFile(file, parts);
}

/**
 * Entries sorted by (person, sequence) in linear time: they arrive in sequence
 * order, so a stable counting sort by person is enough (no comparisons; at
 * 100k entries a run, the comparison sort was a fifth of the grouping).
 */
function sortEntries(entries: Entry[], persons: number): Entry[] {
  const start = new Int32Array(persons + 1);
  for (const e of entries) start[e[0] + 1]++;
  for (let k = 0; k < persons; k++) start[k + 1] += start[k];
  const out: Entry[] = new Array(entries.length);
  for (const e of entries) out[start[e[0]]++] = e;
  return out;
}

export interface GroupOptions {
  /** Rows sorted in memory before a run is spilled to a temporary file. */
  rowsInMemory?: number;
  /** Asked when the first batch arrives: true when the framing found each person's rows together (FileHeader.personsTogether); they then pass unchanged. */
  together?: () => boolean;
}

export async function* groupByPerson(rows: AsyncIterable<LegacyRow[]>, opts: GroupOptions = {}): AsyncGenerator<LegacyRow[]> {
  const limit = Math.max(1, opts.rowsInMemory ?? DEFAULT_ROWS_IN_MEMORY);
  const firstSeen = new Map<string, number>();
  let buf: Entry[] = [];
  let sorted = true;
  let seq = 0;
  let dir: string | undefined;
  const runs: string[] = [];
  const opened: { close(): Promise<void> }[] = [];
  const spill = async (): Promise<void> => {
    if (!sorted) buf = sortEntries(buf, firstSeen.size);
    dir ??= tempDir('jiexu-group-');
    const file = join(dir, `run-${runs.length}`);
    await writeRun(file, buf);
    runs.push(file);
    buf = [];
    sorted = true;
  };
  let asked = false;
  let together = false;
  try {
    for await (const batch of rows) {
      if (!asked) {
        asked = true;
        together = opts.together?.() === true;
      }
      if (together) {
        yield batch;
        continue;
      }
      const passOn: LegacyRow[] = [];
      for (const row of batch) {
        const id = row.values['person.id'];
        if (row.role === 'account' || typeof id !== 'string') {
          passOn.push(row);
          continue;
        }
        let k = firstSeen.get(id);
        if (k === undefined) {
          k = firstSeen.size;
          firstSeen.set(ownCopy(id), k);
        }
        const e: Entry = [k, seq++, row];
        if (sorted && buf.length && before(e, buf[buf.length - 1])) sorted = false;
        buf.push(e);
        if (buf.length >= limit) await spill();
      }
      if (passOn.length) yield passOn;
    }
    if (together) return;
    if (!sorted) buf = sortEntries(buf, firstSeen.size);
    if (!runs.length) {
      for (let i = 0; i < buf.length; i += OUT_BATCH) yield buf.slice(i, i + OUT_BATCH).map((e) => e[2]);
      return;
    }
    const sources: MergeSource<Entry>[] = [memorySource(buf)];
    for (const file of runs) {
      const s = await runSource(file);
      opened.push(s);
      sources.push(s);
    }
    buf = [];
    for await (const batch of mergeBatches(sources, before, { together: samePerson, batch: OUT_BATCH })) yield batch.map((e) => e[2]);
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    if (dir) await removeTemp(dir);
  }
}
