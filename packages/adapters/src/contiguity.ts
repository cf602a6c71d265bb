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
import { ownCopy } from './group.ts';

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

async function* lines(path: string): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
      yield buf.subarray(pos, nl);
      pos = nl + 1;
    }
    carry = buf.subarray(pos);
  }
  if (carry.length) yield carry;
}

async function fixed(path: string, f: FixedFraming): Promise<boolean> {
  const t = new Tracker();
  const rowType = f.records.filter((r) => r.role === 'row');
  const specs = rowType.map((r) => ({ type: r.type.charCodeAt(0), id: r.fields.find((x) => x.as === 'person.id') }));
  if (specs.some((s) => !s.id)) return false;
  for await (const line of lines(path)) {
    const s = specs.find((x) => x.type === line[0]);
    if (!s) continue;
    if (!t.next(line.toString('latin1', s.id!.start! - 1, s.id!.start! - 1 + s.id!.width!))) return false;
  }
  return true;
}

async function delimited(path: string, f: DelimitedFraming): Promise<boolean> {
  if (f.fields.findIndex((x) => x.as === 'person.id') !== 0 || f.delimiter.length !== 1) return false;
  const delim = f.delimiter.charCodeAt(0);
  const t = new Tracker();
  let header = true;
  for await (const line of lines(path)) {
    if (header) {
      header = false;
      continue;
    }
    if (f.quoting !== 'none' && line.includes(0x22)) return false; // quoted fields: only a CSV parser can tell
    const end = line.indexOf(delim);
    if (!t.next(line.toString('latin1', 0, end < 0 ? line.length : end))) return false;
  }
  return true;
}

async function xml(path: string, f: XmlFraming): Promise<boolean> {
  const attr = f.person.fields.find((x) => x.as === 'person.id')?.name;
  if (!attr) return false;
  const re = new RegExp(`<${f.person.element}\\b[^>]*?\\s${attr}\\s*=\\s*(["'])([^"']*)\\1`, 'g');
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
