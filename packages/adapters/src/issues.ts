/**
 * Collects the issues of one decode or encode run in the shared Report shape.
 * Every problem gets its own stable code (see docs/adapters.md#issue-codes).
 */
import { makeReport, strictly, type Issue, type Report, type Severity, type SourceLocation } from '@jiexu/standard';
import type { AdapterIssueCode, LegacyIssueCode } from './issue-codes.ts';

/** A string's own copy (flat, sharing no memory with the string it came from). */
const own = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

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
    // kept for the whole run: every string an own copy, for a value sliced from the text being read (an identifier, an element name in a path) pins its whole decoded chunk
    const issue: Issue = { severity, code, message: { zh: own(zh), en: own(en) } };
    if (extra?.pointer !== undefined) issue.pointer = own(extra.pointer);
    const loc = this.file !== undefined || location ? { ...(this.file !== undefined ? { file: this.file } : {}), ...location } : undefined;
    if (loc) {
      for (const k of Object.keys(loc) as (keyof typeof loc)[]) if (typeof loc[k] === 'string') (loc as Record<string, unknown>)[k] = own(loc[k] as string);
      issue.location = loc;
    }
    if (extra?.value !== undefined) issue.value = typeof extra.value === 'string' ? own(extra.value.length > 200 ? `${extra.value.slice(0, 200)}…` : extra.value) : extra.value;
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
