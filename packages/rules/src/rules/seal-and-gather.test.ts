import { describe, expect, it } from 'vitest';
import { parseRate, sealAndGather } from './seal-and-gather.ts';

describe('seal and gather (rule 13)', () => {
  it('credits interest yearly on the year-end balance, half-up each year, the benefit year by whole months', () => {
    // sealed at the end of 2020 with 10,000.00 yuan; 2021 at 6%, 2022 at 5%, benefit 2023-07-15 at 4%:
    // 2021: 1,000,000 × 6% = 60,000 → 1,060,000; 2022: × 5% = 53,000 → 1,113,000;
    // 2023: 6 whole months × 4% / 12 = 2%: 22,260 → 1,135,260; interest 135,260; + pooled 50,000
    const g = sealAndGather([{ province: '44', accountFen: 1_000_000, balanceYear: 2020, pooledFundFen: 50_000 }], '2023-07-15', { '2021': '0.06', '2022': '0.05', '2023': '0.04' });
    expect(g.places[0]).toMatchObject({ interestFen: 135_260n, gatheredFen: 1_185_260n, missingRateYears: [] });
    expect(g.totalFen).toBe(1_185_260n);
  });
  it('rounds each year: 333 fen at 0.0150 gives 5 (4.995 → 5), then 338 × 1.5% = 5.07 → 5', () => {
    const g = sealAndGather([{ province: '33', accountFen: 333, balanceYear: 2010, pooledFundFen: 0 }], '2013-01-01', { '2011': '0.0150', '2012': '0.0150', '2013': '0.0150' });
    expect(g.places[0].interestFen).toBe(10n);
  });
  it('names the years without a rate and credits nothing for them', () => {
    const g = sealAndGather([{ province: '33', accountFen: 100_000, balanceYear: 2010, pooledFundFen: 0 }], '2012-12-01', { '2011': '0.10' });
    expect(g.places[0]).toMatchObject({ interestFen: 10_000n, missingRateYears: [2012] });
  });
  it('parses rates exactly and refuses anything else', () => {
    expect(parseRate('0.0612')).toEqual({ num: 612n, den: 10000n });
    expect(() => parseRate('6%')).toThrow(RangeError);
  });
});
