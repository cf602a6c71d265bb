/**
 * Rule 11: statutory retirement age and the minimum contribution period for a
 * monthly pension, with the dates they change.
 *
 * 国务院关于渐进式延迟法定退休年龄的办法 (2024) art. 1: from 2025-01-01 the
 * retirement age of men (60) and of women whose age was 55 rises one month
 * every four months, to 63 and 58; of women whose age was 50, one month every
 * two months, to 55. Art. 2: from 2030-01-01 the minimum rises from 15 years by
 * six months a year to 20. Before: 15 years (社会保险法 art. 16).
 */
import { monthIndex, monthString } from '../month.ts';
import type { RuleId } from '../sources.ts';

/** Women's original age is 50 (workers) or 55 (cadres); records do not say which (rule 12b). */
export type RetirementCategory = 'male' | 'female-50' | 'female-55';

const ORIGINAL_AGE_MONTHS: Record<RetirementCategory, number> = { male: 720, 'female-55': 660, 'female-50': 600 };
const STEP_MONTHS: Record<RetirementCategory, number> = { male: 4, 'female-55': 4, 'female-50': 2 };
const MAX_DELAY_MONTHS: Record<RetirementCategory, number> = { male: 36, 'female-55': 36, 'female-50': 60 };

export const RETIREMENT_REFORM_START = '2025-01-01';
export const MINIMUM_RISE_START = '2030-01-01';

export interface Retirement {
  category: RetirementCategory;
  /** Statutory retirement age in months (720 = 60 years). */
  ageMonths: number;
  /** How many months the 2024 办法 added. */
  delayMonths: number;
  /** The date the person reaches it, YYYY-MM-DD. */
  date: string;
  rules: RuleId[];
}

function addMonthsToDate(date: string, months: number): string {
  const target = monthIndex(date.slice(0, 7)) + months;
  const ym = monthString(target);
  const lastDay = new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).getUTCDate();
  const day = Math.min(Number(date.slice(8, 10)), lastDay);
  return `${ym}-${day < 10 ? '0' : ''}${day}`;
}

export function statutoryRetirement(birthDate: string, category: RetirementCategory): Retirement {
  const original = ORIGINAL_AGE_MONTHS[category];
  const originalMonth = monthIndex(birthDate.slice(0, 7)) + original;
  const start = monthIndex(RETIREMENT_REFORM_START.slice(0, 7));
  let delayMonths = 0;
  if (originalMonth >= start) {
    delayMonths = Math.min(MAX_DELAY_MONTHS[category], Math.floor((originalMonth - start) / STEP_MONTHS[category]) + 1);
  }
  const ageMonths = original + delayMonths;
  return { category, ageMonths, delayMonths, date: addMonthsToDate(birthDate, ageMonths), rules: delayMonths > 0 ? ['retirement-age-2025'] : [] };
}

/** Months needed for a monthly pension by someone reaching retirement age on `date`. */
export function minimumContributionMonths(date: string): { months: number; rule: RuleId } {
  if (date < MINIMUM_RISE_START) return { months: 180, rule: 'pension-minimum-years' };
  const year = Number(date.slice(0, 4));
  return { months: Math.min(240, 180 + 6 * (year - 2029)), rule: 'pension-minimum-years-2030' };
}

export interface MinimumAnswer {
  category: RetirementCategory;
  retirementDate: string;
  retirementAge: { years: number; months: number };
  requiredMonths: number;
  paidMonths: number;
  shortfallMonths: number;
  /** Whether the retirement date is on or before the as-of date. */
  reached: boolean;
  rules: RuleId[];
}

/**
 * The minimum check for each possible category: one answer for a man, two for a
 * woman unless her category (worker 50 / cadre 55) is given.
 */
export function minimumCheck(input: { birthDate: string; gender: 'M' | 'F'; femaleCategory?: 'female-50' | 'female-55'; paidMonths: number; asOf: string }): MinimumAnswer[] {
  const categories: RetirementCategory[] = input.gender === 'M' ? ['male'] : input.femaleCategory ? [input.femaleCategory] : ['female-50', 'female-55'];
  return categories.map((category) => {
    const ret = statutoryRetirement(input.birthDate, category);
    const min = minimumContributionMonths(ret.date);
    return {
      category,
      retirementDate: ret.date,
      retirementAge: { years: Math.floor(ret.ageMonths / 12), months: ret.ageMonths % 12 },
      requiredMonths: min.months,
      paidMonths: input.paidMonths,
      shortfallMonths: Math.max(0, min.months - input.paidMonths),
      reached: ret.date <= input.asOf,
      rules: [...ret.rules, min.rule],
    };
  });
}
