/**
 * Person items → each person's items together, whatever the order of the
 * input and however many files a person's records are spread over: an
 * external merge sort by (person id, input order). Up to `bytesInMemory`
 * characters of records are sorted in memory; past that, sorted runs are
 * spilled to a temporary folder (one line per item) and merged with a binary
 * heap (the adapters' mergeSorted, the merge of their own row grouping too), so memory is bounded by the threshold plus a read buffer per run, not
 * by the size of the input. People come out in the order of their ids (as
 * `assess` has always printed them), a person's records in input order.
 *
 * The folder is removed when the sort ends, is abandoned, or the process exits
 * (SIGINT/SIGTERM included: @jiexu/adapters temp.ts).
 *
 * Why not the adapters' groupByPerson: that groups legacy rows of one file
 * (by first appearance, with one map entry per person); this sorts whole
 * records of several files by id, holding nothing per person.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { mergeSorted, removeTemp, trackTemp } from '@jiexu/adapters';
import type { PersonItem } from './items.ts';

/** 32 M characters of records (~64 MB of strings: records with Chinese names are two-byte strings) before a run is spilled. */
export const DEFAULT_BYTES_IN_MEMORY = 32 << 20;
/** Rough per-item overhead of an item object beside its text. */
const ITEM_OVERHEAD = 160;

export interface SortStats {
  /** runs spilled to disk (0: the input fitted in memory) */
  runs: number;
  /** characters spilled */
  spilledChars: number;
}

export const before = (a: PersonItem, b: PersonItem): boolean => (a.id < b.id ? true : a.id > b.id ? false : a.seq < b.seq);
const compare = (a: PersonItem, b: PersonItem): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.seq - b.seq);

/** One item per line: JSON id, src, seq, line, trusted, text (canonical JSON has no raw tab or newline). */
function itemLine(i: PersonItem): string {
  return `${JSON.stringify(i.id)}\t${i.src}\t${i.seq}\t${i.line}\t${i.trusted ? 1 : 0}\t${i.text}\n`;
}

function parseItemLine(l: string): PersonItem {
  const t1 = l.indexOf('\t');
  const t2 = l.indexOf('\t', t1 + 1);
  const t3 = l.indexOf('\t', t2 + 1);
  const t4 = l.indexOf('\t', t3 + 1);
  const t5 = l.indexOf('\t', t4 + 1);
  return {
    id: JSON.parse(l.slice(0, t1)) as string,
    src: Number(l.slice(t1 + 1, t2)),
    seq: Number(l.slice(t2 + 1, t3)),
    line: Number(l.slice(t3 + 1, t4)),
    trusted: l.slice(t4 + 1, t5) === '1',
    text: l.slice(t5 + 1),
  };
}

/**
 * Written synchronously: an interrupt (SIGINT → exit → the folder removed at
 * once) never meets a file still being created by the thread pool, which
 * would leave the folder behind.
 */
function writeRun(file: string, items: PersonItem[]): void {
  const fd = openSync(file, 'w');
  try {
    let chunk = '';
    for (const i of items) {
      chunk += itemLine(i);
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

interface Source {
  head: PersonItem | undefined;
  advance(): Promise<void>;
  close(): void;
}

async function runSource(file: string): Promise<Source> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 << 10 });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  const lines = rl[Symbol.asyncIterator]();
  const src: Source = {
    head: undefined,
    async advance() {
      const n = await lines.next();
      src.head = n.done ? undefined : parseItemLine(n.value);
    },
    close() {
      rl.close();
      stream.destroy();
    },
  };
  await src.advance();
  return src;
}

function memorySource(items: PersonItem[]): Source {
  let i = 0;
  const src: Source = {
    head: items[0],
    async advance() {
      i += 1;
      src.head = items[i];
    },
    close() {},
  };
  return src;
}

/** Consecutive items of one person → one group. */
async function* together(items: AsyncIterable<PersonItem> | Iterable<PersonItem>): AsyncGenerator<PersonItem[]> {
  let group: PersonItem[] = [];
  for await (const i of items) {
    if (group.length && group[0].id !== i.id) {
      yield group;
      group = [];
    }
    group.push(i);
  }
  if (group.length) yield group;
}

/** Each person's items, people in id order, a person's items in input order. */
export async function* sortByPerson(items: AsyncIterable<PersonItem>, opts: { bytesInMemory?: number } = {}, stats: SortStats = { runs: 0, spilledChars: 0 }): AsyncGenerator<PersonItem[]> {
  const limit = Math.max(1, opts.bytesInMemory ?? DEFAULT_BYTES_IN_MEMORY);
  let buf: PersonItem[] = [];
  let size = 0;
  let dir: string | undefined;
  const runs: string[] = [];
  const opened: Source[] = [];
  try {
    for await (const item of items) {
      buf.push(item);
      size += item.text.length + ITEM_OVERHEAD;
      if (size >= limit) {
        buf.sort(compare);
        if (!dir) {
          dir = mkdtempSync(join(tmpdir(), 'jiexu-people-'));
          trackTemp(dir);
        }
        const file = join(dir, `run-${runs.length}`);
        writeRun(file, buf);
        runs.push(file);
        stats.runs += 1;
        stats.spilledChars += size;
        buf = [];
        size = 0;
      }
    }
    buf.sort(compare);
    if (!runs.length) {
      yield* together(buf);
      return;
    }
    const sources = [memorySource(buf)];
    for (const file of runs) {
      const s = await runSource(file);
      opened.push(s);
      sources.push(s);
    }
    buf = [];
    yield* together(mergeSorted(sources, before));
  } finally {
    for (const s of opened) s.close();
    if (dir) await removeTemp(dir);
  }
}

/**
 * Items whose people are already together (as `jiexu simulate` writes them):
 * passed on a person at a time, holding one person; a person seen again after
 * their records closed is an error (`onSplit`), since the result would count
 * them twice.
 */
export async function* consecutive(items: AsyncIterable<PersonItem>, onSplit: (item: PersonItem) => Error): AsyncGenerator<PersonItem[]> {
  const done = new Set<string>();
  let group: PersonItem[] = [];
  for await (const i of items) {
    if (group.length && group[0].id !== i.id) {
      // an id read by a regular expression is a slice of its line: kept alone, it would pin the whole line in memory
      done.add(Buffer.from(group[0].id, 'utf8').toString('utf8'));
      yield group;
      group = [];
    }
    if (!group.length && done.has(i.id)) throw onSplit(i);
    group.push(i);
  }
  if (group.length) yield group;
}
