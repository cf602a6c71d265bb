/**
 * Rules 18–19 and 12a: the EU-style coordination the report recommends, beside
 * today's rules. Periods are aggregated (Regulation 987/2009 art. 12: a month
 * counted once; here a month paid in two provinces is attributed to the one
 * whose relationship continues latest, as rule 12 keeps it); each province pays
 * pro-rata (Regulation 883/2004 art. 52): theoretical amount × own periods ÷ all
 * periods; the person gets the higher of the national and the pro-rata amount.
 * The theoretical amount is supplied by the user or computed with the
 * 国发〔2005〕38号 formula from user-supplied provincial average wages.
 */
import type { RuleId } from '../sources.ts';
import { ACCOUNT_DIVISOR_TABLE } from './account-pension.ts';

/** A share as an exact fraction. */
export interface Share {
  numerator: number;
  denominator: number;
}

export interface ProvincePeriods {
  province: string;
  /** Paid month indexes (any order, repeats allowed). */
  months: ArrayLike<number>;
  /** Per month (same order), true when it was paid voluntarily (insured as an individual: no employer part). */
  voluntary?: ArrayLike<boolean>;
  /** Months credited without dates (视同缴费, deemed): counted in full, they overlap nothing we can see. */
  creditedMonths?: number;
  /** Last paid month index (decides who keeps an overlapping month after the priorities). */
  lastMonth: number;
}

export interface Aggregation {
  totalMonths: number;
  shares: Array<{ province: string; ownMonths: number; creditedMonths: number; share: Share }>;
  rules: RuleId[];
}

/**
 * 987/2009 art. 12: an overlapping month counts once. Priorities: a compulsory
 * month over a voluntary one (art. 12(4)); between equals, the relationship that
 * continues latest (as rule 12 keeps it), ties by province code. Real over
 * credited (art. 12(3)): credited months here carry no dates, so they are added
 * as they are and never displace a real month.
 */
export function aggregate(provinces: readonly ProvincePeriods[]): Aggregation {
  let min = Infinity;
  let max = -Infinity;
  for (const p of provinces) for (let i = 0; i < p.months.length; i++) {
    const m = p.months[i];
    if (m < min) min = m;
    if (m > max) max = m;
  }
  const own = provinces.map((p) => p.creditedMonths ?? 0);
  let totalMonths = own.reduce((a, b) => a + b, 0);
  if (Number.isFinite(min)) {
    const order = provinces.map((_, i) => i).sort((a, b) => provinces[b].lastMonth - provinces[a].lastMonth || (provinces[a].province < provinces[b].province ? -1 : 1));
    const taken = new Uint8Array(max - min + 1);
    for (const pass of [false, true]) {
      for (const i of order) {
        const { months, voluntary } = provinces[i];
        for (let k = 0; k < months.length; k++) {
          if ((voluntary?.[k] ?? false) !== pass) continue;
          const slot = months[k] - min;
          if (taken[slot]) continue;
          taken[slot] = 1;
          own[i] += 1;
          totalMonths += 1;
        }
      }
    }
  }
  return {
    totalMonths,
    shares: provinces.map((p, i) => ({ province: p.province, ownMonths: own[i], creditedMonths: p.creditedMonths ?? 0, share: { numerator: own[i], denominator: totalMonths } })),
    rules: ['eu-aggregation'],
  };
}

/** 987/2009 art. 13(1): days per month and per year by the working week. */
export const DAY_CONVERSION = { 5: { month: 22, year: 264 }, 6: { month: 26, year: 312 }, 7: { month: 30, year: 360 } } as const;

/**
 * A period given in days, as whole months (days ÷ 22, 26 or 30 by the working
 * week; a year is exactly 12 such months: 264, 312, 360) and the days left over,
 * which the caller reports rather than rounds.
 */
export function daysToMonths(days: number, week: 5 | 6 | 7): { months: number; remainderDays: number; rules: RuleId[] } {
  const per = DAY_CONVERSION[week].month;
  return { months: Math.floor(days / per), remainderDays: days % per, rules: ['eu-day-conversion'] };
}

function halfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (2n * denominator);
}

/** theoretical × share, half-up to the fen; and the amount paid: the higher of national and pro-rata. */
export function proRata(theoreticalFen: number, share: Share, nationalFen?: number): { proRataFen: number; payableFen: number | null; rules: RuleId[] } {
  const proRataFen = share.denominator === 0 ? 0 : Number(halfUp(BigInt(theoreticalFen) * BigInt(share.numerator), BigInt(share.denominator)));
  return { proRataFen, payableFen: nationalFen === undefined ? null : Math.max(nationalFen, proRataFen), rules: ['eu-pro-rata'] };
}

/** Individual-account divisor by whole age at retirement (国发〔2005〕38号 annex, rule 12c). */
export const ACCOUNT_DIVISORS: Readonly<Record<number, number>> = ACCOUNT_DIVISOR_TABLE;

export interface FormulaInput {
  /** Provincial average monthly wage of the year before retirement, fen. */
  averageWagePreviousYearFen: number;
  /** Provincial average monthly wage by year, fen: each month's base is indexed against its own year. */
  averageWageByYearFen: Record<number, number>;
  /** The paid months: year and base, fen. */
  months: ReadonlyArray<{ year: number; baseFen: number }>;
  /** Contribution months counted (aggregated); defaults to months.length. */
  countedMonths?: number;
  accountBalanceFen?: number;
  retirementAgeYears?: number;
}

export interface FormulaResult {
  /** Basic pension per month, fen: (W + W × average index) ÷ 2 × years × 1%. */
  basicFen: number | null;
  indexedWageFen: number | null;
  accountPensionFen: number | null;
  /** Data the formula lacked. */
  lacking: string[];
  rules: RuleId[];
}

/**
 * 国发〔2005〕38号: basic pension = (W + indexed wage) ÷ 2 × contribution years × 1%,
 * indexed wage = W × the average over months of base ÷ that year's average wage;
 * account pension = balance ÷ divisor. Exact: fractions in BigInt, half-up once.
 */
export function pensionFormula(input: FormulaInput): FormulaResult {
  const lacking: string[] = [];
  // Σ base_i / W(y_i) as a fraction num/den: group by year first.
  const byYear = new Map<number, bigint>();
  for (const m of input.months) byYear.set(m.year, (byYear.get(m.year) ?? 0n) + BigInt(m.baseFen));
  let num = 0n;
  let den = 1n;
  for (const [year, sum] of byYear) {
    const w = input.averageWageByYearFen[year];
    if (!w) {
      lacking.push(`average wage of ${year}`);
      continue;
    }
    num = num * BigInt(w) + sum * den;
    den = den * BigInt(w);
  }
  const n = BigInt(input.months.length);
  const counted = BigInt(input.countedMonths ?? input.months.length);
  let basicFen: number | null = null;
  let indexedWageFen: number | null = null;
  if (lacking.length === 0 && n > 0n) {
    const W = BigInt(input.averageWagePreviousYearFen);
    // indexed = W × num / (den × n)
    indexedWageFen = Number(halfUp(W * num, den * n));
    // basic = (W + W·num/(den·n)) / 2 × (counted / 12) × 1/100
    //       = (W·den·n + W·num) × counted / (den·n · 2 · 12 · 100)
    basicFen = Number(halfUp((W * den * n + W * num) * counted, den * n * 2400n));
  }
  let accountPensionFen: number | null = null;
  if (input.accountBalanceFen !== undefined) {
    const divisor = input.retirementAgeYears === undefined ? undefined : ACCOUNT_DIVISORS[input.retirementAgeYears];
    if (divisor) accountPensionFen = Number(halfUp(BigInt(input.accountBalanceFen), BigInt(divisor)));
    else lacking.push(`account divisor for retirement age ${input.retirementAgeYears ?? '(unknown)'}`);
  }
  return { basicFen, indexedWageFen, accountPensionFen, lacking, rules: ['pension-formula'] };
}
