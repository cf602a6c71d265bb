/**
 * Whether a file already has each person's rows together: a cheap scan of the
 * identifiers alone (bytes at their fixed place, the first delimited field,
 * the person element's identifier attribute), so a person-ordered export is
 * streamed as it comes and only other orders pay for grouping (group.ts).
 * Answers false whenever it cannot be sure (quoted CSV, the identifier not the
 * first field, workbooks): grouping is then always correct, only slower.
 */
import { createReadStream } from 'node:fs';
import type { DelimitedFraming, FixedFraming, Mapping, XmlFraming } from './mapping.ts';
import { ownCopy } from './own-copy.ts';

class Tracker {
  private prev: string | undefined;
  private readonly seen = new Set<string>();
  /** False once a person seen before comes back after another. */
  next(id: string): boolean {
    if (id === this.prev) return true;
    if (this.seen.has(id)) return false;
    this.prev = id;
    this.seen.add(ownCopy(id)); // a regex match is a slice of its whole chunk: kept for the scan, it would pin the chunk
    return true;
  }
}

/** The file's lines (without LF), one array a chunk read: one await a chunk, not one a line. */
async function* lines(path: string): AsyncGenerator<Buffer[]> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const out: Buffer[] = [];
    let pos = 0;
    for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
      out.push(buf.subarray(pos, nl));
      pos = nl + 1;
    }
    carry = buf.subarray(pos);
    if (out.length) yield out;
  }
  if (carry.length) yield [carry];
}

async function fixed(path: string, f: FixedFraming): Promise<boolean> {
  const t = new Tracker();
  const rowType = f.records.filter((r) => r.role === 'row');
  const specs = rowType.map((r) => ({ type: r.type.charCodeAt(0), id: r.fields.find((x) => x.as === 'person.id') }));
  if (specs.some((s) => !s.id)) return false;
  for await (const batch of lines(path)) for (const line of batch) {
    const s = specs.find((x) => x.type === line[0]);
    if (!s) continue;
    if (!t.next(line.toString('latin1', s.id!.start! - 1, s.id!.start! - 1 + s.id!.width!))) return false;
  }
  return true;
}

async function delimited(path: string, f: DelimitedFraming): Promise<boolean> {
  if (f.fields.findIndex((x) => x.as === 'person.id') !== 0 || f.delimiter.length !== 1) return false;
  const delim = f.delimiter.charCodeAt(0);
  const quoted = f.quoting !== 'none';
  const t = new Tracker();
  let header = true;
  /** The last identifier's bytes: a line whose first field holds the same bytes is the same person, no string made. */
  let prev: Buffer | undefined;
  let carry: Buffer = Buffer.alloc(0);
  /** The next quote character at or after the line being scanned, in the current buffer (one search a chunk, not a line). */
  let nextQuote = -1;
  const scan = (buf: Buffer, start: number, end: number): boolean => {
    if (header) {
      header = false;
      return true;
    }
    if (quoted) {
      if (nextQuote < start) {
        const q = buf.indexOf(0x22, start);
        nextQuote = q < 0 ? Infinity : q;
      }
      if (nextQuote < end) return false; // quoted fields: only a CSV parser can tell
    }
    // the previous identifier's bytes, then the delimiter (or the line's end): the same person, no search, no string
    const n = prev ? prev.length : -1;
    if (prev && start + n <= end && (start + n === end || buf[start + n] === delim)) {
      let i = 0;
      while (i < n && buf[start + i] === prev[i]) i++;
      if (i === n) return true;
    }
    let idEnd = buf.indexOf(delim, start);
    if (idEnd < 0 || idEnd > end) idEnd = end;
    prev = Buffer.from(buf.subarray(start, idEnd)); // a copy: the chunk is not kept
    return t.next(buf.toString('latin1', start, idEnd));
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    nextQuote = -1;
    let pos = 0;
    for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
      if (!scan(buf, pos, nl)) return false;
      pos = nl + 1;
    }
    carry = buf.subarray(pos);
  }
  nextQuote = -1;
  return carry.length ? scan(carry, 0, carry.length) : true;
}

/**
 * The person element's identifier attribute, as the regex `<Person\b[^>]*?\sidNo\s*=\s*(["'])([^"']*)\1`
 * finds it in the file read as latin1 (one character a byte), found from the bytes: each `<Person` by a
 * byte search, and the regex run (sticky) only on the few bytes a match starting there can read. Read
 * whole, the file was a second copy of every chunk as text, joined to the carried tail, and the regex
 * walked all of it (a sixth of the reader's time on top of its own read, at 1M rows).
 *
 * The few bytes: up to the first `>` after the candidate the regex's `[^>]*?` stops, so everything before
 * the value lies before it; the value (`[^"']*`) stops at the first quote of either kind, so nothing past
 * the first quote at or after that `>` is read. A match at a candidate therefore sees the same characters
 * in the window as in the whole text, and the candidates are where the regex would try (a match can only
 * start at `<Person`, and after a match the next try starts at its end). fast-paths.test.ts checks the
 * answers against the regex over the whole text on many documents and chunkings.
 */
export async function xmlContiguous(chunks: AsyncIterable<Buffer>, f: XmlFraming): Promise<boolean> {
  const attr = f.person.fields.find((x) => x.as === 'person.id')?.name;
  if (!attr) return false;
  const open = `<${f.person.element}`;
  // names beyond ASCII: a latin1 byte search could not find them as their UTF-8 bytes (and the regex over latin1 text never did)
  if (/[^\x21-\x7e]/.test(open + attr)) return false;
  const at = new RegExp(`${open}\\b[^>]*?\\s${attr}\\s*=\\s*(["'])([^"']*)\\1`, 'y');
  const t = new Tracker();
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let last = 0;
    for (let c = buf.indexOf(open, 0, 'latin1'); c >= 0; ) {
      const gt = buf.indexOf(0x3e, c);
      let end = buf.length;
      if (gt >= 0) {
        const dq = buf.indexOf(0x22, gt);
        const sq = buf.indexOf(0x27, gt);
        const q = dq < 0 ? sq : sq < 0 ? dq : Math.min(dq, sq);
        if (q >= 0) end = q + 1;
      }
      at.lastIndex = 0;
      const m = at.exec(buf.toString('latin1', c, end));
      if (m) {
        if (!t.next(m[2])) return false;
        last = c + m[0].length;
        c = buf.indexOf(open, last, 'latin1');
      } else c = buf.indexOf(open, c + 1, 'latin1');
    }
    const tail = buf.lastIndexOf(open, undefined, 'latin1');
    carry = tail >= 0 && tail >= last ? Buffer.from(buf.subarray(tail)) : Buffer.alloc(0);
    if (carry.length > 1 << 16) return false; // a person element this long: not worth a guess
  }
  return true;
}

export async function personContiguous(path: string, mapping: Mapping): Promise<boolean> {
  const f = mapping.framing;
  switch (f.kind) {
    case 'fixed':
      return fixed(path, f as FixedFraming);
    case 'delimited':
      return delimited(path, f as DelimitedFraming);
    case 'xml':
      return xmlContiguous(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, f as XmlFraming);
    default:
      return false;
  }
}
