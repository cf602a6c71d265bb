/**
 * Value conversions between legacy fields and canonical values: codes, fen,
 * yuan with exactly two decimals, spreadsheet numbers, months and dates.
 * Each returns the canonical value or a Problem; none rounds or guesses.
 */
import type { FieldSpec, Mapping } from './mapping.ts';
import { problem, type Problem } from './issues.ts';

export type Raw = string | number | Date | boolean | null | undefined;
export type Value = string | number | undefined;
export type Decoded = { value: Value } | { problem: Problem };

const MAX_FEN = 900_000_000_000_000;
/** C0 controls and DEL: never part of a name, code or identifier. */
const CONTROL = /[\u0000-\u001f\u007f]/;

export function isProblem(d: Decoded | Problem | { raw: Raw }): d is { problem: Problem } {
  return 'problem' in d;
}

/** Whole fen from digits only. */
export function fenFromDigits(s: string): number | undefined {
  if (!/^[0-9]{1,16}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= MAX_FEN ? n : undefined;
}

/** Fen from a yuan text with exactly two decimals (`4280.10`); anything else is refused. */
export function fenFromYuanText(s: string): number | Problem {
  const fast = plainYuan(s);
  if (fast >= 0) return fast;
  if (s.startsWith('-')) return problem('legacy-amount-negative', `amount ${s} is negative`, `金额 ${s} 为负数`);
  const m = /^([0-9]{1,13})\.([0-9]{2})$/.exec(s);
  if (!m) {
    return problem(
      'legacy-amount-not-exact',
      `amount "${s}" is not yuan with exactly two decimals (like 4280.10)`,
      `金额“${s}”不是恰好两位小数的元金额（如 4280.10）`,
    );
  }
  return Number(m[1]) * 100 + Number(m[2]);
}

/** What /^([0-9]{1,13})\.([0-9]{2})$/ accepts, as fen, without a match array or two Number() calls; -1 for anything else. */
export function plainYuan(s: string): number {
  const n = s.length;
  if (n < 4 || n > 16 || s.charCodeAt(n - 3) !== 46) return -1;
  let yuan = 0;
  for (let i = 0; i < n - 3; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    yuan = yuan * 10 + d;
  }
  const d1 = s.charCodeAt(n - 2) - 48;
  const d2 = s.charCodeAt(n - 1) - 48;
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  return yuan * 100 + d1 * 10 + d2;
}

/**
 * plainYuan over the bytes start..end of an ASCII field, without its text: each byte is its
 * character's code, so the answer is plainYuan's for the field's text (tested against it,
 * values-fast.test.ts). The byte path of unquoted GBK files reads amounts so (bytes-values.ts).
 */
export function plainYuanBytes(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n < 4 || n > 16 || b[end - 3] !== 46) return -1;
  let yuan = 0;
  for (let i = start; i < end - 3; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    yuan = yuan * 10 + d;
  }
  const d1 = b[end - 2] - 48;
  const d2 = b[end - 1] - 48;
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  return yuan * 100 + d1 * 10 + d2;
}

/** Below this, two different amounts of at most two decimals are never the same double (its spacing is under 0.002 here), and the shortest decimal of a number has at most 13 integer digits. */
const PLAIN_YUAN_NUMBER = 1e13;

/**
 * Fen from a spreadsheet number: the shortest decimal that reads back as the number, at most two decimals.
 * The usual amount takes a shortcut without String(n) and the pattern (a third of a bj-xlsx row's decoding):
 * f = round(n × 100) is the answer exactly when f / 100 is n again — the division is correctly rounded, so
 * the decimal f/100 reads back as n, and below PLAIN_YUAN_NUMBER no other decimal of at most two places does,
 * so it is the shortest. Anything else (more decimals, out of range, not finite, negative) takes the rule as
 * written; `+ 0` turns −0 into 0, as the rule reads String(−0) = "0". Tested against the rule (fast-paths.test.ts).
 */
export function fenFromYuanNumber(n: number): number | Problem {
  if (n >= 0 && n < PLAIN_YUAN_NUMBER) {
    const f = Math.round(n * 100);
    if (f / 100 === n) return f + 0;
  }
  return fenFromYuanNumberByText(n);
}

/** fenFromYuanNumber as the rule is written: String(n), then the pattern. Exported for the equivalence test. */
export function fenFromYuanNumberByText(n: number): number | Problem {
  if (!Number.isFinite(n)) return problem('legacy-field-invalid', `amount ${n} is not a number`, `金额 ${n} 不是数字`);
  if (n < 0) return problem('legacy-amount-negative', `amount ${n} is negative`, `金额 ${n} 为负数`);
  const s = String(n);
  const m = /^([0-9]{1,13})(?:\.([0-9]{1,2}))?$/.exec(s);
  if (!m) {
    return problem(
      'legacy-amount-not-exact',
      `amount ${s} has more than two decimals (or is out of range); whole fen expected`,
      `金额 ${s} 超过两位小数（或超出范围），应为整分`,
    );
  }
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** `4280.10` from 428010 fen. */
export function yuanText(fen: number): string {
  const s = String(fen).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** The spreadsheet number for an amount: the double nearest the two-decimal yuan value. */
export function yuanNumber(fen: number): number {
  return Number(yuanText(fen));
}

const MONTH = /^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$/;
const MONTH_LAYOUTS: Record<string, RegExp> = { YYYYMM: /^([0-9]{4})([0-9]{2})$/, 'YYYY.MM': /^([0-9]{4})\.([0-9]{2})$/, 'YYYY-MM': /^([0-9]{4})-([0-9]{2})$/ };

function validDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && y <= 2099 && dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Days from 1899-12-30 (the 1900 date system's effective epoch for serials after 60). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function dateFromCell(raw: Raw): Date | undefined {
  if (raw instanceof Date) return raw;
  if (typeof raw === 'number' && raw > 60 && Number.isFinite(raw)) return new Date(EXCEL_EPOCH_MS + raw * 86_400_000);
  return undefined;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Months of date cells already decoded, by the cell's time: a workbook has a few hundred distinct months
 * at most, and toISOString on every cell was a fifth of a bj-xlsx row's decoding. Only months that decoded
 * without a problem are kept (the result depends on the time alone); cleared when full.
 */
const cellMonths = new Map<number, string>();
const CELL_MONTHS = 4096;

function decodeMonth(raw: Raw, format: string): Value | Problem {
  let iso: string | undefined;
  if (format === 'date-cell') {
    const d = dateFromCell(raw);
    const known = d && cellMonths.get(d.getTime());
    if (known !== undefined) return known;
    if (!d || Number.isNaN(d.getTime())) return problem('legacy-field-invalid', `expected a date cell, found ${JSON.stringify(raw)}`, `应为日期单元格，实为 ${JSON.stringify(raw)}`);
    if (d.getUTCDate() !== 1 || d.getTime() % 86_400_000 !== 0) {
      return problem('legacy-field-invalid', `month cell ${d.toISOString()} is not the first day of a month`, `年月单元格 ${d.toISOString()} 不是某月第一天`);
    }
    iso = d.toISOString().slice(0, 7);
    if (MONTH.test(iso)) {
      if (cellMonths.size >= CELL_MONTHS) cellMonths.clear();
      cellMonths.set(d.getTime(), iso);
    }
  } else {
    const s = String(raw);
    const m = MONTH_LAYOUTS[format]?.exec(s);
    if (m) iso = `${m[1]}-${m[2]}`;
  }
  if (!iso || !MONTH.test(iso)) return problem('legacy-field-invalid', `"${String(raw)}" is not a month (${format})`, `“${String(raw)}”不是有效年月（${format}）`);
  return iso;
}

function decodeDate(raw: Raw, format: string): Value | Problem {
  if (format === 'date-cell') {
    const d = dateFromCell(raw);
    if (!d || Number.isNaN(d.getTime())) return problem('legacy-field-invalid', `expected a date cell, found ${JSON.stringify(raw)}`, `应为日期单元格，实为 ${JSON.stringify(raw)}`);
    if (d.getTime() % 86_400_000 !== 0) return problem('legacy-field-invalid', `date cell ${d.toISOString()} has a time of day`, `日期单元格 ${d.toISOString()} 含时间`);
    return isoDate(d);
  }
  const s = String(raw);
  const m = format === 'YYYYMMDD' ? /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(s) : /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return problem('legacy-field-invalid', `"${s}" is not a date (${format})`, `“${s}”不是有效日期（${format}）`);
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

const RFC3339 = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/** A legacy field's raw value (string for text formats, cell value for spreadsheets) → canonical value. */
export function decodeValue(raw: Raw, spec: FieldSpec, mapping: Mapping): Value | Problem {
  if (raw === undefined || raw === null || raw === '') {
    if (spec.optional || spec.type === 'literal') return undefined;
    return problem('legacy-field-missing', `${spec.name} is empty`, `${spec.name} 为空`);
  }
  switch (spec.type) {
    case 'text':
      if (typeof raw !== 'string') return problem('legacy-field-invalid', `${spec.name} must be text, found ${typeof raw === 'number' ? 'a number' : typeof raw}`, `${spec.name} 应为文本`);
      if (CONTROL.test(raw)) return problem('legacy-field-invalid', `${spec.name} holds a control character (U+${raw.charCodeAt(raw.search(CONTROL)).toString(16).toUpperCase().padStart(4, '0')})`, `${spec.name} 含有控制字符（U+${raw.charCodeAt(raw.search(CONTROL)).toString(16).toUpperCase().padStart(4, '0')}）`);
      return raw;
    case 'code': {
      const code = String(raw);
      const v = mapping.codes[spec.codes!]?.[code];
      if (v === undefined || (typeof raw !== 'string')) {
        return problem('legacy-code-unknown', `${spec.name} "${code}" is not a known ${spec.codes} code`, `${spec.name}“${code}”不是已知的${spec.codes}代码`);
      }
      return v;
    }
    case 'fen': {
      const n = typeof raw === 'string' ? fenFromDigits(raw) : undefined;
      if (n === undefined) return problem('legacy-amount-not-exact', `${spec.name} "${String(raw)}" is not whole fen (digits only)`, `${spec.name}“${String(raw)}”不是整分数字`);
      return n;
    }
    case 'yuan':
      if (typeof raw !== 'string') return problem('legacy-field-invalid', `${spec.name} must be text`, `${spec.name} 应为文本`);
      return fenFromYuanText(raw);
    case 'yuan-number':
      if (typeof raw !== 'number') return problem('legacy-field-invalid', `${spec.name} must be a number cell, found ${JSON.stringify(raw)}`, `${spec.name} 应为数字单元格`);
      return fenFromYuanNumber(raw);
    case 'integer':
      if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw;
      if (typeof raw === 'string' && /^[0-9]{1,15}$/.test(raw)) return Number(raw);
      return problem('legacy-field-invalid', `${spec.name} "${String(raw)}" is not a whole number`, `${spec.name}“${String(raw)}”不是整数`);
    case 'month':
      return decodeMonth(raw, spec.format!);
    case 'date':
      return decodeDate(raw, spec.format!);
    case 'datetime':
      if (typeof raw !== 'string' || !RFC3339.test(raw)) return problem('legacy-field-invalid', `${spec.name} "${String(raw)}" is not an RFC 3339 date-time`, `${spec.name}“${String(raw)}”不是 RFC 3339 时间`);
      return raw;
    case 'literal':
      if (raw !== spec.value) return problem('legacy-field-unexpected', `${spec.name} is "${String(raw)}", expected "${spec.value}"`, `${spec.name} 为“${String(raw)}”，应为“${spec.value}”`);
      return undefined;
    case 'hook':
      return problem('legacy-field-invalid', `${spec.name} needs hook ${spec.hook}`, `${spec.name} 需要钩子 ${spec.hook}`);
  }
}

export function isProblemValue(v: Value | Problem): v is Problem {
  return typeof v === 'object' && v !== null;
}

/** Reverse code lists, built once per mapping. */
const reverseCodes = new WeakMap<Mapping, Record<string, Record<string, string>>>();
function reverse(mapping: Mapping, list: string): Record<string, string> {
  let all = reverseCodes.get(mapping);
  if (!all) {
    all = {};
    for (const [name, codes] of Object.entries(mapping.codes)) {
      const r: Record<string, string> = {};
      for (const [legacy, canonical] of Object.entries(codes)) if (!(canonical in r)) r[canonical] = legacy;
      all[name] = r;
    }
    reverseCodes.set(mapping, all);
  }
  return all[list] ?? {};
}

/** A canonical value → the legacy raw value (text, or number/Date for cells). Undefined stays undefined. */
export function encodeValue(value: Value, spec: FieldSpec, mapping: Mapping): Raw | Problem {
  if (spec.type === 'literal') return spec.value;
  if (value === undefined) {
    if (spec.optional) return undefined;
    return problem('legacy-field-missing', `${spec.name} has no value to write`, `${spec.name} 无可写入的值`);
  }
  switch (spec.type) {
    case 'text':
      return String(value);
    case 'code': {
      const legacy = reverse(mapping, spec.codes!)[String(value)];
      if (legacy === undefined) return problem('legacy-code-unknown', `${String(value)} cannot be written as ${spec.name}: ${mapping.name} has no code for it`, `${String(value)} 无法写为${spec.name}：${mapping.name} 无对应代码`);
      return legacy;
    }
    case 'fen':
    case 'integer':
      return String(value);
    case 'yuan':
      return yuanText(value as number);
    case 'yuan-number':
      return yuanNumber(value as number);
    case 'month': {
      const s = String(value);
      if (spec.format === 'date-cell') return new Date(`${s}-01T00:00:00.000Z`);
      return spec.format === 'YYYYMM' ? s.replace('-', '') : spec.format === 'YYYY.MM' ? s.replace('-', '.') : s;
    }
    case 'date': {
      const s = String(value);
      if (spec.format === 'date-cell') return new Date(`${s}T00:00:00.000Z`);
      return spec.format === 'YYYYMMDD' ? s.replaceAll('-', '') : s;
    }
    case 'datetime':
      return String(value);
    case 'hook':
      return problem('legacy-field-invalid', `${spec.name} needs hook ${spec.hook}`, `${spec.name} 需要钩子 ${spec.hook}`);
  }
}
