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

async function xml(path: string, f: XmlFraming): Promise<boolean> {
  const attr = f.person.fields.find((x) => x.as === 'person.id')?.name;
  if (!attr) return false;
  // Neither the tag's text before the attribute nor the value may run past a `<` (it cannot be inside a tag):
  // with `[^>]*?` a start tag without its `>` was scanned to the end of the text from every `<Person` in it,
  // quadratic in a run of them (16,000 took 1.2 s; a 1 MiB chunk of them, minutes).
  const re = new RegExp(`<${f.person.element}\\b[^<>]*?\\s${attr}\\s*=\\s*(["'])([^"'<]*)\\1`, 'g');
  const t = new Tracker();
  let carry = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, encoding: 'latin1' }) as AsyncIterable<string>) {
    const text = carry + chunk;
    let last = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (!t.next(m[2])) return false;
      last = re.lastIndex;
    }
    const open = text.lastIndexOf(`<${f.person.element}`);
    carry = open >= last ? text.slice(open) : '';
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
      return xml(path, f as XmlFraming);
    default:
      return false;
  }
}
