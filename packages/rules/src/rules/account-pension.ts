/**
 * Rules 12a/12c: the individual-account pension (国发〔2005〕38号): account
 * balance ÷ the months divisor (计发月数) of the age at retirement. The annex
 * table (ages 40–70, as reprinted identically by many secondary sources) is
 * below. The 2024 reform creates ages with months (e.g. 63, 58, 55 and 60y4m);
 * no source gives their divisor: we interpolate linearly between the whole years
 * (as at least one provincial calculator does), flagged UNCONFIRMED in the
 * result. The divisor is also the statutory expected payment period, used as the
 * stated approximation of a pension's lifetime value.
 */
import type { RuleId } from '../sources.ts';

export const ACCOUNT_DIVISOR_TABLE: Readonly<Record<number, number>> = {
  40: 233, 41: 230, 42: 226, 43: 223, 44: 220, 45: 216, 46: 212, 47: 208, 48: 204, 49: 199,
  50: 195, 51: 190, 52: 185, 53: 180, 54: 175, 55: 170, 56: 164, 57: 158, 58: 152, 59: 145,
  60: 139, 61: 132, 62: 125, 63: 117, 64: 109, 65: 101, 66: 93, 67: 84, 68: 75, 69: 65, 70: 56,
};

/** A divisor as an exact fraction of months: twelfths, so that interpolation by months stays exact. */
export interface Divisor {
  /** Divisor × 12 (an integer). */
  twelfths: number;
  /** The divisor as shown: e.g. "139", "136.67". */
  text: string;
  interpolated: boolean;
  rules: RuleId[];
}

/** The divisor for a retirement age in years and months, or null outside 40–70. */
export function accountDivisor(years: number, months = 0): Divisor | null {
  const d = ACCOUNT_DIVISOR_TABLE[years];
  if (d === undefined) return null;
  if (months === 0) return { twelfths: d * 12, text: String(d), interpolated: false, rules: ['pension-account-divisor'] };
  const next = ACCOUNT_DIVISOR_TABLE[years + 1];
  if (next === undefined) return null;
  const twelfths = d * 12 - months * (d - next);
  const hundredths = Math.round((twelfths * 100) / 12);
  return { twelfths, text: `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`, interpolated: true, rules: ['pension-account-divisor', 'pension-account-divisor-interpolated'] };
}

/** balance ÷ divisor, half-up to the fen (exact: balance × 12 ÷ twelfths). */
export function accountPensionFen(balanceFen: number | bigint, divisor: Divisor): bigint {
  const num = BigInt(balanceFen) * 12n;
  const den = BigInt(divisor.twelfths);
  return (num * 2n + den) / (2n * den);
}

/** A monthly amount's value over the divisor's months (the stated approximation of its lifetime value), fen. */
export function lifetimeValueFen(monthlyFen: number | bigint, divisor: Divisor): bigint {
  const num = BigInt(monthlyFen) * BigInt(divisor.twelfths);
  return (num * 2n + 12n) / 24n;
}
