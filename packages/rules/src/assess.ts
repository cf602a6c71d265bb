/**
 * assessPerson: where one person's rights stand, from their canonical records
 * (any number of regions, schemes and inputs). Every figure names the rule that
 * produced it and the data it lacked.
 */
import type { Issue } from '@jiexu/standard';
import { mergeRecords } from './merge.ts';
import { monthIndex, monthString, POOLED_FUND_FROM, runsOf, type MonthIndex, type Run } from './month.ts';
import { factsFromCitizenId, provinceOf } from './person.ts';
import { counts, type Contribution, type ContributionRecord } from './record.ts';
import { benefitPlace, type BenefitRule } from './rules/benefit-place.ts';
import { findDuplicates, type Duplicate, type RegionMonths } from './rules/duplicates.ts';
import { continuityGaps, type Gap } from './rules/medical.ts';
import { fenNumber, lastBalance, twelvePercentHalfUp } from './rules/pension-transfer.ts';
import { minimumCheck, type MinimumAnswer } from './rules/retirement.ts';
import { benefitPeriodMonths, type BenefitMonths } from './rules/unemployment.ts';
import { aggregate, pensionFormula, proRata } from './rules/eu.ts';
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
}

export interface RegionFigures {
  region: string;
  paidMonths: number;
  arrearsMonths: number;
  firstPaidMonth: string | null;
  lastPaidMonth: string | null;
  pooledFund: number;
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
  rules: RuleId[];
  lacking: string[];
}

export interface EuComparison {
  totalMonths: number;
  byProvince: Array<{
    province: string;
    ownMonths: number;
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
  rules: RuleId[];
}

export interface OtherSchemeAssessment {
  paidMonths: number;
  overlapMonths: number;
  /** Medical schemes (310, 390): gaps between paid months and whether continuity holds. */
  gaps?: Gap[];
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
  paid: Map<MonthIndex, Contribution>;
  arrears: number;
  first: MonthIndex;
  last: MonthIndex;
}

function regionData(rec: ContributionRecord): RegionData {
  const paid = new Map<MonthIndex, Contribution>();
  let arrears = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const c of rec.contributions) {
    if (!counts(c)) {
      arrears += 1;
      continue;
    }
    const m = monthIndex(c.month);
    paid.set(m, c);
    if (m < first) first = m;
    if (m > last) last = m;
  }
  return { region: rec.region, province: provinceOf(rec.region), record: rec, paid, arrears, first, last };
}

/** Distinct paid months, and months paid in more than one region. */
function union(regions: readonly RegionData[]): { months: Set<MonthIndex>; overlap: number } {
  const seen = new Map<MonthIndex, number>();
  for (const r of regions) for (const m of r.paid.keys()) seen.set(m, (seen.get(m) ?? 0) + 1);
  let overlap = 0;
  for (const n of seen.values()) if (n > 1) overlap += 1;
  return { months: new Set(seen.keys()), overlap };
}

function pooledBaseSum(r: RegionData): { sum: bigint; before1998: number } {
  let sum = 0n;
  let before1998 = 0;
  for (const [m, c] of r.paid) {
    if (m < POOLED_FUND_FROM) before1998 += 1;
    else sum += BigInt(c.baseFen);
  }
  return { sum, before1998 };
}

const ms = (m: MonthIndex): string | null => (Number.isFinite(m) ? monthString(m) : null);

function assessPension(regions: RegionData[], hukouProvince: string | null, facts: { birthDate: string | null; gender: 'M' | 'F' | null }, opts: AssessOptions, asOf: string): PensionAssessment {
  const rules = new Set<RuleId>(['pension-pooled-fund', 'pension-individual-account', 'pension-benefit-place', 'pension-duplicates']);
  const lacking: string[] = [];
  const { months, overlap } = union(regions);
  const provinces = new Map<string, RegionData[]>();
  for (const r of regions) {
    const list = provinces.get(r.province);
    if (list) list.push(r);
    else provinces.set(r.province, [r]);
  }
  const byProvince: ProvinceFigures[] = [];
  const provinceMonths = new Map<string, { months: Set<MonthIndex>; last: MonthIndex }>();
  for (const [province, list] of provinces) {
    let sum = 0n;
    let before1998 = 0;
    let account: number | null = 0;
    let last = -Infinity;
    const figures: RegionFigures[] = [];
    for (const r of list) {
      const base = pooledBaseSum(r);
      sum += base.sum;
      before1998 += base.before1998;
      const bal = lastBalance(r.record.account);
      account = account === null || bal === null ? null : account + bal.fen;
      if (r.last > last) last = r.last;
      figures.push({
        region: r.region,
        paidMonths: r.paid.size,
        arrearsMonths: r.arrears,
        firstPaidMonth: ms(r.first),
        lastPaidMonth: ms(r.last),
        pooledFund: fenNumber(twelvePercentHalfUp(base.sum)),
        individualAccount: bal?.fen ?? null,
        accountYear: bal?.year ?? null,
      });
    }
    figures.sort((a, b) => ((b.lastPaidMonth ?? '') < (a.lastPaidMonth ?? '') ? -1 : (b.lastPaidMonth ?? '') > (a.lastPaidMonth ?? '') ? 1 : a.region < b.region ? -1 : 1));
    if (before1998 > 0) rules.add('pension-pre-1998-pooled');
    const provinceUnion = union(list).months;
    provinceMonths.set(province, { months: provinceUnion, last });
    byProvince.push({
      province,
      paidMonths: provinceUnion.size,
      pooledFund: fenNumber(twelvePercentHalfUp(sum)),
      individualAccount: account,
      lastPaidMonth: ms(last),
      monthsBefore1998: before1998,
      regions: figures,
    });
    if (account === null) lacking.push(`individual account of province ${province}: not every region exports it`);
  }
  byProvince.sort((a, b) => {
    const la = a.lastPaidMonth ?? '';
    const lb = b.lastPaidMonth ?? '';
    if (la !== lb) return la > lb ? -1 : 1;
    return a.province < b.province ? -1 : a.province > b.province ? 1 : 0;
  });
  const deemed = opts.deemedMonths ?? {};
  if (!opts.deemedMonths) lacking.push('months deemed paid (视同缴费年限): counted as none');
  const place = benefitPlace(
    byProvince.map((p) => ({ province: p.province, months: p.paidMonths + (deemed[p.province] ?? 0) })),
    hukouProvince,
  );
  if (place.province === null) lacking.push('hukou: the benefit place falls to the hukou province, which is unknown');
  let minimum: MinimumAnswer[] = [];
  if (facts.birthDate && facts.gender) {
    const deemedTotal = Object.values(deemed).reduce((a, b) => a + b, 0);
    minimum = minimumCheck({ birthDate: facts.birthDate, gender: facts.gender, femaleCategory: opts.femaleCategory, paidMonths: months.size + deemedTotal, asOf });
    for (const a of minimum) for (const r of a.rules) rules.add(r);
    if (facts.gender === 'F' && !opts.femaleCategory) lacking.push('retirement category (women: worker 50 or cadre 55): both answers given');
  } else {
    lacking.push('birth date or gender: no retirement-age or minimum check');
  }
  const eu = compareEu(regions, byProvince, provinceMonths, opts, lacking);
  rules.add('eu-aggregation');
  if (eu.byProvince.some((p) => p.proRataFen !== null)) rules.add('eu-pro-rata');
  if (eu.byProvince.some((p) => p.theoreticalFrom === 'formula')) rules.add('pension-formula');
  const duplicates = findDuplicates(regions.map((r): RegionMonths => ({ region: r.region, months: r.paid, lastMonth: r.last })));
  return {
    paidMonths: months.size,
    overlapMonths: overlap,
    byProvince,
    benefitProvince: place.province,
    benefitRule: place.rule,
    runs: runsOf(months),
    duplicates,
    minimum,
    eu,
    rules: [...rules],
    lacking,
  };
}

function compareEu(regions: RegionData[], byProvince: ProvinceFigures[], provinceMonths: Map<string, { months: Set<MonthIndex>; last: MonthIndex }>, opts: AssessOptions, lacking: string[]): EuComparison {
  const agg = aggregate(byProvince.map((p) => ({ province: p.province, months: provinceMonths.get(p.province)!.months, lastMonth: provinceMonths.get(p.province)!.last })));
  // One base per aggregated month: the region whose relationship continues latest keeps it (as rule 12).
  const kept = new Map<MonthIndex, { base: number; last: MonthIndex }>();
  for (const r of regions) for (const [m, c] of r.paid) {
    const k = kept.get(m);
    if (!k || r.last > k.last) kept.set(m, { base: c.baseFen, last: r.last });
  }
  const months = [...kept].map(([m, k]) => ({ year: Math.floor(m / 12), baseFen: k.base }));
  let amountsLacking = false;
  const out = agg.shares.map((s) => {
    let theoreticalFen: number | null = opts.theoreticalFen?.[s.province] ?? null;
    let theoreticalFrom: 'input' | 'formula' | null = theoreticalFen === null ? null : 'input';
    const wages = opts.averageWages?.[s.province];
    if (theoreticalFen === null && wages) {
      const f = pensionFormula({ averageWagePreviousYearFen: wages.previousYearFen, averageWageByYearFen: wages.byYearFen, months, countedMonths: agg.totalMonths });
      if (f.basicFen !== null) {
        theoreticalFen = f.basicFen;
        theoreticalFrom = 'formula';
      } else lacking.push(`EU comparison, province ${s.province}: ${f.lacking.join(', ')}`);
    }
    if (theoreticalFen === null) amountsLacking = true;
    const pr = theoreticalFen === null ? null : proRata(theoreticalFen, s.share, opts.nationalFen?.[s.province]);
    return { province: s.province, ownMonths: s.ownMonths, share: s.share, theoreticalFen, theoreticalFrom, proRataFen: pr?.proRataFen ?? null, payableFen: pr?.payableFen ?? null };
  });
  if (amountsLacking) lacking.push('EU comparison amounts: theoretical amounts (or average wages for the 国发〔2005〕38号 formula) not supplied');
  return { totalMonths: agg.totalMonths, byProvince: out };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function resolveHukou(records: readonly ContributionRecord[], personId: string, opts: AssessOptions, issues: Issue[]): Assessment['hukou'] {
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
  const issues: Issue[] = [...merged.issues];
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
      const { months, overlap } = union(regions);
      if (scheme === '210') {
        result = { paidMonths: months.size, overlapMonths: overlap, benefitMonths: benefitPeriodMonths(months.size), rules: ['unemployment-benefit-period'] };
      } else if (scheme === '310' || scheme === '390') {
        result = { paidMonths: months.size, overlapMonths: overlap, gaps: continuityGaps(months), rules: ['medical-continuity'] };
      } else {
        result = { paidMonths: months.size, overlapMonths: overlap, rules: [] };
      }
    }
    for (const r of result.rules) applied.add(r);
    schemes[scheme] = result;
  }
  // Rules judged on the as-of date (not the retirement-date ones, which carry their own dates).
  const datedOnAsOf = [...applied].filter((id) => id !== 'pension-minimum-years' && id !== 'pension-minimum-years-2030' && id !== 'retirement-age-2025');
  issues.push(...notInForce(datedOnAsOf, asOf));
  return { ...base, assessed: true, schemes, rulesApplied: [...applied].map((id) => RULES[id]) };
}
