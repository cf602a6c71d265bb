import { describe, expect, it } from 'vitest';
import { benefitPeriodMonths, periodAfterReemployment, unemploymentRatesCheck, unemploymentTransfer } from './unemployment.ts';
import { continuityGaps, medicalTransferDeadlines } from './medical.ts';
import { officialCalendar } from '../calendar.ts';
import { monthIndex } from '../month.ts';

describe('unemployment (rules 15–16)', () => {
  it('12 / 18 / 24 months at the boundaries', () => {
    expect([11, 12, 59, 60, 119, 120, 600].map(benefitPeriodMonths)).toEqual([0, 12, 12, 18, 18, 24, 24]);
  });
  it('after re-employment the count restarts and unused months are added up to 24', () => {
    expect(periodAfterReemployment(12, 6)).toBe(18);
    expect(periodAfterReemployment(60, 10)).toBe(24);
    expect(periodAfterReemployment(5, 3)).toBe(3);
  });
  it('a cross-province move carries the benefit still due plus 50%, half-up; within a province nothing', () => {
    expect(unemploymentTransfer({ remainingMonths: 7, monthlyBenefitFen: 180001, fromRegion: '210100', toRegion: '360100' })).toEqual({ benefitDueFen: 1260007n, subsidyFen: 630004n, totalFen: 1890011n, crossProvince: true });
    expect(unemploymentTransfer({ remainingMonths: 7, monthlyBenefitFen: 180001, fromRegion: '360700', toRegion: '360100' }).totalFen).toBe(0n);
  });
});

describe('medical continuity (rule 17)', () => {
  it('10 working days to send, 5 to load, across the 2025 Spring Festival (1-28..2-4 off, 1-26 Sun and 2-8 Sat worked)', () => {
    // from 1-20 (Mon): 21,22,23,24 (4), 26 Sun (5), 27 (6), 2-5,6,7 (9), 2-8 Sat (10); then 10,11,12,13,14 (5)
    expect(medicalTransferDeadlines('2025-01-20', officialCalendar())).toEqual({ sendBy: '2025-02-08', loadBy: '2025-02-14', estimated: false });
  });
  it('a gap of 3 months keeps continuity, 4 does not', () => {
    const months = ['2020-01', '2020-05', '2020-10'].map(monthIndex);
    expect(continuityGaps(months)).toEqual([
      { from: '2020-02', to: '2020-04', months: 3, keepsContinuity: true, maxWaitingMonths: 0 },
      { from: '2020-06', to: '2020-09', months: 4, keepsContinuity: false, maxWaitingMonths: 6 },
    ]);
  });
});

describe('1999 rates (rule 15)', () => {
  it('employer 2%, employee 1%, half-up per month; months at other rates counted, not rejected', () => {
    const r = unemploymentRatesCheck([
      { baseFen: 500050, employerFen: 10001, individualFen: 5001 }, // 2% = 10001, 1% = 5000.5 → 5001
      { baseFen: 500000, employerFen: 5000, individualFen: 2500 }, // a lowered local rate (1% / 0.5%)
    ]);
    expect(r).toEqual({ atRatesMonths: 1, otherMonths: 1, employerAt1999Fen: 20001n, employeeAt1999Fen: 10001n, employerRecordedFen: 15001n, employeeRecordedFen: 7501n });
  });
});
