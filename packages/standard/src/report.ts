/**
 * The validation report, shaped like FHIR's OperationOutcome: every issue is
 * collected, then reported once. Used by the standard's validators, the
 * adapters (legacy input), the rules and the platform alike.
 */

export type Severity = 'fatal' | 'error' | 'warning' | 'information';

/** Where an issue sits in a legacy file. Mirrors common.schema.json#/$defs/position plus file and field. */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
  byteOffset?: number;
  record?: number;
  sheet?: string;
  row?: number;
  /** XML path, e.g. /InsuranceExport/Person[3]/Scheme[1]/Period[2] */
  path?: string;
  /** The legacy field's name, e.g. AAE180 or 缴费基数. */
  field?: string;
}

export interface Issue {
  severity: Severity;
  /** Stable, kebab-case; see schemas/<version>/codelists/issue-code.json. */
  code: string;
  /** What went wrong, in words a person understands. */
  message: { zh: string; en: string };
  /** JSON Pointer into the canonical document ('' for the whole document). */
  pointer?: string;
  /** For legacy input: where in the source. */
  location?: SourceLocation;
  /** The offending value, when it helps (never a whole record). */
  value?: unknown;
}

export interface Report {
  /** True when no issue has severity error or fatal. */
  valid: boolean;
  issues: Issue[];
}

export function makeReport(issues: Issue[]): Report {
  return { valid: !issues.some((i) => i.severity === 'error' || i.severity === 'fatal'), issues };
}

/** `--strict`: warnings count as errors. */
export function strictly(issues: Issue[]): Issue[] {
  return issues.map((i) => (i.severity === 'warning' ? { ...i, severity: 'error' } : i));
}

/** One line per issue, for people: `file:line:col: severity code pointer: message`. */
export function formatIssue(issue: Issue, lang: 'zh' | 'en' = 'en'): string {
  const loc = issue.location;
  const where: string[] = [];
  if (loc?.file) where.push(loc.file);
  if (loc?.sheet) where.push(`${loc.sheet}!row ${loc.row ?? '?'}`);
  else if (loc?.line !== undefined) where.push(`${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`);
  else if (loc?.record !== undefined) where.push(`record ${loc.record}`);
  if (loc?.byteOffset !== undefined && loc.line === undefined) where.push(`byte ${loc.byteOffset}`);
  if (loc?.path) where.push(loc.path);
  const field = loc?.field ? ` [${loc.field}]` : '';
  const pointer = issue.pointer !== undefined ? ` ${issue.pointer || '/'}` : '';
  return `${where.length ? `${where.join(':')}: ` : ''}${issue.severity} ${issue.code}${pointer}${field}: ${issue.message[lang]}`;
}
