/** What every framing shares: field decoding with positions, output with back-pressure, records → rows. */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import type { Writable } from 'node:stream';
import type { FieldSpec, Mapping, WriterOptions } from '../mapping.ts';
import type { Issues, Problem } from '../issues.ts';
import type { ContributionRecord, Position } from '../record.ts';
import type { FileHeader, Hooks, RowValues } from '../rows.ts';
import { decodeValue, encodeValue, isProblemValue, type Raw } from '../values.ts';
import { representable } from '../encoding.ts';
import { ownCopy } from '../own-copy.ts';
import type { Limits } from '../limits.ts';

export interface DecodeContext {
  mapping: Mapping;
  issues: Issues;
  hooks: Hooks;
  header: FileHeader;
  /** What the reader accepts (the format's limits with the caller's overrides). */
  limits: Limits;
  /** Bytes of the file read so far by the main pass (for progress bars). */
  progress?: { bytes: number };
}

export interface EncodeContext {
  mapping: Mapping;
  issues: Issues;
  hooks: Hooks;
  /** The pooling region the file is written for. */
  region: string;
  /** Export date/time written into headers, RFC 3339 with offset. */
  exportedAt: string;
  /** Writer options: the mapping's `writer` defaults with the caller's overrides. */
  writer: WriterOptions;
}

/**
 * Decodes a row's fields; problems become issues at `at` naming the field.
 * Returns undefined when a field could not be decoded (the row is then not used; the issue says why).
 * `clean`: the caller has checked that no raw text holds U+FFFD (so the per-field check is skipped).
 * `row`: for a field list without hooks, makes the row's object straight from each field's value
 * (by index) where it can (undefined: it cannot, and the object is built as without it), so a caller
 * that adds values of its own builds one object a row, not two (xml.ts, a leaf with what it inherits).
 */
export function decodeFields(fields: FieldSpec[], raw: (f: FieldSpec, i: number) => Raw, at: Position, ctx: DecodeContext, clean = false, row?: (decoded: readonly RowValues[string][]) => RowValues | undefined): RowValues | undefined {
  let ok = true;
  let last = lastDecoded.get(fields);
  if (!last || last.mapping !== ctx.mapping) {
    const build = valuesBuilder(fields);
    last = { mapping: ctx.mapping, raws: new Array(fields.length), values: new Array(fields.length), hookOut: new Array(fields.length), memo: fields.map((f) => (MEMO_TYPES.has(f.type) ? new Map() : undefined)), fresh: fields.map((f) => FRESH_TYPES.has(f.type) || MEMO_TYPES.has(f.type)), build, decoded: build ? new Array(fields.length) : undefined };
    lastDecoded.set(fields, last);
  }
  /** Without hooks, each field's value by index, the row's object built at the end; with them, the object as it grows. */
  const decoded = last.decoded;
  const values: RowValues = decoded ? EMPTY : {};
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const r = raw(f, i);
    if (decoded) decoded[i] = undefined;
    if (typeof r === 'string' && !last.fresh[i] && r === last.raws[i]) {
      // the same text as this field's last value that decoded without a problem (a person's identifier, name, employer on each of their rows)
      if (f.type === 'hook') Object.assign(values, last.hookOut[i]);
      else {
        const v = last.values[i];
        if (decoded) decoded[i] = v;
        else if (v !== undefined && f.as) values[f.as] = v;
      }
      continue;
    }
    if (f.type === 'hook') {
      const hook = ctx.hooks[f.hook!];
      if (r === undefined || r === '' || r === null) {
        if (!f.optional) {
          ctx.issues.error('legacy-field-missing', `${f.name} is empty`, `${f.name} 为空`, { ...at, field: f.name });
          ok = false;
        }
        continue;
      }
      const out = hook.decode(r);
      if ('code' in out && 'en' in out && typeof out.code === 'string') {
        const p = out as Problem; // a hook's problem, built by problem() with a registered code
        ctx.issues.error(p.code, p.en, p.zh, { ...at, field: f.name }, { value: r });
        ok = false;
      } else {
        Object.assign(values, out);
        if (typeof r === 'string') {
          // a hook turns one text into values (rows.ts FieldHook): the same text gives the same values
          last.raws[i] = r;
          last.hookOut[i] = out as RowValues;
        }
      }
      continue;
    }
    if (!clean && typeof r === 'string' && r.includes('\uFFFD')) {
      ctx.issues.error('legacy-encoding', `${f.name} holds bytes that are not valid ${ctx.mapping.encoding}`, `${f.name} 含有非法的 ${ctx.mapping.encoding} 字节`, { ...at, field: f.name }, { value: r });
      ok = false;
      continue;
    }
    const memo = typeof r === 'string' ? last.memo[i] : undefined;
    const known = memo?.get(r as string);
    const v = known !== undefined ? known : decodeValue(r, f, ctx.mapping);
    if (isProblemValue(v)) {
      ctx.issues.error(v.code, v.en, v.zh, { ...at, field: f.name }, { value: r instanceof Date ? r.toISOString() : r });
      if (f.type !== 'literal') ok = false;
      continue;
    }
    if (decoded) decoded[i] = v;
    else if (v !== undefined && f.as) values[f.as] = v;
    if (typeof r === 'string' && !last.fresh[i]) {
      last.raws[i] = r;
      last.values[i] = v;
    }
    if (typeof r === 'string') {
      if (memo && known === undefined && v !== undefined) {
        if (memo.size >= MEMO_SIZE) memo.clear();
        memo.set(ownCopy(r), v); // kept past this chunk: not a slice pinning it
      }
    }
  }
  if (!ok) return undefined;
  if (!decoded) return values;
  return (row && row(decoded)) || rowValues(fields, decoded, last.build!);
}

/** Stands for the row's object where it is built at the end (never written to, never returned). */
const EMPTY: RowValues = Object.freeze({}) as RowValues;

/**
 * The row's object from each field's value (undefined: absent, as when the object grows field
 * by field, in the same key order): in one object literal when every field with a target has a
 * value, the usual row (a literal gets its shape at once; storing a dozen dotted keys one by one
 * was a third of a row's decoding).
 */
function rowValues(fields: FieldSpec[], decoded: RowValues[string][], build: (decoded: RowValues[string][]) => RowValues): RowValues {
  let complete = true;
  for (let i = 0; i < fields.length; i++) {
    if (decoded[i] === undefined && fields[i].as) {
      complete = false;
      break;
    }
  }
  if (complete) return build(decoded);
  const values: RowValues = {};
  for (let i = 0; i < fields.length; i++) {
    const v = decoded[i];
    const as = fields[i].as;
    if (v !== undefined && as) values[as] = v;
  }
  return values;
}

/**
 * For a field list without hooks whose targets are distinct: a function returning the object
 * literal {target: decoded[i], …} of the fields with a target, in field order. Targets are
 * written as JSON string literals (a format declared outside names its own), values by index:
 * nothing of the mapping is evaluated as code. Undefined for other field lists (the object then
 * grows field by field).
 */
export function valuesBuilder(fields: FieldSpec[]): ((decoded: RowValues[string][]) => RowValues) | undefined {
  if (fields.some((f) => f.type === 'hook')) return undefined;
  const targets = fields.flatMap((f, i) => (f.as ? [[f.as, i] as const] : []));
  if (new Set(targets.map(([as]) => as)).size !== targets.length) return undefined;
  return new Function('d', `return {${targets.map(([as, i]) => `${JSON.stringify(as)}: d[${i}]`).join(', ')}};`) as (decoded: RowValues[string][]) => RowValues;
}

/** Field types whose decoding (a pattern and a new string) is worth remembering by text: months and dates recur across people. */
const MEMO_TYPES = new Set<FieldSpec['type']>(['month', 'date']);
const MEMO_SIZE = 4096;
/**
 * Field types decoded afresh each row, never compared with the last row's text: amounts change
 * from row to row and read in a few steps, so comparing first was the larger cost (with months
 * and dates, whose memo is the cheaper test).
 */
const FRESH_TYPES = new Set<FieldSpec['type']>(['yuan', 'fen', 'integer']);

/**
 * Per field list, each field's last raw text and the value it decoded to
 * without a problem: rows repeat a person's fields, and decoding them again
 * (code lookups, date and identifier parsing) is most of a row's work.
 * Values are strings, numbers or booleans, so sharing them is safe; a hook's
 * values object is only ever copied out of (Object.assign), never changed.
 * Months and dates also keep a bounded memo of text → value (MEMO_TYPES).
 */
const lastDecoded = new WeakMap<
  FieldSpec[],
  {
    mapping: Mapping;
    raws: Raw[];
    values: RowValues[string][];
    hookOut: RowValues[];
    memo: (Map<string, string | number> | undefined)[];
    fresh: boolean[];
    /** Without hooks: the row's object literal (valuesBuilder) and each field's value of the row being decoded. */
    build: ((decoded: RowValues[string][]) => RowValues) | undefined;
    decoded: RowValues[string][] | undefined;
  }
>();

/** Encodes a row's fields to raw legacy values; problems become issues naming the record and field. */
export function encodeFields(fields: FieldSpec[], values: RowValues, where: RecordLabel, ctx: EncodeContext): Raw[] | undefined {
  const out: Raw[] = [];
  let ok = true;
  for (const f of fields) {
    if (f.type === 'hook') {
      const r = ctx.hooks[f.hook!].encode(values);
      if (typeof r !== 'string') {
        ctx.issues.error(r.code, `${where.en}: ${r.en}`, `${where.zh}：${r.zh}`, { field: f.name });
        ok = false;
      }
      out.push(typeof r === 'string' ? r : undefined);
      continue;
    }
    const r = encodeValue(f.as ? values[f.as] : undefined, f, ctx.mapping);
    if (isEncodeProblem(r)) {
      ctx.issues.error(r.code, `${where.en}: ${r.en}`, `${where.zh}：${r.zh}`, { field: f.name });
      ok = false;
      out.push(undefined);
    } else out.push(r);
  }
  return ok ? out : undefined;
}

function isEncodeProblem(r: Raw | Problem): r is Problem {
  return typeof r === 'object' && r !== null && !(r instanceof Date);
}

/** Writes to a stream, waiting when it asks to. Small writes are gathered into larger chunks. */
export class Sink {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly out: Writable) {}

  async write(chunk: Buffer | string): Promise<void> {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.parts.push(b);
    this.size += b.length;
    if (this.size >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.size) return;
    const buf = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    if (!this.out.write(buf)) await once(this.out, 'drain');
  }
}

/** "Record 3 (110000 41152519680302863X scheme 110)": how encode issues name a record. */
/** A record named in a message, in both languages: `record 6 (ID region scheme)` / `第 6 条记录（ID region scheme）`. */
export interface RecordLabel {
  zh: string;
  en: string;
}

/** What a header, trailer or other non-record line of a legacy file is called in messages. */
export const LINE_LABELS = {
  header: { zh: '表头', en: 'header' },
  trailer: { zh: '尾记录', en: 'trailer' },
  root: { zh: '根元素', en: 'root' },
} satisfies Record<string, RecordLabel>;

export function accountLabel(person: unknown, year: unknown): RecordLabel {
  return { zh: `个人账户 ${String(person)} ${String(year)}`, en: `account ${String(person)} ${String(year)}` };
}

export function personLabel(id: string): RecordLabel {
  return { zh: `参保人 ${id}`, en: `person ${id}` };
}

export function recordLabel(n: number, r: ContributionRecord): RecordLabel {
  const what = `${r.person.id} ${r.region} ${r.scheme}`;
  return { zh: `第 ${n} 条记录（${what}）`, en: `record ${n} (${what})` };
}

/** The person's values as a row carries them; a damaged or unencodable name is written with `?` and reported. */
export function personValues(r: ContributionRecord, n: number, ctx: EncodeContext): RowValues {
  const p = r.person;
  const id = p.id;
  let name = p.name;
  if (name === undefined && p.damagedName !== undefined) {
    name = p.damagedName;
    ctx.issues.warning('legacy-name-damaged', `${recordLabel(n, r).en}: only a damaged name is known; written as "${name}"`, `${recordLabel(n, r).zh}：仅有损坏的姓名，写为“${name}”`, { record: n, field: 'name' }, { pointer: '/person/damagedName' });
  } else if (name !== undefined) {
    const shown = representable(name, ctx.mapping);
    if (shown !== name) {
      ctx.issues.warning(
        'legacy-name-damaged',
        `${recordLabel(n, r).en}: ${ctx.mapping.encoding} cannot hold every character of "${name}"; written as "${shown}", as the source system does`,
        `${recordLabel(n, r).zh}：${ctx.mapping.encoding} 无法表示“${name}”中的全部字符，按源系统做法写为“${shown}”`,
        { record: n, field: 'name' },
        { pointer: '/person/name' },
      );
      name = shown;
    }
  }
  const derivedGender = /^[0-9]{17}[0-9X]$/.test(id) ? (Number(id[16]) % 2 === 1 ? 'M' : 'F') : undefined;
  const derivedBirth = /^[0-9]{17}[0-9X]$/.test(id) ? `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}` : undefined;
  return {
    'person.id': id,
    'person.name': name,
    'person.gender': p.gender ?? derivedGender,
    'person.birthDate': p.birthDate ?? derivedBirth,
    'person.hukouRegion': p.hukouRegion,
  };
}

function nextMonth(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

/** The record's monthly rows, or its runs of equal consecutive months when the format writes runs. */
export function contributionRows(r: ContributionRecord, person: RowValues, mapping: Mapping): RowValues[] {
  const names = new Map((r.employers ?? []).map((e) => [e.id, e.name]));
  const rows: RowValues[] = [];
  const sorted = [...r.contributions].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  for (const c of sorted) {
    const prev = rows[rows.length - 1];
    if (
      mapping.rows === 'run' &&
      prev &&
      nextMonth(prev.monthTo as string) === c.month &&
      prev.baseFen === c.baseFen &&
      prev.employerFen === c.employerFen &&
      prev.individualFen === c.individualFen &&
      prev.status === c.status &&
      prev.employerId === c.employerId
    ) {
      prev.monthTo = c.month;
      continue;
    }
    rows.push({
      ...person,
      region: r.region,
      scheme: r.scheme,
      month: c.month,
      monthFrom: c.month,
      monthTo: c.month,
      baseFen: c.baseFen,
      employerFen: c.employerFen,
      individualFen: c.individualFen,
      status: c.status,
      employerId: c.employerId,
      employerName: c.employerId !== undefined ? names.get(c.employerId) : undefined,
    });
  }
  return rows;
}

/** The record's account years as rows. */
export function accountRows(r: ContributionRecord): RowValues[] {
  return (r.account ?? []).map((a) => ({
    'person.id': r.person.id,
    scheme: r.scheme,
    'account.year': a.year,
    'account.creditedFen': a.creditedFen,
    'account.interestFen': a.interestFen,
    'account.balanceFen': a.balanceFen,
  }));
}

/** The file's bytes as read, chunk by chunk (1 MB reads unless `chunkSize` says otherwise), the bytes read so far counted in `ctx.progress`. */
export async function* fileChunks(path: string, ctx: DecodeContext, chunkSize = 1 << 20): AsyncGenerator<Buffer> {
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: chunkSize }) as AsyncIterable<Buffer>) {
    offset += chunk.length;
    if (ctx.progress) ctx.progress.bytes = offset;
    yield chunk;
  }
}

/** The file's text, chunk by chunk (one a read of `fileChunks`); bytes invalid in the encoding stop the read with a fatal legacy-encoding issue. */
export async function* decodedText(path: string, ctx: DecodeContext, chunkSize?: number): AsyncGenerator<string> {
  const { mapping, issues } = ctx;
  const utf8 = mapping.encoding === 'utf-8';
  const dec = utf8 ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : iconv.getDecoder(mapping.encoding);
  let offset = 0;
  for await (const chunk of fileChunks(path, ctx, chunkSize)) {
    let text: string;
    try {
      text = utf8 ? (dec as TextDecoder).decode(chunk, { stream: true }) : (dec as ReturnType<typeof iconv.getDecoder>).write(chunk);
    } catch {
      issues.add('fatal', 'legacy-encoding', `the file is not valid UTF-8 (in bytes ${offset}..${offset + chunk.length}); ${mapping.name} files are UTF-8`, `文件不是合法的 UTF-8（第 ${offset}..${offset + chunk.length} 字节）；${mapping.name} 文件应为 UTF-8`, { byteOffset: offset });
      return;
    }
    offset += chunk.length;
    yield text;
  }
  let tail = '';
  try {
    tail = utf8 ? (dec as TextDecoder).decode() : ((dec as ReturnType<typeof iconv.getDecoder>).end() ?? '');
  } catch {
    issues.add('fatal', 'legacy-encoding', 'the file ends inside a UTF-8 character', '文件在一个 UTF-8 字符中间结束', { byteOffset: offset });
  }
  if (tail) yield tail;
}

export interface LineBatch {
  buf: Buffer;
  /** Start and length (without the line end) of each line in buf. */
  starts: number[];
  lengths: number[];
  /** 1-based line number of the first line. */
  firstLine: number;
  /** Byte offset in the file of each line. */
  offsets: number[];
  /** Whether each line ended in CR LF. */
  crlf: boolean[];
}

/** Splits a file into lines, one batch per chunk read. A line longer than `maxLine` stops the read. */
export async function* lineBatches(path: string, maxLine: number, onTooLong: (line: number, offset: number) => void, progress?: { bytes: number }): AsyncGenerator<LineBatch> {
  let carry: Buffer = Buffer.alloc(0);
  let lineNo = 1;
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 18 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const batch: LineBatch = { buf, starts: [], lengths: [], firstLine: lineNo, offsets: [], crlf: [] };
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const cr = nl > pos && buf[nl - 1] === 13;
      batch.starts.push(pos);
      batch.lengths.push((cr ? nl - 1 : nl) - pos);
      batch.offsets.push(offset);
      batch.crlf.push(cr);
      offset += nl + 1 - pos;
      lineNo++;
      pos = nl + 1;
    }
    carry = buf.subarray(pos);
    if (progress) progress.bytes += chunk.length;
    if (carry.length > maxLine) {
      onTooLong(lineNo, offset);
      return;
    }
    if (batch.starts.length) yield batch;
  }
  if (carry.length) yield { buf: carry, starts: [0], lengths: [carry.length], firstLine: lineNo, offsets: [offset], crlf: [false] };
}
