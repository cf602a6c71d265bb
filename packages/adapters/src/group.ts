/**
 * Rows → rows grouped by person, whatever their order in the file (formats
 * allow any order; real systems often export 缴费明细 sorted by month).
 *
 * Rows are ordered by (the person's first appearance, the row's place in the
 * file): a person-ordered file comes out unchanged, a month-ordered one with
 * each person's rows together and in file order (so "first row wins" and "the
 * later duplicate is not used" mean what they meant). Up to `rowsInMemory`
 * rows are sorted in memory; past that, sorted runs are spilled to a temporary
 * folder (blocks of JSON, each row its values without keys) and merged
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
import type { Value } from './values.ts';
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
/** Bytes a run's file is read in (several blocks: a block of compact rows is a few kB). */
const READ = 64 * 1024;

/** [person's first appearance, row's sequence number, row] */
type Entry = [number, number, LegacyRow];

const before = (a: Entry, b: Entry): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
/** A run is sorted and runs are written in input order: one run's entries of a person follow each other in the merge. */
const samePerson = (a: Entry, b: Entry): boolean => a[0] === b[0];

/**
 * Rows as spilled: a block is one JSON array `[shapes, flat]` — `shapes` the
 * lists of value keys its rows use (a framing's rows share one), `flat` each
 * row as person, sequence, head, position, [part,] then its values in its
 * shape's key order, no keys. head = shape × 4 + 2 if the position is in a
 * part (a folder's file, named next) + 1 for an account row. A position that
 * is `{line: n}` alone is written as n. Then a mask: bit j (j < MASKED) clear
 * when the value at key j is equal (Object.is) to the block's previous row's,
 * of the same shape, and is not written (a run is sorted by person, so a
 * person's id, name, employer… repeat from row to row); then the values
 * written: `{"u": 1}` for a key whose value is undefined, a number JSON cannot
 * hold (NaN, ±Infinity, -0: it would come back as null or 0) as `{"n": text}`, null as
 * null. Values are never objects, so no marker is taken for a value (and a boolean a hook
 * returns despite its type comes back as it went). JSON because V8 writes and reads it
 * faster than v8.serialize; a flat array of primitives without keys is
 * several times less to write and parse than the rows as objects.
 */
/** Keys a row's mask covers: bit j set = the value at key j is written; clear = the previous row's. Keys past these are always written. */
const MASKED = 30;
const UNDEFINED = { u: 1 };
const LINE_ONLY = (at: Position): at is Position & { line: number } => {
  let n = 0;
  for (const k in at) {
    if (k !== 'line' || ++n > 1) return false;
  }
  return n === 1 && typeof (at as { line?: unknown }).line === 'number';
};

function encodeBlock(entries: Entry[], from: number, to: number): string {
  const shapes: string[][] = [];
  const shapeIds = new Map<string, number>();
  const flat: unknown[] = [];
  let shape: string[] = [];
  let shapeId = -1;
  let cur: unknown[] = [];
  let prev: unknown[] | undefined; // the previous row's values, by key index, when of the same shape
  for (let i = from; i < to; i++) {
    const e = entries[i];
    const row = e[2];
    const values = row.values;
    let j = 0;
    let same = shapeId >= 0;
    for (const k in values) {
      if (same && shape[j] !== k) same = false;
      cur[j++] = values[k];
    }
    if (!same || j !== shape.length) {
      const keys = Object.keys(values);
      const name = keys.join('\u0000');
      let id = shapeIds.get(name);
      if (id === undefined) {
        id = shapes.length;
        shapes.push(keys);
        shapeIds.set(name, id);
      }
      if (id !== shapeId) prev = undefined;
      shape = keys;
      shapeId = id;
    }
    const part = partOfPosition(row.at);
    flat.push(e[0], e[1], shapeId * 4 + (part !== undefined ? 2 : 0) + (row.role === 'account' ? 1 : 0), LINE_ONLY(row.at) ? row.at.line : row.at);
    if (part !== undefined) flat.push(part);
    const maskAt = flat.length;
    flat.push(0);
    let mask = 0;
    for (j = 0; j < shape.length; j++) {
      const v = cur[j];
      if (j < MASKED) {
        if (prev !== undefined && Object.is(v, prev[j])) continue;
        mask |= 1 << j;
      }
      if (v === undefined) flat.push(UNDEFINED);
      else if (typeof v === 'number' && (v - v !== 0 || (v === 0 && 1 / v < 0))) flat.push({ n: v === 0 ? '-0' : String(v) }); // NaN, ±Infinity (x − x is NaN only for them), -0
      else flat.push(v);
    }
    flat[maskAt] = mask;
    const was = prev ?? [];
    prev = cur;
    cur = was;
    entries[i] = undefined as unknown as Entry; // written: let it go as the run is encoded (at 100k rows, most of the heap)
  }
  return JSON.stringify([shapes, flat]);
}

/** A spilled value back: the markers for undefined and for a number JSON cannot hold. */
function spilledValue(v: unknown): Value {
  if (typeof v === 'object' && v !== null) return 'n' in v ? Number((v as { n: string }).n) : undefined;
  return v as string | number;
}

/** Builds one row's values from `flat` at `cursor.i` (moved past them), taking the keys the mask leaves out from `prev`. */
type Builder = (flat: unknown[], cursor: { i: number }, mask: number, prev: RowValues | undefined) => RowValues;

/**
 * The values of one shape back from a block, as one object literal made for
 * that shape: rows of one shape share one hidden class and are built without
 * a property lookup a key (less than half the time of storing key by key).
 * Keys are written into the code as JSON string literals.
 */
function builder(keys: string[]): Builder {
  if (keys.includes('__proto__')) return genericBuilder(keys); // in a literal it would set the prototype
  const props = keys.map((k, j) => {
    const key = JSON.stringify(k);
    return `${key}: ${j < MASKED ? `(m & ${1 << j}) === 0 ? p[${key}] : ` : ''}v(f[i++])`;
  });
  return new Function('v', `return function (f, c, m, p) { let i = c.i; const o = { ${props.join(', ')} }; c.i = i; return o; };`)(spilledValue) as Builder;
}

function genericBuilder(keys: string[]): Builder {
  return (flat, cursor, mask, prev) => {
    const values: RowValues = {};
    for (let j = 0; j < keys.length; j++) {
      const value = j < MASKED && (mask & (1 << j)) === 0 ? prev![keys[j]] : spilledValue(flat[cursor.i++]);
      Object.defineProperty(values, keys[j], { value, enumerable: true, writable: true, configurable: true });
    }
    return values;
  };
}

/** Builders of the shapes met in one grouping, by their keys joined with NUL: a block's shapes are those of the blocks before it. */
type Builders = Map<string, Builder>;

function decodeBlock(text: string, known: Builders): Entry[] {
  const [shapes, flat] = JSON.parse(text) as [string[][], unknown[]];
  const builders = shapes.map((keys) => {
    const name = keys.join('\u0000');
    let b = known.get(name);
    if (!b) known.set(name, (b = builder(keys)));
    return b;
  });
  const out: Entry[] = [];
  let prev: RowValues | undefined;
  let prevShape = -1;
  const cursor = { i: 0 };
  while (cursor.i < flat.length) {
    let i = cursor.i;
    const person = flat[i] as number;
    const seq = flat[i + 1] as number;
    const head = flat[i + 2] as number;
    const spilledAt = flat[i + 3] as number | Position;
    i += 4;
    const at: Position = typeof spilledAt === 'number' ? { line: spilledAt } : spilledAt;
    if (head & 2) inPart(at, flat[i++] as string);
    const shapeId = head >> 2;
    if (shapeId !== prevShape) prev = undefined;
    const mask = flat[i++] as number;
    cursor.i = i;
    const values = builders[shapeId](flat, cursor, mask, prev);
    prev = values;
    prevShape = shapeId;
    out.push([person, seq, { role: head & 1 ? 'account' : 'row', values, at }]);
  }
  return out;
}

/** A spilled run read back block by block, READ bytes a read: one await a read, none an entry. */
async function runSource(file: string, builders: Builders): Promise<MergeSource<Entry> & { close(): Promise<void> }> {
  const fh = await open(file, 'r');
  let pos = 0; // file offset of buf[0]
  let buf = Buffer.alloc(0);
  let at = 0; // next block's offset in buf
  let block: Entry[] = [];
  let i = 0;
  /** Makes buf hold `n` bytes from `at`; false at the end of the file. */
  const fill = async (n: number): Promise<boolean> => {
    if (buf.length - at >= n) return true;
    const keep = buf.subarray(at);
    const next = Buffer.allocUnsafe(Math.max(n, READ));
    keep.copy(next, 0);
    const { bytesRead } = await fh.read(next, keep.length, next.length - keep.length, pos + buf.length);
    pos += at;
    buf = next.subarray(0, keep.length + bytesRead);
    at = 0;
    return buf.length >= n;
  };
  const readBlock = async (): Promise<boolean> => {
    if (!(await fill(4))) return false;
    const n = buf.readUInt32LE(at);
    if (!(await fill(4 + n))) throw new Error(`${file}: run cut short`);
    block = decodeBlock(buf.toString('utf8', at + 4, at + 4 + n), builders);
    at += 4 + n;
    i = 0;
    return true;
  };
  const src = {
    head: undefined as Entry | undefined,
    advance(): Promise<void> | void {
      if (i < block.length) {
        src.head = block[i++];
        return;
      }
      return readBlock().then((more) => {
        src.head = more ? block[i++] : undefined;
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
    const body = Buffer.from(encodeBlock(entries, i, Math.min(entries.length, i + BLOCK)), 'utf8');
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
    const builders: Builders = new Map();
    for (const file of runs) {
      const s = await runSource(file, builders);
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
