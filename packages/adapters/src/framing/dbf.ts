/**
 * dBase framing: dBase III, FoxPro and Visual FoxPro tables (.dbf), the
 * county systems' export. A 32-byte header (version, last update, record
 * count, header length, record length, code page byte), 32-byte field
 * descriptors ended by 0x0D (Visual FoxPro adds a 263-byte backlink), then
 * fixed-length records each starting with a deletion flag (space, or `*` for
 * a deleted record), and the 0x1A end marker. Read and written streaming:
 * reading slices records out of chunks; writing spools the records to a
 * temporary file, as the header's record count comes first.
 *
 * Hand-written rather than the `dbffile` package: dbffile turns N columns into
 * JavaScript floats (money must stay exact decimal text), decodes text itself
 * (no byte-level access for private-character tables or damaged names), gives
 * no record positions, skips deleted records without counting them, does not
 * check the header's counts against the file, and writes only to a path.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { FieldSpec, Mapping } from '../mapping.ts';
import type { ContributionRecord, Position } from '../record.ts';
import type { LegacyRow } from '../rows.ts';
import type { Raw } from '../values.ts';
import { decodeWithTable, encodeWithTable } from '../encoding.ts';
import { Sink, contributionRows, decodeFields, encodeFields, personValues, recordLabel, type DecodeContext, type EncodeContext } from './common.ts';

export type DbfColumn = 'C' | 'N' | 'F' | 'D' | 'L' | 'I' | 'Y';

export interface DbfField extends FieldSpec {
  /** The column's dBase type. */
  column: DbfColumn;
  /** Width in bytes (C, N, F; D 8, L 1, I 4, Y 8 are fixed). */
  length?: number;
  /** Decimal places of an N or F column. */
  decimals?: number;
}

export interface DbfFraming {
  kind: 'dbf';
  /** The table version written (any dBase III/FoxPro/VFP version is read): dbase3 and foxpro 0x03, vfp 0x30. */
  version: 'dbase3' | 'foxpro' | 'vfp';
  /** The code page byte (language driver) the format uses, e.g. 122 (0x7A, code page 936 GBK). */
  codePage?: number;
  fields: DbfField[];
}

const READ_VERSIONS = new Set([0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8b, 0xcb, 0xf5, 0xfb]);
const WRITE_VERSION = { dbase3: 0x03, foxpro: 0x03, vfp: 0x30 } as const;
const FIXED_LENGTH: Partial<Record<DbfColumn, number>> = { D: 8, L: 1, I: 4, Y: 8 };
const VFP_BACKLINK = 263;
const END = 0x1a;

export const lengthOf = (f: DbfField): number => FIXED_LENGTH[f.column] ?? f.length ?? 1;

interface Column {
  spec: DbfField;
  offset: number;
  length: number;
}

interface Header {
  version: number;
  count: number;
  headerLength: number;
  recordLength: number;
  codePage: number;
  descriptors: { name: string; type: string; offset: number; length: number; decimals: number }[];
}

/** The header and field descriptors, or the reason they cannot be read. */
export function parseHeader(head: Buffer): Header | string {
  if (head.length < 32) return `the file is ${head.length} bytes long, shorter than a dBase header (32 bytes)`;
  const version = head[0];
  if (!READ_VERSIONS.has(version)) return `version byte 0x${version.toString(16).padStart(2, '0')} is not a dBase III, FoxPro or Visual FoxPro table`;
  const count = head.readUInt32LE(4);
  const headerLength = head.readUInt16LE(8);
  const recordLength = head.readUInt16LE(10);
  const descriptors: Header['descriptors'] = [];
  let offset = 1;
  let pos = 32;
  for (;;) {
    if (pos >= head.length || pos >= headerLength) return `the field descriptors do not end (no 0x0D) within the header's ${headerLength} bytes`;
    if (head[pos] === 0x0d) break;
    if (pos + 32 > head.length) return 'the file ends inside a field descriptor';
    const nameEnd = head.indexOf(0, pos);
    const name = head.toString('latin1', pos, nameEnd >= pos && nameEnd < pos + 11 ? nameEnd : pos + 11).trim();
    const d = { name, type: String.fromCharCode(head[pos + 11]), offset, length: head[pos + 16], decimals: head[pos + 17] };
    descriptors.push(d);
    offset += d.length;
    pos += 32;
  }
  if (offset !== recordLength) return `the fields add up to ${offset} bytes per record (with the deletion flag), the header says ${recordLength}`;
  return { version, count, headerLength, recordLength, codePage: head[29], descriptors };
}

const hex = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;

/** Columns of the mapping's fields in the file, or the first reason they do not match. */
function columnsOf(header: Header, framing: DbfFraming): Column[] | string {
  const out: Column[] = [];
  for (const spec of framing.fields) {
    const d = header.descriptors.find((x) => x.name.toUpperCase() === spec.name.toUpperCase());
    if (!d) return `the table has no field ${spec.name} (it has ${header.descriptors.map((x) => x.name).join(', ')})`;
    if (d.type !== spec.column) return `field ${spec.name} is of type ${d.type}, expected ${spec.column}`;
    out.push({ spec, offset: d.offset, length: d.length });
  }
  return out;
}

/** A currency (Y) value: int64 of ten-thousandths → decimal text, two decimals when the last two are zero. */
function currencyText(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / 10000n;
  const frac = String(a % 10000n).padStart(4, '0');
  return `${neg ? '-' : ''}${whole}.${frac.endsWith('00') ? frac.slice(0, 2) : frac}`;
}

/** A column's raw value, typed: text for C, N, F and D (blank: empty), boolean for L, number for I. */
function rawOf(rec: Buffer, c: Column, mapping: Mapping): Raw {
  const start = c.offset;
  let end = start + c.length;
  switch (c.spec.column) {
    case 'C':
      while (end > start && (rec[end - 1] === 0x20 || rec[end - 1] === 0)) end--;
      return decodeWithTable(rec.subarray(start, end), mapping);
    case 'N':
    case 'F':
    case 'D':
      return rec.toString('latin1', start, end).trim();
    case 'L': {
      const ch = String.fromCharCode(rec[start]);
      return 'TtYy'.includes(ch) ? true : 'FfNn'.includes(ch) ? false : '';
    }
    case 'I':
      return rec.readInt32LE(start);
    case 'Y':
      return currencyText(rec.readBigInt64LE(start));
  }
}

export async function* readDbf(path: string, ctx: DecodeContext): AsyncGenerator<LegacyRow[]> {
  const { mapping, issues } = ctx;
  const framing = mapping.framing as unknown as DbfFraming;
  const size = (await stat(path)).size;
  const fh = await open(path, 'r');
  let head: Buffer;
  try {
    const first = Buffer.alloc(Math.min(size, 32));
    await fh.read(first, 0, first.length, 0);
    const hl = first.length >= 10 ? first.readUInt16LE(8) : 32;
    head = Buffer.alloc(Math.min(size, Math.max(hl, 32)));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const header = parseHeader(head);
  if (typeof header === 'string') {
    issues.add('fatal', 'legacy-header-mismatch', `not a ${mapping.name} table: ${header}`, `不是 ${mapping.name} 表：${header}`, { byteOffset: 0 });
    return;
  }
  if (framing.codePage !== undefined && header.codePage !== framing.codePage) {
    issues.warning('legacy-header-mismatch', `the code page byte is ${hex(header.codePage)}, ${mapping.name} tables carry ${hex(framing.codePage)}; read as ${mapping.encoding}`, `代码页字节为 ${hex(header.codePage)}，${mapping.name} 表应为 ${hex(framing.codePage)}；按 ${mapping.encoding} 读取`, { byteOffset: 29 });
  }
  const columns = columnsOf(header, framing);
  if (typeof columns === 'string') {
    issues.add('fatal', 'legacy-header-mismatch', `the table's fields are not ${mapping.name}'s: ${columns}`, `表的字段与 ${mapping.name} 不符：${columns}`, { byteOffset: 32 });
    return;
  }
  const body = size - header.headerLength;
  const whole = Math.max(0, Math.floor(body / header.recordLength));
  let count = header.count;
  if (whole < header.count) {
    issues.error('legacy-header-mismatch', `the header counts ${header.count} records, the file holds ${whole} whole records; the file is cut short`, `表头记录数为 ${header.count}，文件只含 ${whole} 条完整记录：文件不完整`, { byteOffset: 4 }, { value: header.count });
    count = whole;
  } else {
    const after = header.headerLength + header.count * header.recordLength;
    const rest = size - after;
    if (rest === 0) {
      issues.warning('legacy-trailer-missing', 'the table does not end in the 0x1A end marker', '表未以 0x1A 结束标记结尾', { byteOffset: after });
    } else {
      const tail = Buffer.alloc(1);
      const t = await open(path, 'r');
      await t.read(tail, 0, 1, after).finally(() => t.close());
      if (tail[0] !== END || rest > 1) {
        issues.error('legacy-header-mismatch', `${rest} bytes follow the ${header.count} records the header counts${tail[0] === END ? ' and the end marker' : ''}: records not counted in the header?`, `表头所计 ${header.count} 条记录之后还有 ${rest} 个字节：有未计入表头的记录？`, { byteOffset: after, record: header.count + 1 });
      }
    }
  }
  if (count === 0) return;
  const recLen = header.recordLength;
  const stream = createReadStream(path, { start: header.headerLength, end: header.headerLength + count * recLen - 1, highWaterMark: recLen * Math.max(1, Math.floor((1 << 18) / recLen)) });
  let carry: Buffer = Buffer.alloc(0);
  let n = 0;
  let deleted = 0;
  let firstDeleted = 0;
  const fields = columns.map((c) => c.spec);
  const lastText: ({ bytes: Buffer; text: string } | undefined)[] = columns.map(() => undefined);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const batch: LegacyRow[] = [];
    let pos = 0;
    for (; pos + recLen <= buf.length; pos += recLen) {
      n++;
      const rec = buf.subarray(pos, pos + recLen);
      const at: Position = { record: n, byteOffset: header.headerLength + (n - 1) * recLen };
      if (rec[0] === 0x2a) {
        deleted++;
        firstDeleted ||= n;
        continue;
      }
      if (rec[0] !== 0x20) {
        issues.error('legacy-record-type', `the deletion flag is ${hex(rec[0])}, neither a space (kept) nor * (deleted)`, `删除标记为 ${hex(rec[0])}，既不是空格（有效）也不是 *（已删除）`, at);
        continue;
      }
      const raws = columns.map((c, i) => {
        // text repeated from the previous record (a person's identifier, name, employer) is not decoded again
        if (c.spec.column !== 'C') return rawOf(rec, c, mapping);
        const last = lastText[i];
        if (last && rec.compare(last.bytes, 0, c.length, c.offset, c.offset + c.length) === 0) return last.text;
        const text = rawOf(rec, c, mapping) as string;
        lastText[i] = { bytes: Buffer.from(rec.subarray(c.offset, c.offset + c.length)), text };
        return text;
      });
      const values = decodeFields(fields, (_f, i) => raws[i], at, ctx);
      if (values) batch.push({ role: 'row', values, at });
    }
    carry = buf.subarray(pos);
    if (batch.length) yield batch;
  }
  if (deleted) {
    issues.add('information', 'legacy-record-deleted', `${deleted} records marked deleted were skipped (the first is record ${firstDeleted})`, `跳过了 ${deleted} 条已标记删除的记录（第一条为第 ${firstDeleted} 条）`, { record: firstDeleted }, { value: deleted });
  }
}

/** A raw value as the column's bytes, or the reason it cannot be written. */
function columnBytes(f: DbfField, raw: Raw, mapping: Mapping): Buffer | { en: string; zh: string } {
  const len = lengthOf(f);
  const blank = raw === undefined || raw === null || raw === '';
  switch (f.column) {
    case 'C': {
      const b = blank ? Buffer.alloc(0) : encodeWithTable(String(raw), mapping);
      if (!b) return { en: `"${String(raw)}" holds a character that neither ${mapping.encoding} nor the format's character table holds`, zh: `“${String(raw)}”含有 ${mapping.encoding} 和本格式造字表都没有的字` };
      if (b.length > len) return { en: `"${String(raw)}" is ${b.length} bytes, the column holds ${len}`, zh: `“${String(raw)}”长 ${b.length} 字节，该列只能容纳 ${len} 字节` };
      return Buffer.concat([b, Buffer.alloc(len - b.length, 0x20)]);
    }
    case 'N':
    case 'F':
    case 'D': {
      const text = blank ? '' : String(raw);
      if (!/^-?[0-9]*(\.[0-9]+)?$/.test(text)) return { en: `"${text}" is not a number`, zh: `“${text}”不是数字` };
      if (text.length > len) return { en: `"${text}" is ${text.length} characters, the column holds ${len}`, zh: `“${text}”长 ${text.length} 个字符，该列只能容纳 ${len} 个` };
      return Buffer.from(f.column === 'D' ? text.padEnd(len, ' ') : text.padStart(len, ' '), 'latin1');
    }
    case 'L':
      return Buffer.from(blank ? '?' : raw === true || raw === 'T' || raw === 'true' ? 'T' : 'F', 'latin1');
    case 'I': {
      const v = Number(raw);
      if (blank || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) return { en: `${String(raw)} is not a 32-bit whole number (an I column cannot be blank)`, zh: `${String(raw)} 不是 32 位整数（I 列不能为空）` };
      const b = Buffer.alloc(4);
      b.writeInt32LE(v);
      return b;
    }
    case 'Y': {
      const m = /^(-?)([0-9]{1,14})(?:\.([0-9]{1,4}))?$/.exec(blank ? '' : String(raw));
      if (!m) return { en: `${String(raw)} is not a currency amount (a Y column cannot be blank)`, zh: `${String(raw)} 不是货币金额（Y 列不能为空）` };
      const v = BigInt(m[2]) * 10000n + BigInt((m[3] ?? '').padEnd(4, '0'));
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(m[1] ? -v : v);
      return b;
    }
  }
}

/** The header for `count` records of these fields. */
export function headerBytes(framing: DbfFraming, count: number, exportedAt: string): Buffer {
  const vfp = framing.version === 'vfp';
  const fields = framing.fields;
  const headerLength = 32 + 32 * fields.length + 1 + (vfp ? VFP_BACKLINK : 0);
  const recordLength = 1 + fields.reduce((s, f) => s + lengthOf(f), 0);
  const h = Buffer.alloc(headerLength);
  h[0] = WRITE_VERSION[framing.version];
  h[1] = Number(exportedAt.slice(0, 4)) - 1900;
  h[2] = Number(exportedAt.slice(5, 7));
  h[3] = Number(exportedAt.slice(8, 10));
  h.writeUInt32LE(count, 4);
  h.writeUInt16LE(headerLength, 8);
  h.writeUInt16LE(recordLength, 10);
  h[29] = framing.codePage ?? 0;
  let offset = 1;
  fields.forEach((f, i) => {
    const d = 32 + 32 * i;
    h.write(f.name.toUpperCase().slice(0, 10), d, 'latin1');
    h[d + 11] = f.column.charCodeAt(0);
    if (vfp) h.writeUInt32LE(offset, d + 12);
    h[d + 16] = lengthOf(f);
    h[d + 17] = f.decimals ?? 0;
    offset += lengthOf(f);
  });
  h[32 + 32 * fields.length] = 0x0d;
  return h;
}

export async function writeDbf(records: AsyncIterable<ContributionRecord>, out: Writable, ctx: EncodeContext): Promise<void> {
  const { mapping, issues } = ctx;
  const framing = mapping.framing as unknown as DbfFraming;
  const dir = await mkdtemp(join(tmpdir(), 'jiexu-dbf-'));
  try {
    const spoolPath = join(dir, 'records');
    const spoolStream = createWriteStream(spoolPath);
    const spool = new Sink(spoolStream);
    let count = 0;
    let n = 0;
    const recLen = 1 + framing.fields.reduce((sum, f) => sum + lengthOf(f), 0);
    const offsets: number[] = [];
    framing.fields.reduce((o, f) => (offsets.push(o), o + lengthOf(f)), 1);
    const perChunk = Math.max(1, Math.floor((1 << 16) / recLen));
    let chunk = Buffer.alloc(recLen * perChunk);
    let k = 0;
    // a column's bytes are reused while its raw value repeats (a person's identifier, name, employer)
    const lastRaw: Raw[] = framing.fields.map(() => undefined);
    const lastBytes: (Buffer | undefined)[] = framing.fields.map(() => undefined);
    for await (const r of records) {
      n++;
      const where = recordLabel(n, r);
      const person = { ...personValues(r, n, ctx), region: r.region };
      for (const row of contributionRows(r, person, mapping)) {
        const raws = encodeFields(framing.fields, row, where, ctx);
        if (!raws) continue;
        const base = k * recLen;
        chunk[base] = 0x20;
        let ok = true;
        for (let i = 0; i < framing.fields.length; i++) {
          const f = framing.fields[i];
          let b = lastBytes[i];
          if (b === undefined || raws[i] !== lastRaw[i] || raws[i] instanceof Date) {
            const made = columnBytes(f, raws[i], mapping);
            if (!Buffer.isBuffer(made)) {
              ok = false;
              lastBytes[i] = undefined;
              issues.error('legacy-field-invalid', `${where}: ${f.name}: ${made.en}`, `${where}：${f.name}：${made.zh}`, { record: n, field: f.name });
              continue;
            }
            b = made;
            lastRaw[i] = raws[i];
            lastBytes[i] = made;
          }
          b.copy(chunk, base + offsets[i]);
        }
        if (!ok) continue;
        count++;
        if (++k === perChunk) {
          await spool.write(chunk);
          chunk = Buffer.alloc(recLen * perChunk);
          k = 0;
        }
      }
    }
    if (k) await spool.write(chunk.subarray(0, k * recLen));
    await spool.flush();
    spoolStream.end();
    await finished(spoolStream);
    const sink = new Sink(out);
    await sink.write(headerBytes(framing, count, ctx.exportedAt));
    await sink.flush();
    await pipeline(createReadStream(spoolPath), out, { end: false });
    await sink.write(Buffer.from([END]));
    await sink.flush();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether the first bytes are a dBase table whose fields are the mapping's. */
export function detectDbf(head: Buffer, mapping: Mapping): boolean {
  const h = parseHeader(head);
  if (typeof h === 'string') return false;
  const framing = mapping.framing as unknown as DbfFraming;
  return typeof columnsOf(h, framing) !== 'string' && h.descriptors.length === framing.fields.length;
}

/** What a conforming writer of the format writes: the header's counts agree with the file, the end marker, the code page byte, no deleted records. */
export async function checkDbf(path: string, mapping: Mapping): Promise<string[]> {
  const framing = mapping.framing as unknown as DbfFraming;
  const v: string[] = [];
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(path);
  const h = parseHeader(bytes);
  if (typeof h === 'string') return [h];
  if (h.version !== WRITE_VERSION[framing.version]) v.push(`version byte ${hex(h.version)}, the format writes ${hex(WRITE_VERSION[framing.version])}`);
  if (framing.codePage !== undefined && h.codePage !== framing.codePage) v.push(`code page byte ${hex(h.codePage)}, expected ${hex(framing.codePage)}`);
  const expected = h.headerLength + h.count * h.recordLength + 1;
  if (bytes.length !== expected) v.push(`the file is ${bytes.length} bytes, the header gives ${expected} (with the end marker)`);
  if (bytes[bytes.length - 1] !== END) v.push('no 0x1A end marker');
  for (let i = 0; i < h.count; i++) {
    const flag = bytes[h.headerLength + i * h.recordLength];
    if (flag !== 0x20) v.push(`record ${i + 1} has deletion flag ${hex(flag)}`);
  }
  return v;
}
