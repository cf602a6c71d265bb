import { describe, expect, it } from 'vitest';
import { monthIndex } from '../month.ts';
import { aggregate, daysToMonths, pensionFormula, proRata } from './eu.ts';
import { employeeResidentConversion } from './conversion.ts';

const range = (from: string, to: string) => {
  const s = new Set<number>();
  for (let m = monthIndex(from); m <= monthIndex(to); m++) s.add(m);
  return s;
};

describe('EU-style aggregation and pro-rata (rules 18–19)', () => {
  it('counts an overlapping month once, for the later relationship; shares add up to one', () => {
    const a = aggregate([
      { province: '36', months: [...range('2000-01', '2000-12')], lastMonth: monthIndex('2000-12') },
      { province: '44', months: [...range('2000-10', '2002-12')], lastMonth: monthIndex('2002-12') },
    ]);
    expect(a.totalMonths).toBe(36);
    expect(a.shares).toEqual([
      { province: '36', ownMonths: 9, creditedMonths: 0, share: { numerator: 9, denominator: 36 } },
      { province: '44', ownMonths: 27, creditedMonths: 0, share: { numerator: 27, denominator: 36 } },
    ]);
  });
  it('pro-rata = theoretical × own ÷ all, half-up; the person gets the higher of national and pro-rata', () => {
    expect(proRata(100001, { numerator: 1, denominator: 2 })).toMatchObject({ proRataFen: 50001, payableFen: null });
    expect(proRata(100000, { numerator: 1, denominator: 3 }, 30000)).toMatchObject({ proRataFen: 33333, payableFen: 33333 });
    expect(proRata(100000, { numerator: 1, denominator: 3 }, 40000).payableFen).toBe(40000);
  });
});

describe('国发〔2005〕38号 formula (12a)', () => {
  it('basic pension = (W + indexed) ÷ 2 × years × 1%, account ÷ 139 at 60', () => {
    // 15 years at exactly the average wage (index 1): (8000 + 8000) / 2 × 15 × 1% = 1200 yuan
    const months = Array.from({ length: 180 }, (_, i) => ({ year: 2010 + Math.floor(i / 12), baseFen: 600000 }));
    const wages = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [2010 + i, 600000]));
    const r = pensionFormula({ averageWagePreviousYearFen: 800000, averageWageByYearFen: wages, months, accountBalanceFen: 13900000, retirementAgeYears: 60 });
    expect(r).toMatchObject({ indexedWageFen: 800000, basicFen: 120000, accountPensionFen: 100000, lacking: [] });
    // index 2 in every year: (8000 + 16000) / 2 × 15% = 1800 yuan
    const r2 = pensionFormula({ averageWagePreviousYearFen: 800000, averageWageByYearFen: Object.fromEntries(Object.entries(wages).map(([y, w]) => [y, w / 2])), months });
    expect(r2.basicFen).toBe(180000);
  });
  it('names what it lacks', () => {
    const r = pensionFormula({ averageWagePreviousYearFen: 800000, averageWageByYearFen: {}, months: [{ year: 2010, baseFen: 1 }], accountBalanceFen: 1, retirementAgeYears: 71 });
    expect(r.basicFen).toBeNull();
    expect(r.lacking).toEqual(['average wage of 2010', 'account divisor for retirement age 71']);
  });
});

describe('employee ↔ resident conversion (rule 14)', () => {
  const resident = new Map([...range('2005-01', '2010-12')].map((m) => [m, { individualFen: 10000 }]));
  it('with the minimum met: resident → employee, resident years not converted, overlap refunded', () => {
    const d = employeeResidentConversion({ employeeMonths: range('2010-01', '2025-12'), residentMonths: resident, requiredMonths: 180, residentAccountFen: 555 });
    expect(d).toMatchObject({ direction: 'resident-to-employee', employeeMonths: 192, overlapMonths: 12, refundFen: 120000, monthsCountedAfter: 192, balanceMovesFen: 555 });
  });
  it('short of it: employee → resident, employee years count as resident years, overlap once', () => {
    const d = employeeResidentConversion({ employeeMonths: range('2010-01', '2014-12'), residentMonths: resident, requiredMonths: 180 });
    expect(d).toMatchObject({ direction: 'employee-to-resident', monthsCountedAfter: 60 + 60, overlapMonths: 12 });
  });
});

describe('987/2009 art. 12 priorities and art. 13 day conversions (rules 18–19)', () => {
  it('a compulsory month beats a voluntary one even from an earlier relationship; deemed months count in the totals', () => {
    const months44 = [...range('2000-01', '2000-12')];
    const months36 = [...range('2000-07', '2001-06')];
    const a = aggregate([
      { province: '44', months: months44, lastMonth: monthIndex('2000-12') },
      // 36 continues later, but 2000-07..12 were paid as an individual (voluntary) there
      { province: '36', months: months36, voluntary: months36.map((m) => m < monthIndex('2001-01')), creditedMonths: 11, lastMonth: monthIndex('2001-06') },
    ]);
    expect(a.shares).toEqual([
      { province: '44', ownMonths: 12, creditedMonths: 0, share: { numerator: 12, denominator: 29 } },
      { province: '36', ownMonths: 6 + 11, creditedMonths: 11, share: { numerator: 17, denominator: 29 } },
    ]);
  });
  it('days to months: 22 / 26 / 30 a month, exactly 12 months a year, remainder reported', () => {
    expect(daysToMonths(264, 5)).toMatchObject({ months: 12, remainderDays: 0 });
    expect(daysToMonths(263, 5)).toMatchObject({ months: 11, remainderDays: 21 });
    expect(daysToMonths(312, 6)).toMatchObject({ months: 12, remainderDays: 0 });
    expect(daysToMonths(361, 7)).toMatchObject({ months: 12, remainderDays: 1 });
    expect(daysToMonths(25, 6)).toMatchObject({ months: 0, remainderDays: 25 });
  });
});
