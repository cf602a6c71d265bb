/**
 * The message bodies the regional offices write, built from their own records and
 * from the messages they received — the forms of 国办发〔2009〕66号 art. 8 as the
 * standard's schemas (schemas/1.0/messages) define them. Money in fen.
 */
import type { ContributionRecord } from '@jiexu/adapters';
import type { TransferPlan } from '@jiexu/rules';
import type { BankAccount, Office } from './world.ts';

export type Body = Record<string, unknown>;

export interface PersonRef {
  id: string;
  name?: string;
  gender?: 'M' | 'F';
  birthDate?: string;
  hukouRegion?: string;
}

/** The person as the office's own records know them (name only when not damaged). */
export function personOf(records: readonly ContributionRecord[], id: string): PersonRef | undefined {
  const r = records.find((x) => x.person.id === id);
  if (!r) return undefined;
  const p = r.person;
  return {
    id: p.id,
    ...(p.name && !p.damagedName ? { name: p.name } : {}),
    ...(p.gender ? { gender: p.gender } : {}),
    ...(p.birthDate ? { birthDate: p.birthDate } : {}),
    ...(p.hukouRegion ? { hukouRegion: p.hukouRegion } : {}),
  };
}

const counts = (status: string) => status === 'paid' || status === 'backpaid';

/** 12% of a sum of bases, half-up, in integer fen. */
export function twelvePercent(baseSumFen: number): number {
  return Math.floor((baseSumFen * 12 + 50) / 100);
}

export function application(input: { no: string; date: string; person: PersonRef; from: Office; to: Office; insuredSince: string }): Body {
  return {
    applicationNo: input.no,
    applicationDate: input.date,
    channel: 'counter',
    person: input.person,
    scheme: '110',
    fromRegion: input.from.region,
    toRegion: input.to.region,
    insuredAtNewPlaceSince: input.insuredSince,
  };
}

export function contactLetter(app: Body, input: { no: string; date: string; to: Office }): Body {
  return {
    letterNo: input.no,
    issuedOn: input.date,
    applicationNo: app.applicationNo,
    applicationDate: app.applicationDate,
    person: app.person,
    scheme: '110',
    fromRegion: app.fromRegion,
    toRegion: app.toRegion,
    receivingInstitutionName: input.to.agency,
    receivingAccount: input.to.account,
  };
}

export function refusal(app: Body, input: { no: string; date: string; reasons: Array<{ code: string; explanation: string }> }): Body {
  return {
    refusalNo: input.no,
    refusedOn: input.date,
    applicationNo: app.applicationNo,
    applicationDate: app.applicationDate,
    person: app.person,
    scheme: '110',
    fromRegion: app.fromRegion,
    toRegion: app.toRegion,
    reasons: input.reasons,
  };
}

export interface YearLine {
  year: number;
  paidMonths: number;
  baseSumFen: number;
  individualCreditedFen: number;
  interestFen: number;
  balanceFen: number;
  pooledFundFen: number;
}

/** Per-year detail of the pension record(s) from 1998-01 (the months the pooled fund counts). */
export function yearLines(records: readonly ContributionRecord[]): YearLine[] {
  const byYear = new Map<number, YearLine>();
  for (const r of records) {
    for (const c of r.contributions) {
      if (!counts(c.status) || c.month < '1998-01') continue;
      const year = Number(c.month.slice(0, 4));
      const line = byYear.get(year) ?? { year, paidMonths: 0, baseSumFen: 0, individualCreditedFen: 0, interestFen: 0, balanceFen: 0, pooledFundFen: 0 };
      line.paidMonths += 1;
      line.baseSumFen += c.baseFen;
      byYear.set(year, line);
    }
    for (const a of r.account ?? []) {
      const line = byYear.get(a.year);
      if (line) Object.assign(line, { individualCreditedFen: a.creditedFen, interestFen: a.interestFen, balanceFen: a.balanceFen });
    }
  }
  const lines = [...byYear.values()].sort((a, b) => a.year - b.year);
  for (const l of lines) l.pooledFundFen = twelvePercent(l.baseSumFen);
  return lines;
}

export interface CannotMove {
  category: 'arrears' | 'other';
  period?: { firstMonth: string; lastMonth: string };
  months?: number;
  amountFen?: number;
  explanation: string;
}

/** What cannot move, from the records themselves: months in arrears, and an account the export lacks. */
export function cannotMove(records: readonly ContributionRecord[], plan: TransferPlan): CannotMove[] {
  const items: CannotMove[] = [];
  const arrears = records.flatMap((r) => r.contributions.filter((c) => c.status === 'arrears')).sort((a, b) => a.month.localeCompare(b.month));
  if (arrears.length) {
    items.push({
      category: 'arrears',
      period: { firstMonth: arrears[0].month, lastMonth: arrears[arrears.length - 1].month },
      months: arrears.length,
      amountFen: arrears.reduce((s, c) => s + c.employerFen + c.individualFen, 0),
      explanation: `${arrears.map((c) => c.month).join('、')} 共 ${arrears.length} 个月欠缴，未计入缴费年限，统筹基金不予转移。`,
    });
  }
  if (plan.amounts && plan.amounts.individualAccount === null) {
    items.push({
      category: 'other',
      explanation: '本地核心平台导出不含个人账户数据，信息表中个人账户金额按 0 填报；个人账户储存额核定后另行划转。',
    });
  }
  return items;
}

export function transferInfo(
  letter: Body,
  input: { no: string; date: string; remittanceNo: string; from: Office; records: ContributionRecord[]; plan: TransferPlan; explanationFollows: boolean },
): Body {
  const months = input.records.flatMap((r) => r.contributions.map((c) => c.month)).sort();
  const years = yearLines(input.records);
  const pooledBase = years.reduce((s, y) => s + y.baseSumFen, 0);
  const amounts = input.plan.amounts!;
  const individual = amounts.individualAccount ?? 0;
  const total = individual + amounts.pooledFund;
  return {
    formNo: input.no,
    issuedOn: input.date,
    letterNo: letter.letterNo,
    person: letter.person,
    scheme: '110',
    fromRegion: letter.fromRegion,
    toRegion: letter.toRegion,
    insuredPeriod: { firstMonth: months[0], lastMonth: months[months.length - 1] },
    paidMonths: amounts.paidMonths,
    deemedMonths: 0,
    individualAccountFen: individual,
    individualAccountBefore1998Fen: 0,
    pooledFundBaseSumFen: pooledBase,
    pooledFundRatePercent: 12,
    pooledFundFen: amounts.pooledFund,
    totalTransferFen: total,
    years,
    funds: {
      remittedOn: input.date,
      remittanceNo: input.remittanceNo,
      payingAccount: input.from.account,
      receivingAccount: letter.receivingAccount as BankAccount,
      amountFen: total,
    },
    explanationFollows: input.explanationFollows,
    records: input.records.map(stripPositions),
  };
}

/** A record as it travels: without the positions in the sender's legacy file. */
export function stripPositions(r: ContributionRecord): ContributionRecord {
  const { at: _p, ...provenance } = r.provenance;
  return {
    ...r,
    contributions: r.contributions.map(({ at: _a, ...c }) => c),
    ...(r.account ? { account: r.account.map(({ at: _a, ...a }) => a) } : {}),
    provenance,
  };
}

export function fundsExplanation(letter: Body, input: { no: string; date: string; items: CannotMove[] }): Body {
  return {
    explanationNo: input.no,
    issuedOn: input.date,
    letterNo: letter.letterNo,
    person: letter.person,
    scheme: '110',
    fromRegion: letter.fromRegion,
    toRegion: letter.toRegion,
    items: input.items,
  };
}

export function transferCompleted(info: Body, input: { date: string }): Body {
  const funds = info.funds as { amountFen: number };
  return {
    completedOn: input.date,
    formNo: info.formNo,
    person: info.person,
    scheme: '110',
    fromRegion: info.fromRegion,
    toRegion: info.toRegion,
    fundsReceivedOn: input.date,
    receivedFen: funds.amountFen,
    recognisedMonths: info.paidMonths,
    individualAccountRecordedFen: info.individualAccountFen,
    personNotifiedOn: input.date,
  };
}
