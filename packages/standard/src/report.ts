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

/** The severities in words, Chinese and English. */
export const SEVERITY_LABELS: Record<Severity, { zh: string; en: string }> = {
  fatal: { zh: '致命', en: 'fatal' },
  error: { zh: '错误', en: 'error' },
  warning: { zh: '警告', en: 'warning' },
  information: { zh: '提示', en: 'information' },
};

/**
 * One line per issue, for people: `file:line:col: severity code pointer: message`
 * (in Chinese `文件:行:列：错误 code pointer：message`; the code and pointer are identifiers and stay as they are).
 */
export function formatIssue(issue: Issue, lang: 'zh' | 'en' = 'en'): string {
  const zh = lang === 'zh';
  const loc = issue.location;
  const where: string[] = [];
  if (loc?.file) where.push(loc.file);
  if (loc?.sheet) where.push(zh ? `${loc.sheet}!第 ${loc.row ?? '?'} 行` : `${loc.sheet}!row ${loc.row ?? '?'}`);
  else if (loc?.line !== undefined) where.push(`${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`);
  else if (loc?.record !== undefined) where.push(zh ? `第 ${loc.record} 条记录` : `record ${loc.record}`);
  if (loc?.byteOffset !== undefined && loc.line === undefined) where.push(zh ? `字节 ${loc.byteOffset}` : `byte ${loc.byteOffset}`);
  if (loc?.path) where.push(loc.path);
  const field = loc?.field ? ` [${loc.field}]` : '';
  const pointer = issue.pointer !== undefined ? ` ${issue.pointer || '/'}` : '';
  const colon = zh ? '：' : ': ';
  return `${where.length ? `${where.join(':')}${colon}` : ''}${SEVERITY_LABELS[issue.severity][lang]} ${issue.code}${pointer}${field}${colon}${issue.message[lang]}`;
}
