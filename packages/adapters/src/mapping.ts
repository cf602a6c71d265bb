/**
 * A legacy format declared as data: the shape of `formats/<name>/mapping.json`,
 * validated against packages/adapters/mapping.schema.json when loaded.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { framingKinds, framingOf } from './framing/index.ts';
import type { Limits } from './limits.ts';

/** The canonical slot a legacy field fills. */
export type Target =
  | 'person.id' | 'person.name' | 'person.gender' | 'person.birthDate' | 'person.hukouRegion'
  | 'region' | 'scheme' | 'month' | 'monthFrom' | 'monthTo'
  | 'baseFen' | 'employerFen' | 'individualFen' | 'status' | 'employerId' | 'employer' | 'employerName'
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

/** A framing's options as the mapping gives them: `kind` and whatever that framing's optionsSchema admits. */
export interface OtherFraming {
  kind: string;
  [option: string]: unknown;
}

export type FramingOptions = FixedFraming | DelimitedFraming | XmlFraming | SpreadsheetFraming | OtherFraming;

/** Writer options: `recordsPerPart` for every framing, plus what the framing's writerSchema admits (e.g. `pageSize`). */
export interface WriterOptions {
  /** Write a folder of parts, each holding at most this many records (a person's records stay in one part). */
  recordsPerPart?: number;
  [option: string]: unknown;
}

/** An issue code a format reports of its own: `x-<format>-…`, with its labels. */
export interface FormatIssueCode {
  code: string;
  zh: string;
  en: string;
}

export interface Mapping {
  name: string;
  description: { zh: string; en: string };
  system?: string;
  /** Pooling regions known to use the format; `regionPattern` admits the others. */
  regions: string[];
  regionPattern?: string;
  extensions: string[];
  encoding: 'utf-8' | 'gb18030' | 'cp936';
  /** Text framings only (false for binary ones when left out). */
  bom: boolean;
  /** Text framings only ("\n" for binary ones when left out, unused). */
  lineEnd: '\r\n' | '\n';
  /** The character the source system writes for one it cannot encode (damaged names). */
  unencodable?: string;
  /**
   * A private-character table (造字): byte sequences of the encoding's
   * user-defined areas, in hex ("FE50"), → the character they stand for.
   * Applied by readers and writers of the framings that decode text themselves (dbf, json).
   */
  characters?: Record<string, string>;
  /** month: one row per month; run: one row per run of equal consecutive months. */
  rows: 'month' | 'run';
  /** Whether the format carries the pension individual account. */
  accounts: boolean;
  /** What a reader accepts, where the defaults (src/limits.ts) do not fit. */
  limits?: Partial<Limits>;
  /** Code lists: legacy value → canonical value. */
  codes: Record<string, Record<string, string>>;
  /** The format's own issue codes. */
  issueCodes?: FormatIssueCode[];
  /** Defaults of the writer options (the CLI's --writer-option overrides them). */
  writer?: WriterOptions;
  framing: FramingOptions;
}

/** A mapping that is not one: every problem as one line naming the file, the JSON pointer, what is wrong and what was expected. */
export class MappingError extends Error {
  override name = 'MappingError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const MAPPING_SCHEMA_ID = 'https://jiexu.org/adapters/mapping.schema.json';
let ajv: Ajv2020 | undefined;
let validator: ValidateFunction | undefined;
const framingValidators = new WeakMap<object, ValidateFunction>();

function ajvInstance(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    ajv.addSchema(JSON.parse(readFileSync(new URL('../mapping.schema.json', import.meta.url), 'utf8')) as object);
  }
  return ajv;
}

/** What a reader of the file sees: a path relative to the working folder when shorter. */
function shown(file: string | URL): string {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && rel.length < path.length ? rel : path;
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v} (${JSON.stringify(v)})`);
const quoted = (vs: unknown[]): string => vs.map((v) => JSON.stringify(v)).join(', ');

/** One ajv error as a person reads it: "pointer: what is wrong; expected what" (undefined: a branch marker, not a finding). */
function describe(e: ErrorObject, base: string): string | undefined {
  const at = base + e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
    case '$ref':
      return undefined;
    case 'required':
      return `${at}/${String(p.missingProperty)}: is missing; expected this property here`;
    case 'additionalProperties': {
      const props = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}));
      return `${at}/${String(p.additionalProperty)}: is not a known property here; expected one of ${props.join(', ')}`;
    }
    case 'unevaluatedProperties':
      return `${at}/${String(p.unevaluatedProperty)}: is not a known property here`;
    case 'type':
      return `${at || '/'}: is ${typeName(e.data)}; expected ${Array.isArray(p.type) ? (p.type as string[]).join(' or ') : String(p.type)}`;
    case 'enum':
      return `${at}: is ${JSON.stringify(e.data)}; expected one of ${quoted(p.allowedValues as unknown[])}`;
    case 'const':
      return `${at}: is ${JSON.stringify(e.data)}; expected ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return `${at}: is ${JSON.stringify(e.data)}; expected text matching ${String(p.pattern)}`;
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return `${at}: is ${JSON.stringify(e.data)}; expected a number ${String(p.comparison)} ${String(p.limit)}`;
    case 'minLength':
    case 'maxLength':
      return `${at}: is ${JSON.stringify(e.data)}; expected ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} characters`;
    case 'minItems':
    case 'maxItems':
      return `${at}: has ${(e.data as unknown[]).length} items; expected ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)}`;
    case 'minProperties':
      return `${at}: is empty; expected at least ${String(p.limit)} entries`;
    default:
      return `${at}: ${e.message ?? 'is not valid'}`;
  }
}

function problemsOf(errors: ErrorObject[] | null | undefined, file: string, base: string): string[] {
  const lines = (errors ?? []).map((e) => describe(e, base)).filter((l): l is string => l !== undefined).map((l) => `${file}: ${l}`);
  return [...new Set(lines)];
}

/**
 * Reads and validates a mapping file: the common part against
 * mapping.schema.json, then `framing` against the named framing's own options
 * schema, `writer` against the writer options. Throws a MappingError (one line
 * per problem) when it is not a mapping.
 *
 * `schemaChecked`: the file is one of this package's own (formats/), checked
 * against the schemas by the tests (mapping.test.ts) before it ships, so the
 * schema checks are left out; the rest (framing known, defaults, code lists)
 * still runs. Compiling the schemas with ajv is most of the CLI's start-up
 * (≈ 250 ms of CPU), paid by every command before it reads a byte.
 */
export function loadMapping(file: string | URL, { schemaChecked = false }: { schemaChecked?: boolean } = {}): Mapping {
  const name = shown(file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new MappingError([`${name}: not readable as JSON: ${(err as Error).message}`]);
  }
  if (!schemaChecked) {
    validator ??= ajvInstance().getSchema(MAPPING_SCHEMA_ID)!;
    if (!validator(data)) throw new MappingError(problemsOf(validator.errors, name, ''));
  }
  const m = data as Mapping;
  const framing = framingOf(m.framing.kind);
  if (!framing) {
    throw new MappingError([`${name}: /framing/kind: is ${JSON.stringify(m.framing.kind)}; expected one of ${quoted(framingKinds())} (or a framing.js beside the mapping that declares it)`]);
  }
  const problems: string[] = [];
  if (!schemaChecked) {
    let check = framingValidators.get(framing);
    if (!check) {
      check = ajvInstance().compile(framing.optionsSchema);
      framingValidators.set(framing, check);
    }
    if (!check(m.framing)) problems.push(...problemsOf(check.errors, name, '/framing'));
  }
  if (framing.text) {
    for (const p of ['bom', 'lineEnd'] as const) {
      if (m[p] === undefined) problems.push(`${name}: /${p}: is missing; expected it for a text framing (${framing.kind})`);
    }
  } else {
    m.bom ??= false;
    m.lineEnd ??= '\n';
  }
  if (m.characters !== undefined && !framing.characterTables) {
    problems.push(`${name}: /characters: the ${framing.kind} framing does not apply a private-character table; expected it only with a framing that does (dbf, json)`);
  }
  if (m.writer !== undefined && !schemaChecked) problems.push(...checkWriterOptions(m.writer, framing.kind, name, '/writer'));
  for (const [i, c] of (m.issueCodes ?? []).entries()) {
    if (!c.code.startsWith(`x-${m.name}-`)) problems.push(`${name}: /issueCodes/${i}/code: is ${JSON.stringify(c.code)}; expected a code beginning "x-${m.name}-" (a format's own codes carry its name)`);
  }
  for (const [i, f] of allFields(m).entries()) {
    if (f.type === 'code' && f.codes !== undefined && !(f.codes in m.codes)) problems.push(`${name}: field ${i + 1} (${f.name}) /codes: is ${JSON.stringify(f.codes)}; expected one of the code lists ${quoted(Object.keys(m.codes))}`);
  }
  if (problems.length) throw new MappingError(problems);
  return m;
}

const writerValidators = new Map<string, ValidateFunction>();

/** Checks writer options (the mapping's `writer`, or overrides from the command line) against what the framing admits. */
export function checkWriterOptions(options: unknown, kind: string, file: string, base: string): string[] {
  const framing = framingOf(kind);
  let check = writerValidators.get(kind);
  if (!check) {
    const own = (framing?.writerSchema?.properties ?? {}) as Record<string, unknown>;
    check = ajvInstance().compile({
      type: 'object',
      properties: { recordsPerPart: { type: 'integer', minimum: 1 }, ...own },
      additionalProperties: false,
    });
    writerValidators.set(kind, check);
  }
  return check(options) ? [] : problemsOf(check.errors, file, base);
}

/** Every field of the format (all records, levels and sheets), for lookups by target. */
export function allFields(m: Mapping): FieldSpec[] {
  const framing = framingOf(m.framing.kind);
  return framing ? framing.fields(m.framing as never) : [];
}
