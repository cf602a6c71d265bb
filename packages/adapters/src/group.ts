/**
 * Rows → rows grouped by person, whatever their order in the file (formats
 * allow any order; real systems often export 缴费明细 sorted by month).
 *
 * Rows are ordered by (the person's first appearance, the row's place in the
 * file): a person-ordered file comes out unchanged, a month-ordered one with
 * each person's rows together and in file order (so "first row wins" and "the
 * later duplicate is not used" mean what they meant). Up to `rowsInMemory`
 * rows are sorted in memory; past that, sorted runs are spilled to a temporary
 * folder (v8-serialized blocks) and merged: memory is bounded by the threshold
 * (plus one entry per person for its first appearance), not by the file's size.
 * The folder is removed when the read ends, and at process exit (temp.ts).
 *
 * Why not a library: the npm external sorters (external-sorting, extsorter)
 * sort text lines by string keys and are barely used; rows are objects with
 * positions and the merge is sixty lines.
 *
 * Account rows are passed on at once (the assembler holds them per person
 * until the person's rows close), as are rows without an identifier (the
 * framing has reported them; the assembler skips them).
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { LegacyRow } from './rows.ts';
import { removeTemp, tempDir } from './temp.ts';

export const DEFAULT_ROWS_IN_MEMORY = 100_000;

/**
 * A string that owns its characters: parsers hand out slices of their decoded
 * chunk (V8 sliced strings), and one kept for the whole read would pin its
 * whole chunk (1 MB) in memory.
 */
export const ownCopy = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');
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
const compare = (a: Entry, b: Entry): number => a[0] - b[0] || a[1] - b[1];

interface Source {
  head: Entry | undefined;
  advance(): Promise<void>;
}

/** A spilled run read back block by block. */
async function runSource(file: string): Promise<Source & { close(): Promise<void> }> {
  const fh = await open(file, 'r');
  let pos = 0;
  let block: Entry[] = [];
  let i = 0;
  const len = Buffer.alloc(4);
  const readBlock = async (): Promise<boolean> => {
    const { bytesRead } = await fh.read(len, 0, 4, pos);
    if (bytesRead < 4) return false;
    const n = len.readUInt32LE(0);
    const body = Buffer.alloc(n);
    await fh.read(body, 0, n, pos + 4);
    pos += 4 + n;
    block = deserialize(body) as Entry[];
    i = 0;
    return true;
  };
  const src = {
    head: undefined as Entry | undefined,
    async advance() {
      if (i >= block.length && !(await readBlock())) {
        src.head = undefined;
        return;
      }
      src.head = block[i++];
    },
    close: () => fh.close(),
  };
  await src.advance();
  return src;
}

function memorySource(entries: Entry[]): Source {
  let i = 0;
  const src: Source = {
    head: entries[0],
    async advance() {
      i++;
      src.head = entries[i];
    },
  };
  return src;
}

async function writeRun(file: string, entries: Entry[]): Promise<void> {
  const parts: Buffer[] = [];
  for (let i = 0; i < entries.length; i += BLOCK) {
    const body = serialize(entries.slice(i, i + BLOCK));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(body.length, 0);
    parts.push(len, body);
  }
  await writeFile(file, parts);
}

/** k-way merge of sorted sources by a binary heap. */
async function* merge(sources: Source[]): AsyncGenerator<LegacyRow[]> {
  const heap = sources.filter((s) => s.head !== undefined);
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l].head!, heap[m].head!)) m = l;
      if (r < heap.length && before(heap[r].head!, heap[m].head!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let out: LegacyRow[] = [];
  while (heap.length) {
    const top = heap[0];
    out.push(top.head![2]);
    await top.advance();
    if (top.head === undefined) {
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
    if (!sorted) buf.sort(compare);
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
    if (!sorted) buf.sort(compare);
    if (!runs.length) {
      for (let i = 0; i < buf.length; i += OUT_BATCH) yield buf.slice(i, i + OUT_BATCH).map((e) => e[2]);
      return;
    }
    const sources: Source[] = [memorySource(buf)];
    for (const file of runs) {
      const s = await runSource(file);
      opened.push(s);
      sources.push(s);
    }
    yield* merge(sources);
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    if (dir) await removeTemp(dir);
  }
}
