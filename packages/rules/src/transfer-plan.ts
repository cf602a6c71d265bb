/**
 * transferPlan: the messages a pension (110) transfer needs, in order, who sends
 * each, the latest day each step may finish on the official calendar (each step
 * given its full time after the previous one's latest day), and the funds that
 * move — or, on the temporary-account path, why none do.
 *
 * Message names and deadlines follow the standard's case-type catalogue
 * (schemas/1.0/catalogue/case-types.json: pension-transfer and
 * pension-temporary-account); a test keeps them in step.
 */
import type { Issue } from '@jiexu/standard';
import type { RuleIssue } from './issue-codes.ts';
import { assessPerson, resolveHukou, type AssessOptions, type RegionFigures } from './assess.ts';
import { officialCalendar, type WorkingCalendar } from './calendar.ts';
import { mergeRecords } from './merge.ts';
import { factsFromCitizenId, provinceOf } from './person.ts';
import type { ContributionRecord } from './record.ts';
import { temporaryAccount, type TemporaryAccountDecision } from './rules/temporary-account.ts';
import { unemploymentTransfer, type UnemploymentTransfer } from './rules/unemployment.ts';
import { notInForce, RULES, type RuleId, type RuleSource } from './sources.ts';

export type Role = 'old' | 'new';

export interface PlanStep {
  /** The standard's message type (codelists/message-type.json). */
  message: string;
  caseType: 'pension-transfer' | 'pension-temporary-account';
  sender: Role;
  senderRegion: string;
  receiverRegion: string;
  /** The step's time limit in working days (null: no statutory limit). */
  workingDays: number | null;
  /** The message the limit runs from. */
  after: string | null;
  /** The latest date the step may finish, YYYY-MM-DD (null: no limit). */
  latest: string | null;
  /** True when the latest date crosses a year the official calendar does not hold (weekends-only estimate). */
  estimated: boolean;
  /** Only needed when something cannot move. */
  conditional?: { zh: string; en: string };
  rule: RuleId;
}

export interface TransferAmounts {
  /** 12% of the bases of the months paid from 1998-01 in the old region, half-up, fen. */
  pooledFund: number;
  /** The old region's last year-end individual-account balance, fen; null when it does not export one. */
  individualAccount: number | null;
  accountYear: number | null;
  paidMonths: number;
  rules: RuleId[];
}

export interface TransferPlan {
  person: string;
  from: string;
  to: string;
  /** The application date at the new place. */
  date: string;
  path: 'transfer' | 'temporary-account' | 'undecided';
  crossProvince: boolean;
  temporaryAccount: TemporaryAccountDecision | null;
  steps: PlanStep[];
  amounts: TransferAmounts | null;
  /** Why no amounts move, when none do. */
  noAmounts?: { zh: string; en: string };
  /** Rule 16: what a cross-province move of an unemployed person carries (fen, BigInt). */
  unemployment?: UnemploymentTransfer;
  issues: Issue[];
  rulesApplied: RuleSource[];
}

export interface TransferPlanInput {
  records: readonly ContributionRecord[];
  person: string;
  from: string;
  to: string;
  /** The day the person applies at the new place, YYYY-MM-DD. */
  date: string;
  hukou?: string;
  calendar?: WorkingCalendar;
  /** An unemployed person moving: benefit per month and months still due (rule 16). */
  unemployment?: { monthlyBenefitFen: number; remainingMonths: number };
}

/** The working-day limits of 国办发〔2009〕66号 art. 8 and 人社厅发〔2019〕94号. */
export const PENSION_TRANSFER_STEPS = [
  { message: 'pension.transfer-application', sender: 'new', workingDays: null, after: null, rule: 'pension-procedure' },
  { message: 'pension.contact-letter', sender: 'new', workingDays: 15, after: 'pension.transfer-application', rule: 'pension-procedure' },
  { message: 'pension.funds-explanation', sender: 'old', workingDays: 10, after: 'pension.contact-letter', rule: 'pension-written-explanation' },
  { message: 'pension.transfer-info', sender: 'old', workingDays: 15, after: 'pension.contact-letter', rule: 'pension-procedure' },
  { message: 'pension.transfer-completed', sender: 'new', workingDays: 15, after: 'pension.transfer-info', rule: 'pension-procedure' },
] as const satisfies ReadonlyArray<{ message: string; sender: Role; workingDays: number | null; after: string | null; rule: RuleId }>;

export class TransferPlanError extends Error {
  constructor(
    message: string,
    readonly issues: Issue[],
    /** The same in Chinese, for programs that speak Chinese (the CLI); `message` is English. */
    readonly zh?: string,
  ) {
    super(message);
    this.name = 'TransferPlanError';
  }
}

export function transferPlan(input: TransferPlanInput): TransferPlan {
  const calendar = input.calendar ?? officialCalendar();
  const mine = input.records.filter((r) => r.person.id === input.person);
  if (mine.length === 0) throw new TransferPlanError(`no records of person ${input.person}`, [], `没有参保人 ${input.person} 的记录`);
  const merged = mergeRecords(mine);
  const errors = merged.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length) throw new TransferPlanError(`the inputs disagree about person ${input.person}`, errors, `各输入关于参保人 ${input.person} 的记录相互矛盾`);
  const issues: RuleIssue[] = [...merged.issues];
  const opts: AssessOptions = { asOf: input.date, ...(input.hukou ? { hukou: input.hukou } : {}) };
  const hukou = resolveHukou(merged.records, input.person, opts, issues);
  const assessment = assessPerson(merged.records, opts);
  const pension = assessment.schemes['110'];
  const fromFigures: RegionFigures | undefined = pension?.byProvince.flatMap((p) => p.regions).find((r) => r.region === input.from);
  if (!fromFigures) throw new TransferPlanError(`person ${input.person} has no pension (110) contributions in region ${input.from}`, [], `参保人 ${input.person} 在地区 ${input.from} 没有企业职工基本养老保险（110）缴费`);
  if (input.from === input.to) throw new TransferPlanError('--from and --to are the same region', [], '--from 与 --to 是同一地区');
  if (!merged.records.some((r) => r.scheme === '110' && r.region === input.to)) {
    issues.push({ severity: 'warning', code: 'not-yet-insured-at-new-place', message: { zh: `在 ${input.to} 尚无缴费记录：须先在新参保地参保缴费再申请（66号第八条）`, en: `no contributions in ${input.to} yet: the person must join and pay at the new place before applying (66号 art. 8)` } });
  }
  const facts = factsFromCitizenId(input.person);
  const birthDate = assessment.birthDate ?? facts?.birthDate;
  const gender = assessment.gender ?? facts?.gender;
  const crossProvince = provinceOf(input.from) !== provinceOf(input.to);
  if (!crossProvince) {
    issues.push({ severity: 'information', code: 'within-province', message: { zh: '省内跨统筹地区转移按本省规定办理；以下按66号办法的程序和金额列出', en: 'a move within one province follows provincial rules; the 66号 procedure and amounts are shown' } });
  }
  const temp = birthDate && gender ? temporaryAccount({ birthDate, gender, hukouRegion: hukou.code, fromRegion: input.from, toRegion: input.to, moveDate: input.date }) : null;
  const rules = new Set<RuleId>();
  if (temp) rules.add(temp.rule);
  const unemployment = input.unemployment ? unemploymentTransfer({ ...input.unemployment, fromRegion: input.from, toRegion: input.to }) : undefined;
  if (unemployment) rules.add('unemployment-cross-province');
  const base = { person: input.person, from: input.from, to: input.to, date: input.date, crossProvince, temporaryAccount: temp, ...(unemployment ? { unemployment } : {}), issues };

  if (temp?.applies === true) {
    issues.push(...notInForce(rules, input.date));
    const step: PlanStep = { message: 'pension.temporary-account-notice', caseType: 'pension-temporary-account', sender: 'new', senderRegion: input.to, receiverRegion: input.from, workingDays: null, after: null, latest: null, estimated: false, rule: 'pension-temporary-account' };
    return {
      ...base,
      path: 'temporary-account',
      steps: [step],
      amounts: null,
      noAmounts: { zh: `${temp.reason.zh}；临时账户在再次跨省流动或达到待遇领取条件时归集`, en: `${temp.reason.en}; the temporary account moves at the next cross-province move or at benefit time` },
      rulesApplied: [...rules].map((id) => RULES[id]),
    };
  }

  const steps: PlanStep[] = [];
  const latestOf = new Map<string, string>();
  let somethingCannotMove: { zh: string; en: string } | undefined;
  const pre1998 = pension!.byProvince.find((p) => p.province === provinceOf(input.from))?.monthsBefore1998 ?? 0;
  if (fromFigures.arrearsMonths > 0 || pre1998 > 0 || fromFigures.individualAccount === null) {
    const parts: Array<{ zh: string; en: string }> = [];
    if (fromFigures.arrearsMonths > 0) parts.push({ zh: `${fromFigures.arrearsMonths} 个欠缴月`, en: `${fromFigures.arrearsMonths} month(s) in arrears` });
    if (pre1998 > 0) parts.push({ zh: `1998年以前 ${pre1998} 个月的统筹部分`, en: `the pooled part of ${pre1998} month(s) before 1998` });
    if (fromFigures.individualAccount === null) parts.push({ zh: '个人账户金额（本导出无账户数据）', en: 'the individual-account amount (not in this export)' });
    somethingCannotMove = { zh: `需书面说明：${parts.map((p) => p.zh).join('；')}`, en: `to be explained in writing: ${parts.map((p) => p.en).join('; ')}` };
  }
  for (const s of PENSION_TRANSFER_STEPS) {
    if (s.message === 'pension.funds-explanation' && !somethingCannotMove) continue;
    let latest: string = input.date;
    let estimated = false;
    if (s.after !== null && s.workingDays !== null) {
      const r = calendar.addWorkingDays(latestOf.get(s.after)!, s.workingDays);
      latest = r.date;
      estimated = r.estimated;
    }
    latestOf.set(s.message, latest);
    rules.add(s.rule);
    steps.push({
      message: s.message,
      caseType: 'pension-transfer',
      sender: s.sender,
      senderRegion: s.sender === 'new' ? input.to : input.from,
      receiverRegion: s.sender === 'new' ? input.from : input.to,
      workingDays: s.workingDays,
      after: s.after,
      latest,
      estimated,
      ...(s.message === 'pension.funds-explanation' ? { conditional: somethingCannotMove } : {}),
      rule: s.rule,
    });
  }
  for (const s of steps) {
    if (s.estimated) issues.push({ severity: 'warning', code: 'deadline-estimated', message: { zh: `${s.message} 的期限 ${s.latest} 落在官方日历未公布的年份，按仅扣除周末估算`, en: `the deadline of ${s.message}, ${s.latest}, falls in a year the official calendar does not hold yet: weekends-only estimate` } });
  }
  const amountRules: RuleId[] = ['pension-pooled-fund', 'pension-individual-account'];
  if (pre1998 > 0) amountRules.push('pension-pre-1998-pooled');
  for (const r of amountRules) rules.add(r);
  issues.push(...notInForce(rules, input.date));
  return {
    ...base,
    path: temp?.applies === null ? 'undecided' : 'transfer',
    steps,
    amounts: { pooledFund: fromFigures.pooledFund, individualAccount: fromFigures.individualAccount, accountYear: fromFigures.accountYear, paidMonths: fromFigures.paidMonths, rules: amountRules },
    ...(temp?.applies === null ? { noAmounts: temp.reason } : {}),
    rulesApplied: [...rules].map((id) => RULES[id]),
  };
}
