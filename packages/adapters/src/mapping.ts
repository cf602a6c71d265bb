/**
 * A legacy format declared as data: the shape of `formats/<name>/mapping.json`,
 * validated against packages/adapters/mapping.schema.json when loaded.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Limits } from './limits.ts';

/** The canonical slot a legacy field fills. */
export type Target =
  | 'person.id' | 'person.name' | 'person.gender' | 'person.birthDate' | 'person.hukouRegion'
  | 'region' | 'scheme' | 'month' | 'monthFrom' | 'monthTo'
  | 'baseFen' | 'employerFen' | 'individualFen' | 'status' | 'employerId' | 'employer'
  | 'account.year' | 'account.creditedFen' | 'account.interestFen' | 'account.balanceFen'
  | 'exportedAt'
  | 'trailer.rowCount' | 'trailer.accountCount' | 'trailer.employerFenSum' | 'trailer.individualFenSum';

export type FieldType =
  | 'text' | 'code' | 'fen' | 'yuan' | 'yuan-number' | 'integer' | 'month' | 'date' | 'datetime' | 'literal' | 'hook';

export interface FieldSpec {
  /** The legacy field's name as the format documents it (column header, attribute, 姓名 …). */
  name: string;
  as?: Target;
  type: FieldType;
  /** code: the key of the code list in `codes`. */
  codes?: string;
  /** month/date layout: YYYYMM, YYYY.MM, YYYY-MM, YYYYMMDD, YYYY-MM-DD, or date-cell. */
  format?: string;
  /** literal: the fixed value. */
  value?: string;
  /** hook: the name of a function exported by the format's hooks.ts. */
  hook?: string;
  /** An empty value means "not known" (else it is an error). */
  optional?: boolean;
  /** fixed framing: 1-based first byte and width in bytes. */
  start?: number;
  width?: number;
  /** spreadsheet: a number format for written cells (e.g. yyyy-mm). */
  numFmt?: string;
}

export interface FixedRecordSpec {
  type: string;
  role: 'header' | 'row' | 'account' | 'trailer';
  fields: FieldSpec[];
}

export interface FixedFraming {
  kind: 'fixed';
  recordLength: number;
  records: FixedRecordSpec[];
}

export interface DelimitedFraming {
  kind: 'delimited';
  delimiter: string;
  /** rfc4180: quote only fields holding the delimiter, a quote, CR or LF; none: no quoting at all. */
  quoting: 'rfc4180' | 'none';
  fields: FieldSpec[];
}

export interface XmlLevel {
  element: string;
  fields: FieldSpec[];
}

export interface XmlFraming {
  kind: 'xml';
  namespace: string;
  root: XmlLevel;
  person: XmlLevel;
  scheme: XmlLevel;
  row: XmlLevel;
  account?: XmlLevel;
}

export interface SheetSpec {
  sheet: string;
  fields: FieldSpec[];
}

export interface SpreadsheetFraming {
  kind: 'spreadsheet';
  persons?: SheetSpec;
  rows: SheetSpec;
  accounts?: SheetSpec;
}

export type Framing = FixedFraming | DelimitedFraming | XmlFraming | SpreadsheetFraming;

export interface Mapping {
  name: string;
  description: { zh: string; en: string };
  system?: string;
  /** Pooling regions known to use the format; `regionPattern` admits the others. */
  regions: string[];
  regionPattern?: string;
  extensions: string[];
  encoding: 'utf-8' | 'gb18030' | 'cp936';
  bom: boolean;
  lineEnd: '\r\n' | '\n';
  /** The character the source system writes for one it cannot encode (damaged names). */
  unencodable?: string;
  /** month: one row per month; run: one row per run of equal consecutive months. */
  rows: 'month' | 'run';
  /** Whether the format carries the pension individual account. */
  accounts: boolean;
  /** What a reader accepts, where the defaults (src/limits.ts) do not fit. */
  limits?: Partial<Limits>;
  /** Code lists: legacy value → canonical value. */
  codes: Record<string, Record<string, string>>;
  framing: Framing;
}

let validator: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/** Reads and validates a mapping file; throws with the schema's complaints when it is not one. */
export function loadMapping(file: string | URL): Mapping {
  const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!validator) {
    const schema = JSON.parse(readFileSync(new URL('../mapping.schema.json', import.meta.url), 'utf8'));
    validator = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  }
  if (!validator(data)) {
    throw new Error(`${String(file)} is not a valid mapping: ${JSON.stringify(validator.errors)}`);
  }
  return data as Mapping;
}

/** Every field of the format (all records, levels and sheets), for lookups by target. */
export function allFields(m: Mapping): FieldSpec[] {
  const f = m.framing;
  switch (f.kind) {
    case 'fixed': return f.records.flatMap((r) => r.fields);
    case 'delimited': return f.fields;
    case 'xml': return [f.root, f.person, f.scheme, f.row, ...(f.account ? [f.account] : [])].flatMap((l) => l.fields);
    case 'spreadsheet': return [f.persons, f.rows, f.accounts].flatMap((s) => (s ? s.fields : []));
  }
}
