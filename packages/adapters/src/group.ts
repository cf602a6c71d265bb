/**
 * Rows → rows grouped by person, whatever their order in the file (formats
 * allow any order; real systems often export 缴费明细 sorted by month).
 *
 * Rows are ordered by (the person's first appearance, the row's place in the
 * file): a person-ordered file comes out unchanged, a month-ordered one with
 * each person's rows together and in file order (so "first row wins" and "the
 * later duplicate is not used" mean what they meant).
 *
 * Rows are held as bytes (row-bytes.ts), not as the framing's objects: a held
 * row is a few dozen bytes in one buffer the collector never looks into (the
 * objects, traced at every collection until the spill, were a fifth of month
 * order's time, and they came back as the collector's promotions in the
 * framing's own time). Up to `rowsInMemory` rows or `bytesInMemory` bytes are
 * held; then the rows' indices are sorted by person (a counting sort: no
 * object is moved) and the rows are packed in that order into a run, spilled
 * to a temporary folder, each value that equals the previous row's (a
 * person's id, name, employer… repeat from row to row) left out by a mask.
 * The runs and the last rows held are merged by (person, run): a run's rows
 * of one person follow each other, so the merge's heap takes one step a
 * person and run, not one a row. Memory is bounded by the threshold (plus
 * one small entry per person: its number by first appearance, and the person
 * that last followed it), not by the file's size.
 * The folder is removed when the read ends, and at process exit (temp.ts).
 *
 * Why not a library: the npm external sorters (external-sorting, extsorter)
 * sort text lines by string keys and are barely used; rows here are values
 * with positions, ordered by a number.
 *
 * Account rows are passed on at once (the assembler holds them per person
 * until the person's rows close), as are rows without an identifier (the
 * framing has reported them; the assembler skips them).
 */
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { LegacyRow, RowValues } from './rows.ts';
import type { Position } from './record.ts';
import { inPart, partOfPosition } from './framing/parts.ts';
import { ownCopy } from './own-copy.ts';
import { ByteReader, ByteWriter, LATIN1 } from './row-bytes.ts';
import { removeTemp, tempDir } from './temp.ts';

/** Rows held before a spill, when neither threshold is given. */
export const DEFAULT_ROWS_IN_MEMORY = 1_000_000;
/** Bytes of held rows before a spill, unless `rowsInMemory` alone is given (then rows are counted only). */
export const DEFAULT_BYTES_IN_MEMORY = 64 * 1024 * 1024;

const OUT_BATCH = 512;
/** Rows of one person a run source decodes at a time, at most (a person with more is decoded in several steps). */
const DECODED = 512;
/** Bytes a run's file is read in. */
const READ = 64 * 1024;
/** Keys a row's mask covers: bit j set = the value at key j is written; clear = the previous row's. Keys past these are always written. */
const MASKED = 30;
/** Row flags: the position is `{line: n}` alone (n written as a value; otherwise the position as JSON text); the position is in a part (its name follows). */
const LINE_ONLY = 1;
const IN_PART = 2;

const PERSON_ID = 'person.id';

/** Object.is, written out: the call was a tenth of the time a row is held. */
const same = (a: unknown, b: unknown): boolean => (a === b ? a !== 0 || 1 / (a as number) === 1 / (b as number) : a !== a && b !== b);

/** The position is `{line: n}` alone, n a whole number ≥ 0 (written as a varint). */
const lineOnly = (at: Position): at is Position & { line: number } => {
  let n = 0;
  for (const k in at) {
    if (k !== 'line' || ++n > 1) return false;
  }
  const line = (at as { line?: unknown }).line;
  return n === 1 && typeof line === 'number' && Number.isSafeInteger(line) && line >= 0;
};

/** Builds one row's values from the values of its shape's keys, in order. */
type Builder = (vals: unknown[]) => RowValues;

/**
 * The values of one shape as one object literal made for that shape: rows of
 * one shape share one hidden class and are built without a property lookup a
 * key (less than half the time of storing key by key). Keys are written into
 * the code as JSON string literals.
 */
function builder(keys: string[]): Builder {
  if (keys.includes('__proto__')) {
    // in a literal it would set the prototype
    return (vals) => {
      const values: RowValues = {};
      for (let j = 0; j < keys.length; j++) Object.defineProperty(values, keys[j], { value: vals[j], enumerable: true, writable: true, configurable: true });
      return values;
    };
  }
  return new Function('a', `return { ${keys.map((k, j) => `${JSON.stringify(k)}: a[${j}]`).join(', ')} };`) as Builder;
}

/** The lists of value keys rows use (a framing's rows share one or a few), by number, for one grouping. */
class Shapes {
  readonly keys: string[][] = [];
  readonly builders: Builder[] = [];
  private readonly ids = new Map<string, number>();
  id(keys: string[]): number {
    const name = keys.join('\u0000');
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(keys);
      this.builders.push(builder(keys));
      this.ids.set(name, id);
    }
    return id;
  }
}

/** Recurring values numbered at most, and their length at most: the list is kept until the grouping ends. */
const RECURRING = 4096;
const RECURRING_LENGTH = 64;

/**
 * Strings that recur from row to row in the order rows arrive, numbered: a
 * file sorted by month has one month on thousands of rows in a row, each a
 * different person's, so the mask (a person's previous row) never leaves it
 * out. The second time in a row a string is at one key, it gets a number and
 * is written as that number from then on; read back, it is the one string
 * (no string made a row, no native call).
 */
class Recurring {
  /** By number (ByteReader.known). */
  readonly values: string[] = [];
  /** By key index: the string last written there, and its number (-1: none). */
  private readonly last: unknown[] = [];
  private readonly number: number[] = [];

  write(w: ByteWriter, i: number, v: string): void {
    if (v === this.last[i]) {
      let n = this.number[i];
      if (n < 0 && this.values.length < RECURRING && v.length <= RECURRING_LENGTH) {
        n = this.values.length;
        this.values.push(ownCopy(v)); // kept to the end: not a slice pinning its chunk
        this.number[i] = n;
      }
      if (n >= 0) {
        w.known(n);
        return;
      }
    } else {
      this.last[i] = v;
      this.number[i] = -1;
    }
    w.string(v, LATIN1);
  }
}

/** Bytes a chunk of held rows: rows are written into chunks of this size, kept for the next run (no growing buffer copied, no pages touched twice). */
const CHUNK = 1 << 20;
/** A row starts a new chunk when less than this is left in the current one (a longer row grows its chunk). */
const ROOM = 64 * 1024;
/** Persons whose previous row of the run is remembered (for the mask), by person number modulo this: bounded whatever the file. */
const SLOTS = 1 << 16;

/**
 * Rows as they arrive, as bytes: a row is its shape (varint), flags, its
 * position (a varint, or JSON text), its part's name if any, a mask (varint), then
 * its values in its shape's key order, no keys: bit j of the mask clear when
 * the value at key j is the same (Object.is) as in the person's previous row
 * of the run (of the same shape), and is not written; a person's id, name,
 * employer… repeat from row to row, so a row in month order is mostly its
 * month. The previous row is remembered for SLOTS persons at a time (a
 * person's slot taken by another: the row is written whole). Sorted stably by
 * person, a run then has each masked row right after the row its mask refers
 * to, which is how it is read back (RunSource.decode).
 */
class Held {
  private readonly chunks: Buffer[] = [];
  private chunk = 0;
  private readonly w: ByteWriter;
  /** Bytes of the chunks before the current one. */
  private before = 0;
  persons = new Int32Array(1024);
  private rowChunk = new Int32Array(1024);
  private rowStart = new Int32Array(1024);
  private rowLength = new Int32Array(1024);
  count = 0;
  /** Rows arrived in person order so far (then no sort is needed). */
  private sorted = true;
  private low = Infinity;
  private high = -1;
  private shape = -1;
  private shapeKeys: string[] = [];
  private vals: unknown[] = [];
  private readonly slotPerson = new Int32Array(SLOTS).fill(-1);
  private readonly slotShape = new Int32Array(SLOTS);
  private readonly slotVals: unknown[][] = [];
  constructor(
    private readonly shapes: Shapes,
    private readonly recurring: Recurring,
  ) {
    this.chunks.push(Buffer.allocUnsafe(CHUNK));
    this.w = new ByteWriter(0);
    this.w.buf = this.chunks[0];
  }

  /** Bytes held. */
  get bytes(): number {
    return this.before + this.w.pos;
  }

  /** `id`: the person's identifier as the grouping keeps it (equal to the row's). */
  add(person: number, id: string, row: LegacyRow): void {
    if (this.count === this.persons.length) this.growIndex();
    const values = row.values;
    const vals = this.vals;
    const keys = this.shapeKeys;
    let j = 0;
    let sameShape = this.shape >= 0;
    for (const k in values) {
      if (sameShape && keys[j] !== k) sameShape = false;
      // the kept identifier, not the row's own string: the slot keeps these values until the person's next row, and
      // the row's string, just made by the framing, would be copied by each young collection until then
      vals[j++] = k === PERSON_ID ? id : values[k];
    }
    if (!sameShape || j !== keys.length) {
      this.shape = this.shapes.id(Object.keys(values));
      this.shapeKeys = this.shapes.keys[this.shape];
    }
    const shape = this.shape;
    let w = this.w;
    if (w.pos > w.buf.length - ROOM) w = this.nextChunk();
    const n = this.count++;
    const start = w.pos;
    this.persons[n] = person;
    this.rowChunk[n] = this.chunk;
    this.rowStart[n] = start;
    if (person < this.high) this.sorted = false;
    else this.high = person;
    if (person < this.low) this.low = person;
    const at = row.at;
    const part = partOfPosition(at);
    const line = lineOnly(at);
    w.varint(shape);
    w.u8((line ? LINE_ONLY : 0) | (part !== undefined ? IN_PART : 0));
    if (line) w.varint(at.line);
    else w.string(JSON.stringify(at), LATIN1);
    if (part !== undefined) w.string(part, LATIN1);
    const slot = person & (SLOTS - 1);
    const masked = j < MASKED ? j : MASKED;
    let mask = (1 << masked) - 1;
    if (this.slotPerson[slot] === person && this.slotShape[slot] === shape) {
      const prev = this.slotVals[slot];
      for (let i = 0; i < masked; i++) if (same(vals[i], prev[i])) mask ^= 1 << i;
    }
    w.varint(mask);
    const recurring = this.recurring;
    for (let i = 0; i < j; i++) {
      if (i < masked && (mask & (1 << i)) === 0) continue;
      const v = vals[i];
      if (typeof v === 'string') recurring.write(w, i, v);
      else w.value(v);
    }
    this.rowLength[n] = w.pos - start;
    // this row's values are the person's previous row's now: its array is the slot's, the slot's old one the next row's
    this.vals = this.slotVals[slot] ?? [];
    this.slotVals[slot] = vals;
    this.slotPerson[slot] = person;
    this.slotShape[slot] = shape;
  }

  private growIndex(): void {
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.persons = grow(this.persons);
    this.rowChunk = grow(this.rowChunk);
    this.rowStart = grow(this.rowStart);
    this.rowLength = grow(this.rowLength);
  }

  private nextChunk(): ByteWriter {
    this.chunks[this.chunk] = this.w.buf; // a row longer than ROOM grew it
    this.before += this.w.pos;
    this.chunk++;
    if (this.chunk === this.chunks.length) this.chunks.push(Buffer.allocUnsafe(CHUNK));
    this.w.buf = this.chunks[this.chunk];
    this.w.pos = 0;
    return this.w;
  }

  clear(): void {
    this.chunks[this.chunk] = this.w.buf;
    this.count = 0;
    this.chunk = 0;
    this.before = 0;
    this.w.buf = this.chunks[0];
    this.w.pos = 0;
    this.sorted = true;
    this.low = Infinity;
    this.high = -1;
    this.slotPerson.fill(-1);
    this.slotVals.length = 0;
  }

  /** The rows' indices in (person, arrival) order: a stable counting sort over the persons present. */
  private order(): Int32Array | undefined {
    if (this.sorted) return undefined;
    const { persons, count, low } = this;
    const start = new Int32Array(this.high - low + 2);
    for (let i = 0; i < count; i++) start[persons[i] - low + 1]++;
    for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[start[persons[i] - low]++] = i;
    return out;
  }

  /**
   * The held rows in person order as a run: each row its byte length (u32)
   * and person (varint), then as held.
   */
  pack(out: ByteWriter): void {
    this.chunks[this.chunk] = this.w.buf;
    const order = this.order();
    for (let n = 0; n < this.count; n++) {
      const idx = order === undefined ? n : order[n];
      const person = this.persons[idx];
      const length = this.rowLength[idx];
      const start = this.rowStart[idx];
      out.u32(length + (person < 0x80 ? 1 : person < 0x4000 ? 2 : person < 0x200000 ? 3 : person < 0x10000000 ? 4 : 5));
      out.varint(person);
      out.copy(this.chunks[this.rowChunk[idx]], start, start + length);
    }
  }
}

/**
 * Rows of one run back, in order, a person's at a time (DECODED at most): `rows`
 * are all `head`'s, -1 once the run is read. Decoded no further ahead: rows
 * decoded ahead for every run would be copied by each young collection until
 * the merge reaches their person.
 */
class RunSource {
  head = -1;
  rows: LegacyRow[] = [];
  private readonly r = new ByteReader();
  /** Bytes of r.buf that hold the run's data. */
  private end = 0;
  private filePos = 0;
  private prev: unknown[] = [];
  private cur: unknown[] = [];

  constructor(
    private readonly shapes: Shapes,
    recurring: Recurring,
    private readonly order: number,
    data: Buffer | undefined,
    private readonly fh?: FileHandle,
    private readonly file?: string,
  ) {
    this.r.known = recurring.values;
    if (data) {
      this.r.buf = data;
      this.end = data.length;
    }
  }

  /** Orders sources by (head person, run). */
  before(o: RunSource): boolean {
    return this.head < o.head || (this.head === o.head && this.order < o.order);
  }

  /** Decodes the next rows; a promise only when the file must be read first. */
  next(): Promise<void> | undefined {
    this.rows = [];
    return this.decode() > 0 ? undefined : this.read();
  }

  private async read(): Promise<void> {
    for (;;) {
      if (!this.fh || !(await this.fill())) {
        if (this.r.pos < this.end) throw new Error(`internal: ${this.file ?? 'a run in memory'} cut short`);
        this.head = -1;
        return;
      }
      if (this.decode() > 0) return;
    }
  }

  /** Reads more of the file after the whole rows not yet decoded, into the same buffer when they fit; false at its end. */
  private async fill(): Promise<boolean> {
    const r = this.r;
    const keep = this.end - r.pos;
    const need = keep >= 4 ? 4 + r.buf.readUInt32LE(r.pos) : 4;
    const size = Math.max(READ, 2 * need);
    if (r.buf.length >= size) r.buf.copyWithin(0, r.pos, this.end); // nothing made from the buffer points into it
    else {
      const next = Buffer.allocUnsafe(size);
      r.buf.copy(next, 0, r.pos, this.end);
      r.buf = next;
    }
    const { bytesRead } = await this.fh!.read(r.buf, keep, r.buf.length - keep, this.filePos);
    this.filePos += bytesRead;
    r.pos = 0;
    this.end = keep + bytesRead;
    return bytesRead > 0;
  }

  /** The whole rows in the buffer of one person (the first's), up to DECODED; how many (`head` is the person). */
  private decode(): number {
    const r = this.r;
    const { keys, builders } = this.shapes;
    let n = 0;
    while (n < DECODED && r.pos + 4 <= this.end) {
      const length = r.buf.readUInt32LE(r.pos);
      if (r.pos + 4 + length > this.end) break;
      const start = r.pos;
      r.pos += 4;
      const person = r.varint();
      if (n === 0) this.head = person;
      else if (person !== this.head) {
        r.pos = start;
        break;
      }
      const shape = r.varint();
      const flags = r.u8();
      const at: Position = flags & LINE_ONLY ? { line: r.varint() } : (JSON.parse(r.string()) as Position);
      if (flags & IN_PART) inPart(at, r.string());
      const mask = r.varint();
      const width = keys[shape].length;
      const cur = this.cur;
      const prev = this.prev;
      for (let j = 0; j < width; j++) cur[j] = j < MASKED && (mask & (1 << j)) === 0 ? prev[j] : r.value();
      const values = builders[shape](cur);
      this.prev = cur;
      this.cur = prev;
      this.rows.push({ role: 'row', values, at });
      n++;
    }
    return n;
  }
}

/** The sources' rows by (person, run), in batches: one heap step a person and run. */
async function* merge(sources: RunSource[]): AsyncGenerator<LegacyRow[]> {
  const heap = sources.filter((s) => s.head >= 0);
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l].before(heap[m])) m = l;
      if (r < heap.length && heap[r].before(heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let out: LegacyRow[] = [];
  while (heap.length) {
    const s = heap[0];
    const person = s.head;
    do {
      for (const row of s.rows) out.push(row);
      const reading = s.next();
      if (reading) await reading;
    } while (s.head === person);
    if (s.head < 0) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    if (heap.length) down(0);
    if (out.length >= OUT_BATCH) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

export interface GroupOptions {
  /** Rows held in memory before a run is spilled to a temporary file. */
  rowsInMemory?: number;
  /** Bytes of held rows before a run is spilled (default DEFAULT_BYTES_IN_MEMORY, or no bound when `rowsInMemory` alone is given). */
  bytesInMemory?: number;
  /** Asked when the first batch arrives: true when the framing found each person's rows together (FileHeader.personsTogether); they then pass unchanged. */
  together?: () => boolean;
}

export async function* groupByPerson(rows: AsyncIterable<LegacyRow[]>, opts: GroupOptions = {}): AsyncGenerator<LegacyRow[]> {
  const maxRows = Math.max(1, opts.rowsInMemory ?? DEFAULT_ROWS_IN_MEMORY);
  const maxBytes = opts.bytesInMemory ?? (opts.rowsInMemory === undefined ? DEFAULT_BYTES_IN_MEMORY : Infinity);
  const firstSeen = new Map<string, number>();
  /** Person number → its id (firstSeen's key), and → the person of the row that last followed one of its rows (-1: none yet). */
  const ids: string[] = [];
  let successor = new Int32Array(1024).fill(-1);
  let lastPerson = -1;
  const shapes = new Shapes();
  const recurring = new Recurring();
  let held: Held | undefined = new Held(shapes, recurring);
  let packed: ByteWriter | undefined;
  let dir: string | undefined;
  const runs: string[] = [];
  const opened: FileHandle[] = [];
  const spill = async (h: Held): Promise<void> => {
    const size = h.bytes + h.count * 9; // a row's length (u32) and person (varint) added
    if (!packed || packed.buf.length < size) packed = new ByteWriter(size);
    packed.pos = 0;
    h.pack(packed);
    h.clear();
    dir ??= tempDir('jiexu-group-');
    const file = join(dir, `run-${runs.length}`);
    runs.push(file);
    await writeFile(file, packed.buf.subarray(0, packed.pos));
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
        const id = row.values[PERSON_ID];
        if (row.role === 'account' || typeof id !== 'string') {
          passOn.push(row);
          continue;
        }
        // the person: most often the one that followed the previous row's person last time (a file sorted by month
        // lists the persons in the same order every month), or the previous row's; checked by the id itself
        let k = -1;
        if (lastPerson >= 0) {
          const guess = successor[lastPerson];
          if (guess >= 0 && ids[guess] === id) k = guess;
          else if (ids[lastPerson] === id) k = lastPerson;
        }
        if (k < 0) {
          const known = firstSeen.get(id);
          if (known !== undefined) k = known;
          else {
            k = firstSeen.size;
            const own = ownCopy(id);
            firstSeen.set(own, k);
            ids.push(own);
            if (k === successor.length) {
              const grown = new Int32Array(2 * k).fill(-1);
              grown.set(successor);
              successor = grown;
            }
          }
        }
        if (lastPerson >= 0) successor[lastPerson] = k;
        lastPerson = k;
        held.add(k, ids[k], row);
        if (held.count >= maxRows || held.bytes >= maxBytes) await spill(held);
      }
      if (passOn.length) yield passOn;
    }
    if (together) return;
    // the rows still held: packed in memory (the held bytes let go), the last run of the merge
    const last = new ByteWriter(Math.max(16, held.bytes + held.count * 9));
    held.pack(last);
    held = undefined;
    packed = undefined;
    const sources = [];
    for (let n = 0; n < runs.length; n++) {
      const fh = await open(runs[n], 'r');
      opened.push(fh);
      sources.push(new RunSource(shapes, recurring, n, undefined, fh, runs[n]));
    }
    sources.push(new RunSource(shapes, recurring, runs.length, last.buf.subarray(0, last.pos)));
    for (const s of sources) await s.next();
    yield* merge(sources);
  } finally {
    for (const fh of opened) await fh.close().catch(() => undefined);
    if (dir) await removeTemp(dir);
  }
}
