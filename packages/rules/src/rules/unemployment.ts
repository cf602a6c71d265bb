/**
 * Rules 15–16: unemployment benefit.
 * 失业保险条例 (1999) art. 14, 17: eligible after ≥ 1 year of contributions; the
 * maximum benefit period by accumulated contribution years: ≥ 1 and < 5 → 12
 * months, ≥ 5 and < 10 → 18, ≥ 10 → 24. After re-employment the count restarts;
 * unused months may be added, capped at 24.
 * 劳社部令第8号 art. 22 (secondary): a cross-province move transfers the benefit
 * still due plus 50% of it for subsidies.
 */

export type BenefitMonths = 0 | 12 | 18 | 24;

export function benefitPeriodMonths(paidMonths: number): BenefitMonths {
  if (paidMonths >= 120) return 24;
  if (paidMonths >= 60) return 18;
  if (paidMonths >= 12) return 12;
  return 0;
}

/** The period after re-employment: the new period plus the unused months of the last, at most 24. */
export function periodAfterReemployment(newPaidMonths: number, unusedMonths: number): number {
  return Math.min(24, benefitPeriodMonths(newPaidMonths) + Math.max(0, unusedMonths));
}

export interface UnemploymentTransfer {
  /** Benefit still due: remaining months × monthly benefit, fen. */
  benefitDueFen: bigint;
  /** 50% of it for the subsidies, half-up, fen. */
  subsidyFen: bigint;
  totalFen: bigint;
  crossProvince: boolean;
}

/** What moves with an unemployed person: only a cross-province move carries money. */
export function unemploymentTransfer(input: { remainingMonths: number; monthlyBenefitFen: number; fromRegion: string; toRegion: string }): UnemploymentTransfer {
  const crossProvince = input.fromRegion.slice(0, 2) !== input.toRegion.slice(0, 2);
  if (!crossProvince) return { benefitDueFen: 0n, subsidyFen: 0n, totalFen: 0n, crossProvince };
  const benefitDueFen = BigInt(input.remainingMonths) * BigInt(input.monthlyBenefitFen);
  const subsidyFen = (benefitDueFen + 1n) / 2n;
  return { benefitDueFen, subsidyFen, totalFen: benefitDueFen + subsidyFen, crossProvince };
}

/** 失业保险条例 (1999) art. 6: employer 2% of the payroll, employee 1% of the wage. */
export const UNEMPLOYMENT_RATES_1999 = { employerPercent: 2, employeePercent: 1 } as const;

export interface RatesCheck {
  /** Months whose recorded contributions equal the 1999 rates (half-up to the fen). */
  atRatesMonths: number;
  /** Months recorded below or above them (rates were lowered locally for periods from 2015: information only). */
  otherMonths: number;
  /** What the 1999 rates give over the paid months, fen. */
  employerAt1999Fen: bigint;
  employeeAt1999Fen: bigint;
  /** What the records hold, fen. */
  employerRecordedFen: bigint;
  employeeRecordedFen: bigint;
}

const pct = (base: number, percent: number) => (BigInt(base) * BigInt(percent) * 2n + 100n) / 200n;

/** The recorded unemployment contributions against the 1999 rates, month by month. */
export function unemploymentRatesCheck(months: ReadonlyArray<{ baseFen: number; employerFen: number; individualFen: number }>): RatesCheck {
  let atRatesMonths = 0;
  let employerAt1999Fen = 0n;
  let employeeAt1999Fen = 0n;
  let employerRecordedFen = 0n;
  let employeeRecordedFen = 0n;
  for (const c of months) {
    const e = pct(c.baseFen, UNEMPLOYMENT_RATES_1999.employerPercent);
    const i = pct(c.baseFen, UNEMPLOYMENT_RATES_1999.employeePercent);
    employerAt1999Fen += e;
    employeeAt1999Fen += i;
    employerRecordedFen += BigInt(c.employerFen);
    employeeRecordedFen += BigInt(c.individualFen);
    if (BigInt(c.employerFen) === e && BigInt(c.individualFen) === i) atRatesMonths += 1;
  }
  return { atRatesMonths, otherMonths: months.length - atRatesMonths, employerAt1999Fen, employeeAt1999Fen, employerRecordedFen, employeeRecordedFen };
}
