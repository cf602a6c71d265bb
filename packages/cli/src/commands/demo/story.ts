/**
 * How the demo tells what happens: each message with its date, sender, receivers
 * and the deadline the platform set for the next step; each expectation checked
 * with ✓ or ✗. The demo succeeds when every check holds.
 */
import { readFileSync } from 'node:fs';
import type { CaseView, Step } from '@jiexu/client';

export interface Check {
  scenario: string;
  label: string;
  ok: boolean;
  detail?: string;
}

export class Story {
  readonly checks: Check[] = [];
  private scenario = '';
  constructor(
    private readonly write: (text: string) => void,
    private readonly labels: Map<string, string>,
  ) {}

  heading(title: string): void {
    this.scenario = title;
    this.write(`\n━━ ${title}\n`);
  }

  say(line = ''): void {
    this.write(`${line}\n`);
  }

  /** Records an expectation; prints ✓ or ✗ with the detail. */
  check(label: string, ok: boolean, detail?: string): boolean {
    this.checks.push({ scenario: this.scenario, label, ok, ...(detail ? { detail } : {}) });
    this.write(`    ${ok ? '✓' : '✗'} ${label}${detail ? ` — ${detail}` : ''}\n`);
    return ok;
  }

  label(message: string): string {
    return this.labels.get(message) ?? message;
  }

  /** "pension.contact-letter or pension.transfer-refusal, from 110000-si, by 2011-03-22 (15 working days)". */
  next(step: Step | null | undefined): string {
    if (!step) return 'no further step';
    const expects = step.expects.map((t) => t.replace(/^cn\.jiexu\.(.*)\.v\d+$/, '$1')).join(' or ');
    const by = step.deadline ? `by ${step.deadline}${step.workingDays != null ? ` (${step.workingDays} working days)` : ''}${step.deadlineEstimated ? ' [estimated]' : ''}` : 'no deadline';
    return `${expects} from ${step.awaiting.join(', ')}, ${by}${step.overdue ? ' — OVERDUE' : ''}`;
  }

  caseLine(c: CaseView): string {
    return `case ${c.caseId}: ${c.state}${c.closed ? ' (closed)' : ''}; next: ${this.next(c.currentStep)}`;
  }

  get ok(): boolean {
    return this.checks.length > 0 && this.checks.every((c) => c.ok);
  }
}

/** zh names of the message types, from the standard's code list. */
export function messageLabels(codelistPath: string): Map<string, string> {
  const list = JSON.parse(readFileSync(codelistPath, 'utf8')) as { codes: Array<{ code: string; zh: string }> };
  return new Map(list.codes.map((c) => [c.code, c.zh]));
}
