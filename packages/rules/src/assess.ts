/**
 * assessPerson: where one person's rights stand, from their canonical records
 * (any number of regions, schemes and inputs). Every figure names the rule that
 * produced it and the data it lacked.
 */
import type { Issue } from '@jiexu/standard';
import type { RuleIssue } from './issue-codes.ts';
import { mergeRecords } from './merge.ts';
import { monthIndex, monthString, POOLED_FUND_FROM, type MonthIndex, type Run } from './month.ts';
import { factsFromCitizenId, provinceOf } from './person.ts';
import { counts, type Contribution, type ContributionRecord } from './record.ts';
import { benefitPlace, type BenefitRule } from './rules/benefit-place.ts';
import { findDuplicates, type Duplicate, type RegionMonths } from './rules/duplicates.ts';
import { continuityGaps, type Gap } from './rules/medical.ts';
import { fenNumber, lastBalance, twelvePercentHalfUp } from './rules/pension-transfer.ts';
import { minimumCheck, type MinimumAnswer } from './rules/retirement.ts';
import { MEDICAL_INSUTYPES } from './rules/medical.ts';
import { benefitPeriodMonths, unemploymentRatesCheck, type BenefitMonths } from './rules/unemployment.ts';
import { accountDivisor, accountPensionFen } from './rules/account-pension.ts';
import { sealAndGather } from './rules/seal-and-gather.ts';
import { aggregate, daysToMonths, pensionFormula, proRata } from './rules/eu.ts';
import { employeeResidentConversion, type ConversionDecision } from './rules/conversion.ts';
import { notInForce, RULES, type RuleId, type RuleSource } from './sources.ts';

export interface AssessOptions {
  /** 户籍 county code (6 digits); else the records' hukouRegion; else the ID's address code (warned). */
  hukou?: string;
  /** The day the assessment is made for, YYYY-MM-DD (default today). It does not change the period and fund figures. */
  asOf?: string;
  /** Women's original retirement age category (rule 12b); without it both answers are given. */
  femaleCategory?: 'female-50' | 'female-55';
  /** Months deemed paid (视同缴费年限) by province, counted toward the 10 years of rule 10 and the minimum of rule 11. */
  deemedMonths?: Record<string, number>;
  /** EU-style comparison (rules 18–19): theoretical monthly amounts by province, fen, as if every period had been completed there. */
  theoreticalFen?: Record<string, number>;
  /** EU-style comparison: the national (today's) monthly amount by province, fen; the person gets the higher. */
  nationalFen?: Record<string, number>;
  /** 国发〔2005〕38号 inputs by province: average monthly wage of the year before retirement and by year, fen. */
  averageWages?: Record<string, { previousYearFen: number; byYearFen: Record<number, number> }>;
  /** Crediting rates (记账利率) of sealed accounts by year, decimal strings ("0.0612"), for seal-and-gather (rule 13). */
  creditingRates?: Record<string, string>;
  /** Periods given in days (987/2009 art. 13) by province, converted to months and added to the EU totals. */
  dayPeriods?: Record<string, { days: number; week: 5 | 6 | 7 }>;
}

export interface RegionFigures {
  region: string;
  paidMonths: number;
  arrearsMonths: number;
  firstPaidMonth: string | null;
  lastPaidMonth: string | null;
  pooledFund: number;
  /** Months refunded as duplicates here (another region keeps them): left out of this region's pooled fund (rule 12). */
  refundedMonths: number;
  individualAccount: number | null;
  accountYear: number | null;
}

export interface ProvinceFigures {
  province: string;
  paidMonths: number;
  pooledFund: number;
  individualAccount: number | null;
  lastPaidMonth: string | null;
  /** Paid months before 1998-01: no pooled fund moves for them (UNCONFIRMED). */
  monthsBefore1998: number;
  regions: RegionFigures[];
}

export interface PensionAssessment {
  paidMonths: number;
  overlapMonths: number;
  byProvince: ProvinceFigures[];
  benefitProvince: string | null;
  benefitRule: BenefitRule;
  runs: Run[];
  duplicates: Duplicate[];
  minimum: MinimumAnswer[];
  /** The EU-style alternative beside today's rules: shares always, amounts where the inputs allow. */
  eu: EuComparison;
  /** Individual-account pension per retirement answer: balance ÷ 计发月数 of the retirement age (rules 12a, 12c). */
  accountPension: AccountPensionAnswer[];
  /** Seal and gather at the retirement date (rule 13), when crediting rates are given. */
  gathering: GatheringAnswer[];
  /** Employee → resident conversion when the employee years fall short (rule 14); with resident records see scheme 170. */
  conversion?: ConversionAnswer;
  rules: RuleId[];
  lacking: Lacking[];
}

/** Data a result lacked: a stable name and what follows from its absence. */
export interface Lacking {
  data: string;
  message: { zh: string; en: string };
}

export interface AccountPensionAnswer {
  category: 'male' | 'female-50' | 'female-55';
  retirementAge: { years: number; months: number };
  /** The divisor as shown ("139", or "136.67" interpolated); null outside the table (ages 40–70). */
  divisor: string | null;
  interpolated: boolean;
  /** The account balance used: the sum of every province's last exported balance, fen. */
  balanceFen: number | null;
  accountPensionFen: number | null;
}

export interface GatheringAnswer {
  category: 'male' | 'female-50' | 'female-55';
  benefitDate: string;
  places: Array<{ province: string; accountFen: number; balanceYear: number; interestFen: number; pooledFundFen: number; gatheredFen: number; missingRateYears: number[] }>;
  totalFen: number;
  method: { zh: string; en: string };
}

/** Rule 14 with its precondition: the conversion happens at retirement age only. */
export interface ConversionAnswer extends ConversionDecision {
  /** True when every retirement answer's date is on or before the as-of date; false when none; null when they differ or are unknown. */
  retirementAgeReached: boolean | null;
  retirementDates: string[];
}

export interface EuComparison {
  totalMonths: number;
  /** Days given per province that the art. 13 conversion left over (not counted). */
  remainderDays?: Record<string, number>;
  byProvince: Array<{
    province: string;
    ownMonths: number;
    /** Deemed months (and months converted from days) counted for the province. */
    creditedMonths: number;
    share: { numerator: number; denominator: number };
    theoreticalFen: number | null;
    theoreticalFrom: 'input' | 'formula' | null;
    proRataFen: number | null;
    payableFen: number | null;
  }>;
}

export interface UnemploymentAssessment {
  paidMonths: number;
  overlapMonths: number;
  benefitMonths: BenefitMonths;
  /** The recorded contributions against the 1999 rates (rule 15): fen. */
  rates1999: { atRatesMonths: number; otherMonths: number; employerAt1999Fen: number; employeeAt1999Fen: number; employerRecordedFen: number; employeeRecordedFen: number };
  rules: RuleId[];
}

export interface OtherSchemeAssessment {
  paidMonths: number;
  overlapMonths: number;
  /** Medical schemes (310, 390): gaps between paid months and whether continuity holds. */
  gaps?: Gap[];
  /** Resident pension (170) beside employee pension (110): the conversion at retirement age (rule 14). */
  conversion?: ConversionAnswer;
  rules: RuleId[];
}

export interface Assessment {
  person: string;
  /** False when the inputs disagreed about this person: no figures are given. */
  assessed: boolean;
  schemes: { '110'?: PensionAssessment; '210'?: UnemploymentAssessment } & Record<string, PensionAssessment | UnemploymentAssessment | OtherSchemeAssessment | undefined>;
  hukou: { code: string | null; province: string | null; source: 'option' | 'records' | 'citizen-id' | 'unknown' };
  birthDate: string | null;
  gender: 'M' | 'F' | null;
  asOf: string;
  issues: Issue[];
  rulesApplied: RuleSource[];
}

interface RegionData {
  region: string;
  province: string;
  record: ContributionRecord;
  /** Paid or back-paid month indexes, ascending, and their contributions in the same order. */
  months: MonthIndex[];
  paid: Contribution[];
  arrears: number;
  first: MonthIndex;
  last: MonthIndex;
}

function regionData(rec: ContributionRecord): RegionData {
  let months: MonthIndex[] = [];
  let paid: Contribution[] = [];
  let arrears = 0;
  let ascending = true;
  for (const c of rec.contributions) {
    if (!counts(c)) {
      arrears += 1;
      continue;
    }
    const m = monthIndex(c.month);
    if (months.length && m <= months[months.length - 1]) ascending = false;
    months.push(m);
    paid.push(c);
  }
  if (!ascending) {
    const order = months.map((_, i) => i).sort((x, y) => months[x] - months[y]);
    months = order.map((i) => months[i]);
    paid = order.map((i) => paid[i]);
  }
  const first = months.length ? months[0] : Infinity;
  const last = months.length ? months[months.length - 1] : -Infinity;
  return { region: rec.region, province: provinceOf(rec.region), record: rec, months, paid, arrears, first, last };
}

/** How many regions paid each month: distinct months, months paid in more than one region, and runs. */
interface Coverage {
  distinct: number;
  overlap: number;
  min: number;
  counts: Uint8Array;
}

function coverage(regions: readonly RegionData[]): Coverage {
  let min = Infinity;
  let max = -Infinity;
  for (const r of regions) {
    if (r.first < min) min = r.first;
    if (r.last > max) max = r.last;
  }
  if (!Number.isFinite(min)) return { distinct: 0, overlap: 0, min: 0, counts: new Uint8Array(0) };
  const counts = new Uint8Array(max - min + 1);
  for (const r of regions) for (const m of r.months) if (counts[m - min] < 255) counts[m - min] += 1;
  let distinct = 0;
  let overlap = 0;
  for (const n of counts) {
    if (n > 0) distinct += 1;
    if (n > 1) overlap += 1;
  }
  return { distinct, overlap, min, counts };
}

function runsOfCoverage(c: Coverage): Run[] {
  const runs: Run[] = [];
  let start = -1;
  for (let i = 0; i <= c.counts.length; i++) {
    const on = i < c.counts.length && c.counts[i] > 0;
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      runs.push({ from: monthString(c.min + start), to: monthString(c.min + i - 1), months: i - start });
      start = -1;
    }
  }
  return runs;
}

function paidMonthIndexes(c: Coverage): MonthIndex[] {
  const out: MonthIndex[] = [];
  for (let i = 0; i < c.counts.length; i++) if (c.counts[i] > 0) out.push(c.min + i);
  return out;
}

/** The sum of the bases of the paid months from 1998-01, exact: numbers while safe, BigInt beyond. */
function pooledBaseSum(r: RegionData, refunded?: ReadonlySet<MonthIndex>): { sum: bigint; before1998: number } {
  let big = 0n;
  let acc = 0;
  let before1998 = 0;
  for (let i = 0; i < r.months.length; i++) {
    if (refunded?.has(r.months[i])) continue;
    if (r.months[i] < POOLED_FUND_FROM) {
      before1998 += 1;
      continue;
    }
    acc += r.paid[i].baseFen;
    if (acc > 2 ** 52) {
      big += BigInt(acc);
      acc = 0;
    }
  }
  return { sum: big + BigInt(acc), before1998 };
}

const ms = (m: MonthIndex): string | null => (Number.isFinite(m) ? monthString(m) : null);

function assessPension(regions: RegionData[], hukouProvince: string | null, facts: { birthDate: string | null; gender: 'M' | 'F' | null }, opts: AssessOptions, asOf: string): PensionAssessment {
  const rules = new Set<RuleId>(['pension-pooled-fund', 'pension-individual-account', 'pension-benefit-place', 'pension-duplicates']);
  const lacking: Lacking[] = [];
  const all = coverage(regions);
  const provinces = new Map<string, RegionData[]>();
  for (const r of regions) {
    const list = provinces.get(r.province);
    if (list) list.push(r);
    else provinces.set(r.province, [r]);
  }
  // Rule 12 first: months refunded by a closed region leave its pooled fund.
  const duplicates = all.overlap > 0 ? findDuplicates(regions.map((r): RegionMonths => ({ region: r.region, months: r.months, contributions: r.paid, lastMonth: r.last }))) : [];
  const refundedByRegion = new Map<string, Set<MonthIndex>>();
  for (const d of duplicates) {
    const from = monthIndex(d.from);
    for (const region of d.regions) {
      if (region === d.keep) continue;
      const set = refundedByRegion.get(region) ?? new Set<MonthIndex>();
      for (let m = from; m < from + d.months; m++) set.add(m);
      refundedByRegion.set(region, set);
    }
  }
  const byProvince: ProvinceFigures[] = [];
  for (const [province, list] of provinces) {
    let sum = 0n;
    let before1998 = 0;
    let account: number | null = 0;
    let last = -Infinity;
    const figures: RegionFigures[] = [];
    for (const r of list) {
      const refunded = refundedByRegion.get(r.region);
      const base = pooledBaseSum(r, refunded);
      sum += base.sum;
      before1998 += base.before1998;
      const bal = lastBalance(r.record.account);
      account = account === null || bal === null ? null : account + bal.fen;
      if (r.last > last) last = r.last;
      figures.push({
        region: r.region,
        paidMonths: r.months.length,
        arrearsMonths: r.arrears,
        firstPaidMonth: ms(r.first),
        lastPaidMonth: ms(r.last),
        pooledFund: fenNumber(twelvePercentHalfUp(base.sum)),
        refundedMonths: refunded?.size ?? 0,
        individualAccount: bal?.fen ?? null,
        accountYear: bal?.year ?? null,
      });
    }
    figures.sort((a, b) => ((b.lastPaidMonth ?? '') < (a.lastPaidMonth ?? '') ? -1 : (b.lastPaidMonth ?? '') > (a.lastPaidMonth ?? '') ? 1 : a.region < b.region ? -1 : 1));
    if (before1998 > 0) rules.add('pension-pre-1998-pooled');
    byProvince.push({
      province,
      paidMonths: list.length === 1 ? list[0].months.length : coverage(list).distinct,
      pooledFund: fenNumber(twelvePercentHalfUp(sum)),
      individualAccount: account,
      lastPaidMonth: ms(last),
      monthsBefore1998: before1998,
      regions: figures,
    });
    if (account === null) lacking.push({ data: 'individual-account', message: { zh: `省 ${province} 的个人账户：并非每个统筹地区都导出账户数据`, en: `individual account of province ${province}: not every region exports it` } });
  }
  byProvince.sort((a, b) => {
    const la = a.lastPaidMonth ?? '';
    const lb = b.lastPaidMonth ?? '';
    if (la !== lb) return la > lb ? -1 : 1;
    return a.province < b.province ? -1 : a.province > b.province ? 1 : 0;
  });
  const deemed = opts.deemedMonths ?? {};
  if (!opts.deemedMonths) lacking.push({ data: 'deemed-months', message: { zh: '视同缴费年限未提供：按无计算', en: 'months deemed paid (视同缴费年限) not supplied: counted as none' } });
  const place = benefitPlace(
    byProvince.map((p) => ({ province: p.province, months: p.paidMonths + (deemed[p.province] ?? 0) })),
    hukouProvince,
  );
  if (place.province === null) lacking.push({ data: 'hukou', message: { zh: '待遇领取地应为户籍省，但户籍地未知', en: 'the benefit place falls to the hukou province, which is unknown' } });
  let minimum: MinimumAnswer[] = [];
  if (facts.birthDate && facts.gender) {
    const deemedTotal = Object.values(deemed).reduce((a, b) => a + b, 0);
    minimum = minimumCheck({ birthDate: facts.birthDate, gender: facts.gender, femaleCategory: opts.femaleCategory, paidMonths: all.distinct + deemedTotal, asOf });
    for (const a of minimum) for (const r of a.rules) rules.add(r);
    if (facts.gender === 'F' && !opts.femaleCategory) lacking.push({ data: 'retirement-category', message: { zh: '女职工原退休年龄类别（50岁工人或55岁干部）未提供：两种结果都给出', en: 'retirement category (women: worker 50 or cadre 55) not supplied: both answers given' } });
  } else {
    lacking.push({ data: 'birth-date-or-gender', message: { zh: '缺出生日期或性别：未核算退休年龄和最低缴费年限', en: 'birth date or gender missing: no retirement-age or minimum check' } });
  }
  const eu = compareEu(regions, byProvince.map((p) => [p.province, provinces.get(p.province)!] as const), opts, lacking);
  rules.add('eu-aggregation');
  if (opts.dayPeriods && Object.keys(opts.dayPeriods).length) rules.add('eu-day-conversion');
  const totalAccount = byProvince.every((p) => p.individualAccount !== null) ? byProvince.reduce((n, p) => n + (p.individualAccount ?? 0), 0) : null;
  const accountPension: AccountPensionAnswer[] = minimum.map((m) => {
    const d = accountDivisor(m.retirementAge.years, m.retirementAge.months);
    if (d) for (const id of d.rules) rules.add(id);
    return {
      category: m.category,
      retirementAge: m.retirementAge,
      divisor: d?.text ?? null,
      interpolated: d?.interpolated ?? false,
      balanceFen: totalAccount,
      accountPensionFen: d && totalAccount !== null ? fenNumber(accountPensionFen(totalAccount, d)) : null,
    };
  });
  if (accountPension.some((a) => a.accountPensionFen !== null)) rules.add('pension-formula');
  if (accountPension.some((a) => a.interpolated)) lacking.push({ data: 'account-divisor', message: { zh: '带月数的退休年龄：计发月数按相邻整岁线性插值（未经确认的参数）', en: 'retirement age with months: the divisor is interpolated linearly between whole years (an UNCONFIRMED parameter)' } });
  const gathering: GatheringAnswer[] = [];
  if (opts.creditingRates && place.province !== null) {
    for (const m of minimum) {
      const sealed = byProvince.filter((p) => p.province !== place.province);
      if (sealed.some((p) => p.individualAccount === null)) {
        lacking.push({ data: 'individual-account', message: { zh: '封存归集：并非每个封存地都有账户数据', en: 'seal and gather: not every sealed place exports its account' } });
        break;
      }
      const g = sealAndGather(
        sealed.map((p) => ({ province: p.province, accountFen: p.individualAccount!, balanceYear: Math.max(...p.regions.map((r) => r.accountYear ?? 0)), pooledFundFen: p.pooledFund })),
        m.retirementDate,
        opts.creditingRates,
      );
      for (const id of g.rules) rules.add(id);
      gathering.push({
        category: m.category,
        benefitDate: g.benefitDate,
        places: g.places.map((x) => ({ province: x.province, accountFen: x.accountFen, balanceYear: x.balanceYear, interestFen: fenNumber(x.interestFen), pooledFundFen: x.pooledFundFen, gatheredFen: fenNumber(x.gatheredFen), missingRateYears: x.missingRateYears })),
        totalFen: fenNumber(g.totalFen),
        method: g.method,
      });
      const missing = [...new Set(g.places.flatMap((x) => x.missingRateYears))];
      if (missing.length) lacking.push({ data: 'crediting-rates', message: { zh: `封存归集：缺 ${missing.join('、')} 年记账利率，该年不计息`, en: `seal and gather: no crediting rate for ${missing.join(', ')}: no interest credited for it` } });
    }
  } else if (!opts.creditingRates) {
    lacking.push({ data: 'crediting-rates', message: { zh: '记账利率未提供：未计算封存归集（规则13）', en: 'crediting rates not supplied: seal-and-gather (rule 13) not computed' } });
  }
  let conversion: ConversionAnswer | undefined;
  if (minimum.some((m) => m.shortfallMonths > 0)) {
    const d = employeeResidentConversion({
      employeeMonths: new Set(paidMonthIndexes(all)),
      residentMonths: new Map(),
      requiredMonths: Math.max(...minimum.map((a) => a.requiredMonths)),
      ...(totalAccount !== null ? { employeeAccountFen: totalAccount } : {}),
    });
    conversion = { ...d, ...retirementReached(minimum) };
    rules.add('employee-resident-conversion');
  }
  if (eu.byProvince.some((p) => p.proRataFen !== null)) rules.add('eu-pro-rata');
  if (eu.byProvince.some((p) => p.theoreticalFrom === 'formula')) rules.add('pension-formula');
  return {
    paidMonths: all.distinct,
    overlapMonths: all.overlap,
    byProvince,
    benefitProvince: place.province,
    benefitRule: place.rule,
    runs: runsOfCoverage(all),
    duplicates,
    minimum,
    eu,
    accountPension,
    gathering,
    ...(conversion ? { conversion } : {}),
    rules: [...rules],
    lacking,
  };
}

export function retirementReached(minimum: readonly MinimumAnswer[]): { retirementAgeReached: boolean | null; retirementDates: string[] } {
  const reached = new Set(minimum.map((m) => m.reached));
  return { retirementAgeReached: reached.size === 1 ? [...reached][0] : null, retirementDates: minimum.map((m) => m.retirementDate) };
}

/** `provinces` in the order of byProvince (last paid month, most recent first). */
function compareEu(regions: RegionData[], provinces: ReadonlyArray<readonly [string, RegionData[]]>, opts: AssessOptions, lacking: Lacking[]): EuComparison {
  const remainderDays: Record<string, number> = {};
  const credited = (province: string): number => {
    let n = opts.deemedMonths?.[province] ?? 0;
    const d = opts.dayPeriods?.[province];
    if (d) {
      const c = daysToMonths(d.days, d.week);
      n += c.months;
      if (c.remainderDays) remainderDays[province] = c.remainderDays;
    }
    return n;
  };
  const withRecords = new Set(provinces.map(([p]) => p));
  const creditedOnly = [...new Set([...Object.keys(opts.deemedMonths ?? {}), ...Object.keys(opts.dayPeriods ?? {})])].filter((p) => !withRecords.has(p)).sort();
  const agg = aggregate(
    [...provinces, ...creditedOnly.map((p) => [p, [] as RegionData[]] as const)].map(([province, list]) => ({
      province,
      months: list.length === 1 ? list[0].months : ([] as MonthIndex[]).concat(...list.map((r) => r.months)),
      // 灵活就业 (no employer part) is the voluntary insurance of art. 12(4)
      voluntary: ([] as boolean[]).concat(...list.map((r) => r.paid.map((c) => c.employerFen === 0 && c.individualFen > 0))),
      creditedMonths: credited(province),
      lastMonth: list.reduce((last, r) => Math.max(last, r.last), -Infinity),
    })),
  );
  const wanted = agg.shares.some((s) => opts.theoreticalFen?.[s.province] === undefined && opts.averageWages?.[s.province]);
  // One base per aggregated month, for the formula: the region whose relationship continues latest keeps it (as rule 12).
  let months: Array<{ year: number; baseFen: number }> = [];
  if (wanted) {
    const kept = new Map<MonthIndex, number>();
    for (const r of [...regions].sort((a, b) => b.last - a.last)) r.months.forEach((m, i) => kept.has(m) || kept.set(m, r.paid[i].baseFen));
    months = [...kept].map(([m, baseFen]) => ({ year: Math.floor(m / 12), baseFen }));
  }
  let amountsLacking = false;
  const byProvince = agg.shares.map((s) => {
      let theoreticalFen: number | null = opts.theoreticalFen?.[s.province] ?? null;
      let theoreticalFrom: 'input' | 'formula' | null = theoreticalFen === null ? null : 'input';
      const wages = opts.averageWages?.[s.province];
      if (theoreticalFen === null && wages) {
        const f = pensionFormula({ averageWagePreviousYearFen: wages.previousYearFen, averageWageByYearFen: wages.byYearFen, months, countedMonths: agg.totalMonths });
        if (f.basicFen !== null) {
          theoreticalFen = f.basicFen;
          theoreticalFrom = 'formula';
        } else lacking.push({ data: 'average-wages', message: { zh: `欧盟模式比较，省 ${s.province}：缺 ${f.lacking.join('、')}`, en: `EU comparison, province ${s.province}: lacking ${f.lacking.join(', ')}` } });
      }
      if (theoreticalFen === null) amountsLacking = true;
      const pr = theoreticalFen === null ? null : proRata(theoreticalFen, s.share, opts.nationalFen?.[s.province]);
      return { province: s.province, ownMonths: s.ownMonths, creditedMonths: s.creditedMonths, share: s.share, theoreticalFen, theoreticalFrom, proRataFen: pr?.proRataFen ?? null, payableFen: pr?.payableFen ?? null };
    });
  if (amountsLacking) lacking.push({ data: 'theoretical-amounts', message: { zh: '欧盟模式比较的金额：未提供理论金额（或国发〔2005〕38号公式所需的平均工资），只给份额', en: 'EU comparison amounts: theoretical amounts (or average wages for the 国发〔2005〕38号 formula) not supplied: shares only' } });
  return { totalMonths: agg.totalMonths, ...(Object.keys(remainderDays).length ? { remainderDays } : {}), byProvince };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function resolveHukou(records: readonly ContributionRecord[], personId: string, opts: AssessOptions, issues: RuleIssue[]): Assessment['hukou'] {
  if (opts.hukou) return { code: opts.hukou, province: provinceOf(opts.hukou), source: 'option' };
  const fromRecords = [...new Set(records.map((r) => r.person.hukouRegion).filter((h): h is string => !!h))];
  if (fromRecords.length > 1) {
    issues.push({ severity: 'warning', code: 'hukou-disagrees', message: { zh: `各输入的户籍地不一致：${fromRecords.join('、')}；采用 ${fromRecords[0]}`, en: `the inputs disagree on the hukou: ${fromRecords.join(', ')}; using ${fromRecords[0]}` } });
  }
  if (fromRecords.length > 0) return { code: fromRecords[0], province: provinceOf(fromRecords[0]), source: 'records' };
  const facts = factsFromCitizenId(personId);
  if (facts) {
    issues.push({
      severity: 'warning',
      code: 'hukou-from-citizen-id',
      message: {
        zh: `记录中没有户籍地：以身份号码的地址码 ${facts.addressCode} 推定（该码是发证时的地址，可能已不是户籍地）；可用 --hukou 指定`,
        en: `no hukou in the records: assumed from the ID's address code ${facts.addressCode} (the place of issue, which may no longer be the hukou); give --hukou to set it`,
      },
    });
    return { code: facts.addressCode, province: provinceOf(facts.addressCode), source: 'citizen-id' };
  }
  issues.push({ severity: 'warning', code: 'hukou-unknown', message: { zh: '户籍地未知', en: 'the hukou is unknown' } });
  return { code: null, province: null, source: 'unknown' };
}

/** Assesses one person from their records (records of other people are refused). */
export function assessPerson(records: readonly ContributionRecord[], opts: AssessOptions = {}): Assessment {
  if (records.length === 0) throw new RangeError('assessPerson needs at least one record');
  const personId = records[0].person.id;
  if (records.some((r) => r.person.id !== personId)) throw new RangeError('assessPerson: records of more than one person');
  const asOf = opts.asOf ?? today();
  const merged = mergeRecords(records);
  const issues: RuleIssue[] = [...merged.issues];
  const hukou = resolveHukou(merged.records, personId, opts, issues);
  const idFacts = factsFromCitizenId(personId);
  const birthDate = merged.records.find((r) => r.person.birthDate)?.person.birthDate ?? idFacts?.birthDate ?? null;
  const gender = merged.records.find((r) => r.person.gender)?.person.gender ?? idFacts?.gender ?? null;
  const base = { person: personId, hukou, birthDate, gender, asOf, issues };
  if (merged.issues.some((i) => i.severity === 'error' || i.severity === 'fatal')) {
    return { ...base, assessed: false, schemes: {}, rulesApplied: [] };
  }
  const byScheme = new Map<string, RegionData[]>();
  for (const rec of merged.records) {
    const list = byScheme.get(rec.scheme);
    const data = regionData(rec);
    if (list) list.push(data);
    else byScheme.set(rec.scheme, [data]);
  }
  const schemes: Assessment['schemes'] = {};
  const applied = new Set<RuleId>();
  for (const scheme of [...byScheme.keys()].sort()) {
    const regions = byScheme.get(scheme)!;
    let result: PensionAssessment | UnemploymentAssessment | OtherSchemeAssessment;
    if (scheme === '110') {
      result = assessPension(regions, hukou.province, { birthDate, gender }, opts, asOf);
    } else {
      const c = coverage(regions);
      if (scheme === '210') {
        const rc = unemploymentRatesCheck(regions.flatMap((r) => r.paid));
        result = {
          paidMonths: c.distinct,
          overlapMonths: c.overlap,
          benefitMonths: benefitPeriodMonths(c.distinct),
          rates1999: { atRatesMonths: rc.atRatesMonths, otherMonths: rc.otherMonths, employerAt1999Fen: fenNumber(rc.employerAt1999Fen), employeeAt1999Fen: fenNumber(rc.employeeAt1999Fen), employerRecordedFen: fenNumber(rc.employerRecordedFen), employeeRecordedFen: fenNumber(rc.employeeRecordedFen) },
          rules: ['unemployment-benefit-period', 'unemployment-rates-1999'],
        };
      } else if (scheme in MEDICAL_INSUTYPES) {
        result = { paidMonths: c.distinct, overlapMonths: c.overlap, ...(scheme !== '510' ? { gaps: continuityGaps(paidMonthIndexes(c)) } : {}), rules: scheme !== '510' ? ['medical-insutype', 'medical-continuity'] : ['medical-insutype'] };
      } else {
        result = { paidMonths: c.distinct, overlapMonths: c.overlap, rules: [] };
      }
    }
    for (const r of result.rules) applied.add(r);
    schemes[scheme] = result;
  }
  const employee = byScheme.get('110');
  const resident = byScheme.get('170');
  if (employee && resident) {
    const pension = schemes['110'] as PensionAssessment;
    const residentMonths = new Map<MonthIndex, Contribution>();
    for (const r of resident) r.months.forEach((m, i) => residentMonths.set(m, r.paid[i]));
    const residentBalances = resident.map((r) => lastBalance(r.record.account));
    const employeeAccount = pension.byProvince.every((p) => p.individualAccount !== null) ? pension.byProvince.reduce((n, p) => n + (p.individualAccount ?? 0), 0) : undefined;
    const conversion = employeeResidentConversion({
      employeeMonths: new Set(employee.flatMap((r) => r.months)),
      residentMonths,
      // the stricter minimum when a woman's category is unknown (both answers)
      requiredMonths: Math.max(...(pension.minimum.length ? pension.minimum.map((a) => a.requiredMonths) : [180])),
      ...(employeeAccount !== undefined ? { employeeAccountFen: employeeAccount } : {}),
      ...(residentBalances.every((b) => b !== null) ? { residentAccountFen: residentBalances.reduce((n, b) => n + b!.fen, 0) } : {}),
    });
    (schemes['170'] as OtherSchemeAssessment).conversion = { ...conversion, ...retirementReached(pension.minimum) };
    (schemes['170'] as OtherSchemeAssessment).rules.push('employee-resident-conversion');
    applied.add('employee-resident-conversion');
  }
  // Rules judged on the as-of date (not the retirement-date ones, which carry their own dates).
  const datedOnAsOf = [...applied].filter((id) => id !== 'pension-minimum-years' && id !== 'pension-minimum-years-2030' && id !== 'retirement-age-2025' && id !== 'pension-account-divisor-interpolated');
  issues.push(...notInForce(datedOnAsOf, asOf));
  return { ...base, assessed: true, schemes, rulesApplied: [...applied].map((id) => RULES[id]) };
}
