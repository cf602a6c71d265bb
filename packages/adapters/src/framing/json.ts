/**
 * JSON framing: one JSON document, JSON Lines (one person per line), or a
 * paged folder of JSON documents (an API's export, page-0001.json …).
 * Persons → schemes → rows are nested arrays declared by dotted paths
 * (`persons`, `insurances`, `payments`; fields `name.full`, `amounts.0`). JSON
 * types are kept: a field read as text or yuan refuses a number. On pages, a
 * person (or scheme) continued on the next page, repeated, is merged when it
 * agrees and refused when it does not; the page numbers must run 1..total and
 * a declared total of rows must match.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { FieldSpec, Mapping } from '../mapping.ts';
import type { ContributionRecord, Position } from '../record.ts';
import type { LegacyRow, RowValues } from '../rows.ts';
import type { Raw } from '../values.ts';
import { LINE_LABELS, Sink, contributionRows, decodeFields, encodeFields, personValues, recordLabel, type DecodeContext, type EncodeContext, type RecordLabel } from './common.ts';
import type { ReadSource, WriteTarget } from './types.ts';
import { inPart } from './parts.ts';

export interface JsonLevel {
  /** Dotted path of the array of this level inside its parent (persons inside the document, schemes inside a person …). */
  path?: string;
  fields: FieldSpec[];
}

export interface JsonPages {
  /** A page's file name, `{n}` standing for its number, zero-padded to the digits given: "page-{n:4}.json". */
  name: string;
  /** Dotted path of the page's number (1-based) in each page. */
  number: string;
  /** Dotted path of the number of pages, in each page. */
  total: string;
  /** Dotted path where a writer puts its page size (rows per page), if the format carries it. */
  size?: string;
}

export interface JsonFraming {
  kind: 'json';
  layout: 'document' | 'lines' | 'pages';
  pages?: JsonPages;
  /** Fields of the document (or page) itself: region, export time, format version (literal). */
  document?: { fields: FieldSpec[] };
  /** Dotted path of the total number of rows of the whole export, checked against the rows read. */
  totalRows?: string;
  persons: JsonLevel;
  schemes?: JsonLevel;
  rows: JsonLevel;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const splits = new Map<string, string[]>();
const split = (path: string): string[] => {
  let keys = splits.get(path);
  if (!keys) splits.set(path, (keys = path.split('.')));
  return keys;
};

/** A dotted path as JSON pointer segments (`a.b` → `a/b`), computed once per path. */
const pointers = new Map<string, string>();
const pointerOf = (path: string): string => {
  let p = pointers.get(path);
  if (p === undefined) pointers.set(path, (p = split(path).join('/')));
  return p;
};

export function getPath(obj: Json | undefined, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const k of split(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(k)] : cur[k];
  }
  return cur;
}

function setPath(obj: Record<string, Json>, path: string, value: Json): void {
  const keys = split(path);
  let cur: Record<string, Json> = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, Json>;
  }
  cur[keys[keys.length - 1]] = value;
}

/** A field's value as the framing passes it on: JSON scalars as they are, null and absent as empty; objects and arrays are not values. */
function rawAt(obj: Json, f: FieldSpec): Raw | { object: true } {
  const v = getPath(obj, f.name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return { object: true };
  return v;
}

export const pageName = (pattern: string, n: number): string => pattern.replace(/\{n(?::([0-9]+))?\}/, (_m, w: string | undefined) => String(n).padStart(Number(w ?? 1), '0'));

interface Reader {
  ctx: DecodeContext;
  framing: JsonFraming;
  rowsRead: number;
  /** The last person read (id and values), for continuations across pages. */
  last?: { id: string; values: RowValues; part: string; schemes: Map<string, RowValues> };
}

const same = (a: RowValues, b: RowValues): string | undefined => {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[k] !== b[k]) return k;
  return undefined;
};

/** The rows of one person object; `base` is the position's path of the person. */
function personRows(r: Reader, person: Json, at: Position, part: string | undefined, firstOnPage: boolean): LegacyRow[] {
  const { ctx, framing } = r;
  const out: LegacyRow[] = [];
  const decode = (fields: FieldSpec[], obj: Json, pos: Position): RowValues | undefined => {
    const raws = fields.map((f) => rawAt(obj, f));
    const bad = raws.findIndex((x) => typeof x === 'object' && x !== null && !(x instanceof Date));
    if (bad >= 0) {
      ctx.issues.error('legacy-field-invalid', `${fields[bad].name} is an object or array, not a value`, `${fields[bad].name} 是对象或数组，而非值`, { ...pos, field: fields[bad].name });
      return undefined;
    }
    return decodeFields(fields, (_f, i) => raws[i] as Raw, pos, ctx);
  };
  const pv = decode(framing.persons.fields, person, at);
  if (!pv) return out;
  const id = pv['person.id'] as string | undefined;
  let schemesSeen = new Map<string, RowValues>();
  if (id !== undefined && r.last?.id === id && firstOnPage && r.last.part !== part) {
    // a person continued from the previous page: it must be the same person
    const k = same(r.last.values, pv);
    if (k !== undefined) {
      ctx.issues.error('legacy-person-continued', `${id} is continued on this page with ${k} "${String(pv[k] ?? '')}", but was "${String(r.last.values[k] ?? '')}" on ${r.last.part}; the continuation is not used`, `${id} 在本页续接，但${k}为“${String(pv[k] ?? '')}”，与 ${r.last.part} 的“${String(r.last.values[k] ?? '')}”不一致；续接部分未采用`, at, { value: id });
      return out;
    }
    schemesSeen = r.last.schemes;
  }
  r.last = id !== undefined ? { id, values: pv, part: part ?? '', schemes: schemesSeen } : undefined;
  const schemes: { values: RowValues; obj: Json; at: Position }[] = [];
  if (framing.schemes) {
    const list = getPath(person, framing.schemes.path!);
    if (!Array.isArray(list)) {
      ctx.issues.error('legacy-field-missing', `the person has no ${framing.schemes.path} array`, `该人员没有 ${framing.schemes.path} 数组`, { ...at, field: framing.schemes.path });
      return out;
    }
    list.forEach((s, i) => {
      const sat = { ...at, path: `${at.path}/${pointerOf(framing.schemes!.path!)}/${i}` };
      const sv = decode(framing.schemes!.fields, s, sat);
      if (!sv) return;
      const key = String(sv.scheme ?? i);
      const before = schemesSeen.get(key);
      const k = before ? same(before, sv) : undefined;
      if (k !== undefined) {
        ctx.issues.error('legacy-person-continued', `scheme ${key} of ${id} is continued with ${k} "${String(sv[k] ?? '')}", but was "${String(before![k] ?? '')}"; the continuation is not used`, `${id} 的险种 ${key} 续接时${k}为“${String(sv[k] ?? '')}”，与之前的“${String(before![k] ?? '')}”不一致；续接部分未采用`, sat, { value: key });
        return;
      }
      schemesSeen.set(key, sv);
      schemes.push({ values: sv, obj: s, at: sat });
    });
  } else schemes.push({ values: {}, obj: person, at });
  for (const s of schemes) {
    const list = getPath(s.obj, framing.rows.path!);
    if (!Array.isArray(list)) {
      ctx.issues.error('legacy-field-missing', `no ${framing.rows.path} array`, `没有 ${framing.rows.path} 数组`, { ...s.at, field: framing.rows.path });
      continue;
    }
    const prefix = `${s.at.path}/${pointerOf(framing.rows.path!)}/`;
    list.forEach((row, i) => {
      r.rowsRead++;
      const rat: Position = s.at.line !== undefined ? { line: s.at.line, path: prefix + i } : { path: prefix + i };
      if (part !== undefined) inPart(rat, part);
      const rv = decode(framing.rows.fields, row, rat);
      if (rv) out.push({ role: 'row', values: { ...pv, ...s.values, ...rv }, at: rat });
    });
  }
  return out;
}

function documentFields(r: Reader, doc: Json, at: Position): void {
  const fields = r.framing.document?.fields;
  if (!fields) return;
  const v = decodeFields(fields, (f) => {
    const x = rawAt(doc, f);
    return typeof x === 'object' && x !== null && !(x instanceof Date) ? 'object' : (x as Raw);
  }, at, r.ctx);
  if (v?.region !== undefined) r.ctx.header.region ??= v.region as string;
  if (v?.exportedAt !== undefined) r.ctx.header.exportedAt ??= v.exportedAt as string;
}

async function parseFile(path: string, r: Reader, file: string | undefined): Promise<Json | undefined> {
  let text = await readFile(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    r.ctx.issues.add('fatal', 'legacy-syntax', `not JSON: ${(err as Error).message}`, `不是合法的 JSON：${(err as Error).message}`, { ...(file ? { file } : {}), byteOffset: 0 } as Position);
    return undefined;
  }
}

function* documentRows(r: Reader, doc: Json, file: string | undefined): Generator<LegacyRow[]> {
  const base: Position = {};
  documentFields(r, doc, { ...base, path: '/' });
  const persons = getPath(doc, r.framing.persons.path!);
  if (!Array.isArray(persons)) {
    r.ctx.issues.add('fatal', 'legacy-field-missing', `the document has no ${r.framing.persons.path} array`, `文档没有 ${r.framing.persons.path} 数组`, { ...base, path: '/' });
    return;
  }
  let batch: LegacyRow[] = [];
  for (let i = 0; i < persons.length; i++) {
    batch.push(...personRows(r, persons[i], { ...base, path: `/${pointerOf(r.framing.persons.path!)}/${i}` }, file, i === 0));
    if (batch.length >= 512) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

export async function* readJson(source: ReadSource, ctx: DecodeContext): AsyncGenerator<LegacyRow[]> {
  const framing = ctx.mapping.framing as unknown as JsonFraming;
  const r: Reader = { ctx, framing, rowsRead: 0 };
  let declaredRows: number | undefined;
  const noteTotal = (doc: Json, at: Position) => {
    if (!framing.totalRows) return;
    const t = getPath(doc, framing.totalRows);
    if (typeof t !== 'number' || !Number.isSafeInteger(t)) {
      ctx.issues.error('legacy-trailer-mismatch', `${framing.totalRows} is ${JSON.stringify(t)}, not a whole number`, `${framing.totalRows} 为 ${JSON.stringify(t)}，不是整数`, { ...at, field: framing.totalRows });
    } else if (declaredRows === undefined) declaredRows = t;
    else if (declaredRows !== t) ctx.issues.error('legacy-trailer-mismatch', `${framing.totalRows} is ${t} here but ${declaredRows} on the first page`, `${framing.totalRows} 此处为 ${t}，首页为 ${declaredRows}`, { ...at, field: framing.totalRows });
  };
  if (framing.layout === 'lines') {
    const lines = createInterface({ input: createReadStream(source.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let n = 0;
    let batch: LegacyRow[] = [];
    for await (let line of lines) {
      n++;
      if (n === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (line.trim() === '') continue;
      let person: Json;
      try {
        person = JSON.parse(line) as Json;
      } catch (err) {
        ctx.issues.error('legacy-syntax', `line ${n} is not JSON: ${(err as Error).message}`, `第 ${n} 行不是合法的 JSON：${(err as Error).message}`, { line: n });
        continue;
      }
      batch.push(...personRows(r, person, { line: n, path: '/' }, undefined, false));
      if (batch.length >= 512) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
    return;
  }
  if (framing.layout === 'document') {
    const doc = await parseFile(source.path, r, undefined);
    if (doc === undefined) return;
    noteTotal(doc, { path: '/' });
    yield* documentRows(r, doc, undefined);
  } else {
    const pages = framing.pages!;
    const inputName = ctx.issues.file;
    let total: number | undefined;
    const seen: number[] = [];
    for (const part of source.parts) {
      const at = { path: '/' } as Position;
      ctx.issues.file = part.name; // every issue of this page names it
      const doc = await parseFile(part.path, r, part.name);
      if (doc === undefined) return;
      const num = getPath(doc, pages.number);
      const tot = getPath(doc, pages.total);
      if (typeof num !== 'number' || typeof tot !== 'number') {
        ctx.issues.add('fatal', 'legacy-part-missing', `${part.name} does not say which page it is (${pages.number}) and how many there are (${pages.total})`, `${part.name} 未给出页码（${pages.number}）和总页数（${pages.total}）`, at);
        return;
      }
      total ??= tot;
      if (tot !== total) ctx.issues.error('legacy-part-missing', `${part.name} says there are ${tot} pages, the first page said ${total}`, `${part.name} 称共 ${tot} 页，首页称 ${total} 页`, { ...at, field: pages.total }, { value: tot });
      const expected = seen.length + 1;
      if (num !== expected) ctx.issues.error('legacy-part-missing', `${part.name} is page ${num}, expected page ${expected} (${num > expected ? `page ${expected} is missing` : 'a page out of sequence'})`, `${part.name} 是第 ${num} 页，应为第 ${expected} 页（${num > expected ? `缺第 ${expected} 页` : '页序错误'}）`, { ...at, field: pages.number }, { value: num });
      if (part.name !== pageName(pages.name, num)) ctx.issues.warning('legacy-part-missing', `page ${num} is named ${part.name}, expected ${pageName(pages.name, num)}`, `第 ${num} 页文件名为 ${part.name}，应为 ${pageName(pages.name, num)}`, at);
      seen.push(num);
      noteTotal(doc, at);
      yield* documentRows(r, doc, part.name);
    }
    ctx.issues.file = inputName;
    if (total !== undefined && seen.length < total) {
      const missing = seen.length + 1 === total ? `page ${total} is missing` : `pages ${seen.length + 1}..${total} are missing`;
      ctx.issues.error('legacy-part-missing', `the export has ${total} pages, the folder holds ${seen.length}: ${missing}`, `导出共 ${total} 页，文件夹只有 ${seen.length} 页：缺第 ${seen.length + 1}${seen.length + 1 === total ? '' : `..${total}`} 页`, { file: source.parts[source.parts.length - 1].name } as Position, { value: total });
    }
  }
  if (declaredRows !== undefined && declaredRows !== r.rowsRead) {
    ctx.issues.error('legacy-trailer-mismatch', `${framing.totalRows} says ${declaredRows} rows, the export holds ${r.rowsRead}`, `${framing.totalRows} 为 ${declaredRows} 行，导出实有 ${r.rowsRead} 行`, { field: framing.totalRows }, { value: declaredRows });
  }
}

/** A level's values as a JSON object (raw values at their paths); undefined when a field could not be encoded (reported). */
function objectOf(fields: FieldSpec[], values: RowValues, where: RecordLabel, ctx: EncodeContext): Record<string, Json> | undefined {
  const raws = encodeFields(fields, values, where, ctx);
  if (!raws) return undefined;
  const obj: Record<string, Json> = {};
  fields.forEach((f, i) => {
    const v = raws[i];
    if (v === undefined || v === null) return;
    setPath(obj, f.name, f.type === 'integer' ? Number(v) : v instanceof Date ? v.toISOString() : (v as Json));
  });
  return obj;
}

interface PersonOut {
  id: string;
  obj: Record<string, Json>;
  /** Per scheme: its object and rows. */
  schemes: { obj: Record<string, Json>; rows: Json[] }[];
}

/** The person objects to write, one per person, from records of the same person in a row. */
async function* personsOf(records: AsyncIterable<ContributionRecord>, ctx: EncodeContext): AsyncGenerator<PersonOut> {
  const framing = ctx.mapping.framing as unknown as JsonFraming;
  let cur: PersonOut | undefined;
  let n = 0;
  for await (const r of records) {
    n++;
    const where = recordLabel(n, r);
    const person = { ...personValues(r, n, ctx), region: r.region };
    if (!cur || cur.id !== r.person.id) {
      if (cur) yield cur;
      const obj = objectOf(framing.persons.fields, person, where, ctx);
      if (!obj) {
        cur = undefined;
        continue;
      }
      cur = { id: r.person.id, obj, schemes: [] };
    }
    const sobj = framing.schemes ? objectOf(framing.schemes.fields, { ...person, scheme: r.scheme }, where, ctx) : {};
    if (!sobj) continue;
    const rows: Json[] = [];
    for (const row of contributionRows(r, person, ctx.mapping)) {
      const o = objectOf(framing.rows.fields, row, where, ctx);
      if (o) rows.push(o);
    }
    cur.schemes.push({ obj: sobj, rows });
  }
  if (cur) yield cur;
}

/** The person as JSON, its schemes and rows nested (or, without a schemes level, its rows under the person). */
function personJson(p: PersonOut, framing: JsonFraming): Record<string, Json> {
  const obj = structuredClone(p.obj);
  if (framing.schemes) {
    setPath(obj, framing.schemes.path!, p.schemes.map((s) => {
      const so = structuredClone(s.obj);
      setPath(so, framing.rows.path!, s.rows);
      return so;
    }));
  } else setPath(obj, framing.rows.path!, p.schemes.flatMap((s) => s.rows));
  return obj;
}

function documentHead(ctx: EncodeContext): Record<string, Json> {
  const framing = ctx.mapping.framing as unknown as JsonFraming;
  return framing.document ? objectOf(framing.document.fields, { region: ctx.region, exportedAt: ctx.exportedAt }, LINE_LABELS.header, ctx) ?? {} : {};
}

export async function writeJson(records: AsyncIterable<ContributionRecord>, target: WriteTarget, ctx: EncodeContext): Promise<void> {
  const framing = ctx.mapping.framing as unknown as JsonFraming;
  if (framing.layout === 'lines') {
    const sink = new Sink(target.stream!);
    for await (const p of personsOf(records, ctx)) await sink.write(`${JSON.stringify(personJson(p, framing))}\n`);
    await sink.flush();
    return;
  }
  if (framing.layout === 'document') {
    const sink = new Sink(target.stream!);
    const head = documentHead(ctx);
    const persons: Json[] = [];
    let rows = 0;
    for await (const p of personsOf(records, ctx)) {
      rows += p.schemes.reduce((s, x) => s + x.rows.length, 0);
      persons.push(personJson(p, framing));
    }
    if (framing.totalRows) setPath(head, framing.totalRows, rows);
    setPath(head, framing.persons.path!, persons);
    await sink.write(`${JSON.stringify(head, null, 2)}\n`);
    await sink.flush();
    return;
  }
  await writePages(records, target, ctx, framing);
}

/**
 * Pages of at most `pageSize` rows (writer option, default 1000): a person
 * whose rows do not fit is continued on the next page, repeated with the same
 * fields. Persons are spooled to a temporary file first, as every page states
 * the number of pages.
 */
async function writePages(records: AsyncIterable<ContributionRecord>, target: WriteTarget, ctx: EncodeContext, framing: JsonFraming): Promise<void> {
  const pageSize = (ctx.writer.pageSize as number | undefined) ?? 1000;
  const pages = framing.pages!;
  const dir = await mkdtemp(join(tmpdir(), 'jiexu-json-'));
  try {
    const spoolPath = join(dir, 'persons.jsonl');
    const spoolStream = createWriteStream(spoolPath);
    const spool = new Sink(spoolStream);
    let rows = 0;
    let pageCount = 0;
    let room = 0;
    for await (const p of personsOf(records, ctx)) {
      const n = p.schemes.reduce((s, x) => s + x.rows.length, 0);
      rows += n;
      // how many pages this person starts or spans, given the room left
      let left = n;
      if (pageCount === 0 || room === 0) {
        pageCount++;
        room = pageSize;
      }
      while (left > room) {
        left -= room;
        pageCount++;
        room = pageSize;
      }
      room -= left;
      await spool.write(`${JSON.stringify(p)}\n`);
    }
    await spool.flush();
    spoolStream.end();
    await finished(spoolStream);
    const head = documentHead(ctx);
    if (framing.totalRows) setPath(head, framing.totalRows, rows);
    setPath(head, pages.total, Math.max(pageCount, 1));
    if (pages.size) setPath(head, pages.size, pageSize);
    let page = 0;
    let persons: Json[] = [];
    let used = 0;
    const flush = async (): Promise<void> => {
      page++;
      const doc = structuredClone(head);
      setPath(doc, pages.number, page);
      setPath(doc, framing.persons.path!, persons);
      const out: Writable = target.part(pageName(pages.name, page));
      out.end(`${JSON.stringify(doc, null, 2)}\n`);
      await finished(out);
      persons = [];
      used = 0;
    };
    const lines = createInterface({ input: createReadStream(spoolPath, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      const p = JSON.parse(line) as PersonOut;
      // split the person's schemes and rows over pages
      let rest = p.schemes.map((s) => ({ obj: s.obj, rows: [...s.rows] }));
      while (rest.length) {
        if (used === pageSize) await flush();
        const part: PersonOut = { id: p.id, obj: p.obj, schemes: [] };
        while (rest.length && used < pageSize) {
          const s = rest[0];
          const take = s.rows.splice(0, pageSize - used);
          used += take.length;
          part.schemes.push({ obj: s.obj, rows: take });
          if (!s.rows.length) rest = rest.slice(1);
        }
        persons.push(personJson(part, framing));
      }
    }
    if (persons.length || page === 0) await flush();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A single JSON document or JSON Lines whose first bytes hold the persons' path. */
export function detectJson(head: Buffer, mapping: Mapping): boolean {
  const framing = mapping.framing as unknown as JsonFraming;
  const text = head.toString('utf8');
  const key = split(framing.layout === 'lines' ? framing.persons.fields[0]?.name ?? '' : framing.persons.path ?? '')[0];
  return /^\s*[[{]/.test(text) && key !== '' && text.includes(`"${key}"`) && (framing.layout !== 'pages' || text.includes(`"${split(framing.pages!.number)[0]}"`));
}
