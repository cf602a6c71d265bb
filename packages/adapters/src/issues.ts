/**
 * Collects the issues of one decode or encode run in the shared Report shape.
 * Every problem gets its own stable code (see docs/adapters.md#issue-codes).
 */
import { makeReport, strictly, type Issue, type Report, type Severity, type SourceLocation } from '@jiexu/standard';
import type { AdapterIssueCode, LegacyIssueCode } from './issue-codes.ts';
import { ownCopy } from './own-copy.ts';


/** Past this many issues only a count is kept (hostile input must not exhaust memory). */
const MAX_ISSUES = 10_000;

export class Issues {
  readonly list: Issue[] = [];
  private suppressed = 0;
  /** Set by a fatal issue: the run stops reading. */
  fatal = false;

  /** The file (or the part of a folder being read) that issues name. */
  constructor(public file?: string) {}

  add(severity: Severity, code: AdapterIssueCode, en: string, zh: string, location?: SourceLocation, extra?: { pointer?: string; value?: unknown }): void {
    if (severity === 'fatal') this.fatal = true;
    if (this.list.length >= MAX_ISSUES && severity !== 'fatal') {
      this.suppressed++;
      return;
    }
    // kept until the report: every string its own copy (an identifier, an element name in a path, a value: each would pin its decoded chunk; one issue a chunk held every chunk of a long file)
    const issue: Issue = { severity, code, message: { zh: ownCopy(zh), en: ownCopy(en) } };
    if (extra?.pointer !== undefined) issue.pointer = ownCopy(extra.pointer);
    const loc = this.file !== undefined || location ? { ...(this.file !== undefined ? { file: this.file } : {}), ...location } : undefined;
    if (loc) {
      for (const k of Object.keys(loc) as (keyof typeof loc)[]) if (typeof loc[k] === 'string') (loc as Record<string, unknown>)[k] = ownCopy(loc[k] as string);
      issue.location = loc;
    }
    if (extra?.value !== undefined) issue.value = typeof extra.value === 'string' ? ownCopy(extra.value.length > 200 ? `${extra.value.slice(0, 200)}…` : extra.value) : extra.value;
    this.list.push(issue);
  }

  error(code: AdapterIssueCode, en: string, zh: string, location?: SourceLocation, extra?: { pointer?: string; value?: unknown }): void {
    this.add('error', code, en, zh, location, extra);
  }

  warning(code: AdapterIssueCode, en: string, zh: string, location?: SourceLocation, extra?: { pointer?: string; value?: unknown }): void {
    this.add('warning', code, en, zh, location, extra);
  }

  get hasErrors(): boolean {
    return this.list.some((i) => i.severity === 'error' || i.severity === 'fatal');
  }

  report(strict = false): Report {
    const issues = [...this.list];
    if (this.suppressed > 0) {
      issues.push({
        severity: 'information',
        code: 'issues-truncated' satisfies LegacyIssueCode,
        message: { zh: `另有 ${this.suppressed} 个问题未列出`, en: `${this.suppressed} further issues not listed` },
      });
    }
    return makeReport(strict ? strictly(issues) : issues);
  }
}

/** A value's problem, before it is given a position. */
export interface Problem {
  code: AdapterIssueCode;
  en: string;
  zh: string;
}

export const problem = (code: AdapterIssueCode, en: string, zh: string): Problem => ({ code, en, zh });
