/**
 * Checks of an encoded legacy file against its format's rules, derived from the
 * mapping: byte widths, line ends, BOM, header and trailer, RFC 4180 minimal
 * quoting, two-decimal amounts, maximal runs, sheets and cell types.
 * Each returns the violations found (empty: conforms).
 */
import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import ExcelJS from 'exceljs';
import type { DelimitedFraming, FieldSpec, FixedFraming, Mapping, SpreadsheetFraming, XmlFraming } from '../mapping.ts';
import { getAdapter, readRecords } from '../adapter.ts';
import { framingOf } from '../framing/index.ts';

const YUAN = /^[0-9]+\.[0-9]{2}$/;
const MONTH_FORMATS: Record<string, RegExp> = { YYYYMM: /^[0-9]{6}$/, 'YYYY.MM': /^[0-9]{4}\.[0-9]{2}$/, 'YYYY-MM': /^[0-9]{4}-[0-9]{2}$/ };

function textRule(f: FieldSpec, value: string): string | undefined {
  if (f.type === 'yuan' && !YUAN.test(value)) return `${f.name} "${value}" is not yuan with exactly two decimals`;
  if (f.type === 'month' && MONTH_FORMATS[f.format!] && !MONTH_FORMATS[f.format!].test(value)) return `${f.name} "${value}" is not ${f.format}`;
  if ((f.type === 'fen' || f.type === 'integer') && !/^[0-9]+$/.test(value)) return `${f.name} "${value}" is not digits`;
  if (value.includes('\uFFFD')) return `${f.name} holds bytes invalid in the encoding`;
  return undefined;
}

function nextMonth(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(-2));
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}
const iso = (m: string): string => (m.length === 6 ? `${m.slice(0, 4)}-${m.slice(4)}` : m.replace('.', '-'));

/** Consecutive runs of one person and scheme that hold equal values must have been merged. */
function unmergedRuns(rows: Record<string, string>[], keyFields: string[], valueFields: string[], from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    if (keyFields.every((k) => a[k] === b[k]) && valueFields.every((k) => a[k] === b[k]) && nextMonth(iso(a[to])) === iso(b[from])) {
      out.push(`rows ${i} and ${i + 1} are consecutive months with equal values but not merged into one run`);
    }
  }
  return out;
}

export function checkFixed(bytes: Buffer, m: Mapping): string[] {
  const f = m.framing as FixedFraming;
  const v: string[] = [];
  const eol = Buffer.from(m.lineEnd, 'latin1');
  const lineLen = f.recordLength + eol.length;
  if (bytes.length % lineLen !== 0) v.push(`file length ${bytes.length} is not a multiple of ${lineLen} (record + line end)`);
  const n = Math.floor(bytes.length / lineLen);
  const types: string[] = [];
  const role = (t: string) => f.records.find((r) => r.type === t)?.role;
  const counts: Record<string, number> = {};
  const sums = { employerFen: 0, individualFen: 0 };
  let trailer: Record<string, number> | undefined;
  for (let i = 0; i < n; i++) {
    const rec = bytes.subarray(i * lineLen, i * lineLen + f.recordLength);
    if (!bytes.subarray(i * lineLen + f.recordLength, (i + 1) * lineLen).equals(eol)) v.push(`record ${i + 1} does not end in the line end`);
    const type = String.fromCharCode(rec[0]);
    types.push(type);
    const spec = f.records.find((r) => r.type === type);
    if (!spec) {
      v.push(`record ${i + 1} has unknown type ${type}`);
      continue;
    }
    counts[spec.role] = (counts[spec.role] ?? 0) + 1;
    for (const fl of spec.fields) {
      const raw = rec.subarray(fl.start! - 1, fl.start! - 1 + fl.width!);
      const text = iconv.decode(raw, m.encoding);
      const numeric = fl.type === 'fen' || fl.type === 'integer';
      if (numeric && !/^[0-9]+$/.test(text)) v.push(`record ${i + 1} ${fl.name}: "${text}" is not zero-padded digits`);
      const rule = textRule(fl, text.trimEnd());
      if (rule && text.trim() !== '') v.push(`record ${i + 1} ${rule}`);
      if (spec.role === 'row' && (fl.as === 'employerFen' || fl.as === 'individualFen')) sums[fl.as] += Number(text);
      if (spec.role === 'trailer' && fl.as) (trailer ??= {})[fl.as] = Number(text);
    }
  }
  const header = f.records.find((r) => r.role === 'header');
  const trailerSpec = f.records.find((r) => r.role === 'trailer');
  if (header && types[0] !== header.type) v.push(`the first record is not the header ${header.type}`);
  if (trailerSpec && types[types.length - 1] !== trailerSpec.type) v.push(`the last record is not the trailer ${trailerSpec.type}`);
  const body = types.slice(header ? 1 : 0, trailerSpec ? -1 : undefined).map(role);
  const firstAccount = body.indexOf('account');
  if (firstAccount >= 0 && body.slice(firstAccount).includes('row')) v.push('a monthly record follows an account record (writers put all monthly records first)');
  if (trailer) {
    const want: Record<string, number> = {
      'trailer.rowCount': counts.row ?? 0,
      'trailer.accountCount': counts.account ?? 0,
      'trailer.employerFenSum': sums.employerFen,
      'trailer.individualFenSum': sums.individualFen,
    };
    for (const [k, val] of Object.entries(trailer)) if (want[k] !== val) v.push(`trailer ${k} is ${val}, the body gives ${want[k]}`);
  }
  return v;
}

/** RFC 4180 fields of one text, with whether each was quoted; line ends between records. */
function splitRfc4180(text: string, delimiter: string, eol: string): { rows: { fields: string[]; quoted: boolean[] }[]; problems: string[] } {
  const rows: { fields: string[]; quoted: boolean[] }[] = [];
  const problems: string[] = [];
  let i = 0;
  let fields: string[] = [];
  let quoted: boolean[] = [];
  while (i < text.length) {
    let value = '';
    let q = false;
    if (text[i] === '"') {
      q = true;
      i++;
      for (;;) {
        if (i >= text.length) {
          problems.push('unterminated quoted field');
          break;
        }
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== delimiter && !text.startsWith(eol, i) && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    }
    fields.push(value);
    quoted.push(q);
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    if (text.startsWith(eol, i)) {
      i += eol.length;
      rows.push({ fields, quoted });
      fields = [];
      quoted = [];
      continue;
    }
    if (i < text.length) {
      problems.push(`row ${rows.length + 1}: line break other than ${JSON.stringify(eol)}`);
      i++;
    }
  }
  if (fields.length) problems.push('the last row does not end in a line end');
  return { rows, problems };
}

export function checkDelimited(bytes: Buffer, m: Mapping): string[] {
  const f = m.framing as DelimitedFraming;
  const v: string[] = [];
  const bom = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  if (bom !== m.bom) v.push(m.bom ? 'no byte order mark' : 'unexpected byte order mark');
  const text = iconv.decode(bom ? bytes.subarray(3) : bytes, m.encoding);
  const { rows, problems } = splitRfc4180(text, f.quoting === 'none' ? '\u0000' : f.delimiter, m.lineEnd);
  v.push(...problems);
  const table = f.quoting === 'none' ? rows.map((r) => ({ fields: r.fields[0].split(f.delimiter), quoted: [] as boolean[] })) : rows;
  const names = f.fields.map((x) => x.name);
  if (table[0]?.fields.join('\u0000') !== names.join('\u0000')) v.push('the first row is not the header');
  const objects: Record<string, string>[] = [];
  table.slice(1).forEach((r, k) => {
    if (r.fields.length !== names.length) v.push(`row ${k + 2} has ${r.fields.length} fields`);
    r.fields.forEach((value, j) => {
      const needs = /[",\r\n]/.test(value) || value.includes(f.delimiter);
      if (f.quoting === 'rfc4180' && r.quoted[j] !== needs) v.push(`row ${k + 2} ${names[j]}: ${needs ? 'must be quoted' : 'quoted without need'}`);
      const rule = f.fields[j] ? textRule(f.fields[j], value) : undefined;
      if (rule) v.push(`row ${k + 2} ${rule}`);
    });
    objects.push(Object.fromEntries(names.map((n, j) => [n, r.fields[j]])));
  });
  if (m.rows === 'run') {
    const from = f.fields.find((x) => x.as === 'monthFrom')!.name;
    const to = f.fields.find((x) => x.as === 'monthTo')!.name;
    const keys = f.fields.filter((x) => x.as === 'person.id' || x.as === 'scheme' || x.as === 'region').map((x) => x.name);
    const values = f.fields.filter((x) => !['monthFrom', 'monthTo', 'person.id', 'scheme', 'region'].includes(x.as ?? '')).map((x) => x.name);
    v.push(...unmergedRuns(objects, keys, values, from, to));
  }
  return v;
}

export function checkXml(bytes: Buffer, m: Mapping): string[] {
  const f = m.framing as XmlFraming;
  const v: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('doctype', () => v.push('has a DOCTYPE'));
  parser.on('error', (e) => v.push(`not well-formed: ${e.message}`));
  const runs: Record<string, string>[] = [];
  let scheme = '';
  let person = '';
  parser.on('opentag', (t) => {
    const tag = t as SaxesTagNS;
    if (tag.uri !== f.namespace) v.push(`element ${tag.name} outside namespace ${f.namespace}`);
    const attrs = Object.fromEntries(Object.values(tag.attributes).map((a) => [a.local, a.value]));
    if (tag.local === f.person.element) person = attrs[f.person.fields.find((x) => x.as === 'person.id')!.name];
    if (tag.local === f.scheme.element) {
      scheme = attrs[f.scheme.fields[0].name];
      runs.push({ __break: String(runs.length) });
    }
    for (const level of [f.root, f.person, f.scheme, f.row, ...(f.account ? [f.account] : [])]) {
      if (level.element !== tag.local) continue;
      for (const fl of level.fields) {
        const value = attrs[fl.name];
        if (value === undefined) {
          if (!fl.optional) v.push(`${tag.local} lacks ${fl.name}`);
          continue;
        }
        const rule = textRule(fl, value);
        if (rule) v.push(`${tag.local}: ${rule}`);
      }
    }
    if (tag.local === f.row.element) runs.push({ ...attrs, __person: person, __scheme: scheme });
  });
  parser.write(bytes.toString('utf8')).close();
  const from = f.row.fields.find((x) => x.as === 'monthFrom')!.name;
  const to = f.row.fields.find((x) => x.as === 'monthTo')!.name;
  const values = f.row.fields.filter((x) => x.as !== 'monthFrom' && x.as !== 'monthTo').map((x) => x.name);
  v.push(...unmergedRuns(runs.filter((r) => !r.__break), ['__person', '__scheme'], values, from, to));
  return v;
}

export async function checkSpreadsheet(path: string, m: Mapping): Promise<string[]> {
  const f = m.framing as SpreadsheetFraming;
  const v: string[] = [];
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  if (wb.properties.date1904) v.push('uses the 1904 date system');
  const specs = [f.persons, f.rows, f.accounts].filter((s) => s !== undefined);
  const names = wb.worksheets.map((w) => w.name);
  if (names.join('|') !== specs.map((s) => s.sheet).join('|')) v.push(`sheets are ${names.join(', ')}, expected ${specs.map((s) => s.sheet).join(', ')}`);
  for (const spec of specs) {
    const ws = wb.getWorksheet(spec.sheet);
    if (!ws) continue;
    ws.eachRow((row, r) => {
      spec.fields.forEach((fl, j) => {
        const cell = row.getCell(j + 1);
        if (r === 1) {
          if (cell.value !== fl.name) v.push(`${spec.sheet} header ${j + 1} is ${String(cell.value)}, expected ${fl.name}`);
          return;
        }
        const where = `${spec.sheet}!${cell.address}`;
        if ((fl.type === 'text' || fl.type === 'code') && cell.type !== ExcelJS.ValueType.String) v.push(`${where} ${fl.name} is not a text cell`);
        if ((fl.type === 'month' || fl.type === 'date') && !(cell.value instanceof Date)) v.push(`${where} ${fl.name} is not a date cell`);
        if (fl.type === 'month' && cell.value instanceof Date && cell.value.getUTCDate() !== 1) v.push(`${where} ${fl.name} is not the first day of a month`);
        if (fl.type === 'yuan-number') {
          if (typeof cell.value !== 'number') v.push(`${where} ${fl.name} is not a number cell`);
          else if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(String(cell.value))) v.push(`${where} ${fl.name} ${cell.value} has more than two decimals`);
        }
      });
    });
  }
  return v;
}

/**
 * Every violation of `format`'s rules in an encoded file or folder: the
 * framing's own rules (`check`), then reading it back through the same
 * framing — any error or warning the reader reports is a violation, so a
 * framing without rules of its own is still checked.
 */
export async function checkEncoded(format: string, path: string): Promise<string[]> {
  const m = getAdapter(format).mapping;
  const framing = framingOf(m.framing.kind);
  const violations = framing?.check ? await framing.check(path, m) : [];
  const back = await readRecords(path, { format });
  for (const i of back.report.issues) {
    if (i.severity !== 'error' && i.severity !== 'fatal') continue;
    const where = [i.location?.file, i.location?.line && `line ${i.location.line}`, i.location?.record && `record ${i.location.record}`, i.location?.path, i.location?.field].filter(Boolean).join(' ');
    violations.push(`read back: ${i.severity} ${i.code}${where ? ` at ${where}` : ''}: ${i.message.en}`);
  }
  return violations;
}
