/**
 * How the demo tells what happens: each message with its date, sender, receivers
 * and the deadline the platform set for the next step; each expectation checked
 * with ✓ or ✗. The demo succeeds when every check holds. Every line is a `Text`
 * told in the reader's language; message names come from the standard's code list.
 */
import type { CaseView, Step } from '@jiexu/client';
import { caseStateLabel, codeLabel } from '@jiexu/standard';
import { say, type Lang, type Text } from '../../lang.ts';

export interface Check {
  scenario: string;
  label: string;
  ok: boolean;
  detail?: string;
}

/** A line that is only names, codes and figures: the same in both languages. */
export function same(text: string): Text {
  return { zh: text, en: text };
}

export class Story {
  readonly checks: Check[] = [];
  private scenario = '';
  constructor(
    private readonly write: (text: string) => void,
    readonly lang: Lang,
  ) {}

  heading(title: Text): void {
    this.scenario = say(title, this.lang);
    this.write(`\n━━ ${this.scenario}\n`);
  }

  say(line: Text = same('')): void {
    this.write(`${say(line, this.lang)}\n`);
  }

  /** Records an expectation; prints ✓ or ✗ with the detail. */
  check(label: Text, ok: boolean, detail?: Text): boolean {
    const l = say(label, this.lang);
    const d = detail ? say(detail, this.lang) : undefined;
    this.checks.push({ scenario: this.scenario, label: l, ok, ...(d ? { detail: d } : {}) });
    this.write(`    ${ok ? '✓' : '✗'} ${l}${d ? ` — ${d}` : ''}\n`);
    return ok;
  }

  /** The message type's name in the standard's code list (基本养老保险关系转移接续联系函 / Pension transfer contact letter). */
  label(message: string): string {
    return codeLabel('message-type', message, this.lang) ?? message;
  }

  /** "pension.contact-letter or pension.transfer-refusal, from 110000-si, by 2011-03-22 (15 working days)". */
  next(step: Step | null | undefined): string {
    const s = (text: Text): string => say(text, this.lang);
    if (!step) return s({ zh: '没有后续步骤', en: 'no further step' });
    const expects = step.expects.map((t) => t.replace(/^cn\.jiexu\.(.*)\.v\d+$/, '$1')).join(s({ zh: ' 或 ', en: ' or ' }));
    const days = step.workingDays != null ? s({ zh: `（${step.workingDays} 个工作日）`, en: ` (${step.workingDays} working days)` }) : '';
    const by = step.deadline ? `${s({ zh: '期限 ', en: 'by ' })}${step.deadline}${days}${step.deadlineEstimated ? s({ zh: ' [估算]', en: ' [estimated]' }) : ''}` : s({ zh: '无期限', en: 'no deadline' });
    const overdue = step.overdue ? s({ zh: ' — 已超期', en: ' — OVERDUE' }) : '';
    return s({ zh: `等待 ${step.awaiting.join('、')} 发送 ${expects}，${by}${overdue}`, en: `${expects} from ${step.awaiting.join(', ')}, ${by}${overdue}` });
  }

  /** A case's state: in Chinese the catalogue's label with the code (`已办结 [completed]`), in English the code. */
  state(c: Pick<CaseView, 'caseType' | 'state'> & { standardVersion?: string }): string {
    if (this.lang === 'en') return c.state;
    // a case type of a newer (draft) version is labelled by that version's catalogue
    const label = caseStateLabel(c.caseType, c.state, 'zh') ?? (c.standardVersion ? caseStateLabel(c.caseType, c.state, 'zh', c.standardVersion) : undefined);
    return label ? `${label} [${c.state}]` : c.state;
  }

  caseLine(c: CaseView): string {
    return say({
      zh: `案件 ${c.caseId}：${this.state(c)}${c.closed ? '（已结案）' : ''}；下一步：${this.next(c.currentStep)}`,
      en: `case ${c.caseId}: ${c.state}${c.closed ? ' (closed)' : ''}; next: ${this.next(c.currentStep)}`,
    }, this.lang);
  }

  get ok(): boolean {
    return this.checks.length > 0 && this.checks.every((c) => c.ok);
  }
}
