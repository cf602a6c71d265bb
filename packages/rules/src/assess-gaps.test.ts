/** The rule gaps of issue 12, reached through assessPerson. */
import { describe, expect, it } from 'vitest';
import { record } from './__fixtures__/records.ts';
import { codeLabel } from '@jiexu/standard';
import { assessPerson } from './assess.ts';
import { MEDICAL_INSUTYPES } from './rules/medical.ts';

const man = { id: '230128196208035598', hukouRegion: '230128' };

describe('rule 12: refunded duplicate months leave the closed region\'s pooled fund', () => {
  it('19 months in 44, 3 of them kept by 33 (later relationship): 44 moves 12% of 16 bases', () => {
    const a = assessPerson([
      record(man, { region: '440300', from: '2010-01', to: '2011-07', baseFen: 400000 }),
      record(man, { region: '330100', from: '2011-05', to: '2012-12', baseFen: 600000 }),
    ], { asOf: '2020-01-01' });
    const p = a.schemes['110']!;
    const gd = p.byProvince.find((x) => x.province === '44')!;
    expect(gd.paidMonths).toBe(19);
    expect(gd.regions[0].refundedMonths).toBe(3);
    expect(gd.pooledFund).toBe(16 * 400000 * 12 / 100);
    expect(p.byProvince.find((x) => x.province === '33')!.pooledFund).toBe(20 * 600000 * 12 / 100);
  });
});

describe('rule 18: deemed months in the EU totals', () => {
  it('--deemed 11=11 turns 109/168 into 120/179', () => {
    const a = assessPerson([
      record(man, { region: '210100', from: '2000-01', to: '2004-11' }), // 59
      record(man, { region: '110000', from: '2004-12', to: '2013-12' }), // 109
    ], { asOf: '2020-01-01', deemedMonths: { '11': 11 } });
    const eu = a.schemes['110']!.eu;
    expect(eu.totalMonths).toBe(179);
    expect(eu.byProvince.find((x) => x.province === '11')).toMatchObject({ ownMonths: 120, creditedMonths: 11, share: { numerator: 120, denominator: 179 } });
  });
  it('day periods convert (art. 13) and add to the province', () => {
    const a = assessPerson([record(man, { region: '110000', from: '2010-01', to: '2010-12' })], { asOf: '2020-01-01', dayPeriods: { '44': { days: 270, week: 5 } } });
    const eu = a.schemes['110']!.eu;
    expect(eu.totalMonths).toBe(24);
    expect(eu.byProvince.find((x) => x.province === '44')).toMatchObject({ ownMonths: 12, creditedMonths: 12 });
    expect(eu.remainderDays).toEqual({ '44': 6 });
    expect(a.rulesApplied.map((r) => r.id)).toContain('eu-day-conversion');
  });
});

describe('12a in assess: the account pension by the retirement age', () => {
  const acc = (balanceFen: number) => [{ year: 2021, creditedFen: 1, interestFen: 0, balanceFen }];
  it('a man born 1962-08 retires at 60 (before the reform): balance ÷ 139', () => {
    const a = assessPerson([record(man, { region: '110000', from: '2000-01', to: '2021-12', account: acc(13_900_000) })], { asOf: '2026-01-01' });
    expect(a.schemes['110']!.accountPension).toEqual([{ category: 'male', retirementAge: { years: 60, months: 0 }, divisor: '139', interpolated: false, balanceFen: 13_900_000, accountPensionFen: 100_000 }]);
  });
  it('a man born 1966-01 retires at 61y1m (reform): interpolated divisor, said in lacking', () => {
    const later = { id: '110105196601010014', hukouRegion: '110105' };
    const a = assessPerson([record(later, { region: '110000', from: '2000-01', to: '2021-12', account: acc(13_900_000) })], { asOf: '2026-01-01' });
    const p = a.schemes['110']!;
    // original month 2026-01 → delay floor(12/4)+1 = 4 months → 60y4m; 139 − 4 × 7/12 = 136.67
    expect(p.accountPension[0]).toMatchObject({ retirementAge: { years: 60, months: 4 }, divisor: '136.67', interpolated: true, accountPensionFen: 101_707 });
    expect(p.lacking.map((l) => l.data)).toContain('account-divisor');
  });
});

describe('rule 13 in assess: seal and gather at the retirement date', () => {
  it('gathers the sealed province\'s account with interest and its pooled fund; without rates says so', () => {
    const records = [
      record(man, { region: '210100', from: '2010-01', to: '2010-12', baseFen: 100000, account: [{ year: 2010, creditedFen: 96000, interestFen: 0, balanceFen: 96000 }] }),
      record(man, { region: '230100', from: '2011-01', to: '2021-12', account: [{ year: 2021, creditedFen: 1, interestFen: 0, balanceFen: 5_000_000 }] }),
    ];
    const rates = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [String(2011 + i), '0.05']));
    const a = assessPerson(records, { asOf: '2026-01-01', creditingRates: rates });
    const g = a.schemes['110']!.gathering;
    expect(g).toHaveLength(1);
    expect(g[0].benefitDate).toBe('2022-08-03');
    // 96000 × 1.05^11 year by year, half-up each year, then 7 months of 2022 at 5%/12
    let b = 96000n;
    for (let y = 2011; y <= 2021; y++) b += (b * 5n * 2n + 100n) / 200n;
    b += (b * 5n * 7n * 2n + 1200n) / 2400n;
    expect(g[0].places).toEqual([{ province: '21', accountFen: 96000, balanceYear: 2010, interestFen: Number(b - 96000n), pooledFundFen: 12 * 100000 * 12 / 100, gatheredFen: Number(b) + 144000, missingRateYears: [] }]);
    expect(a.rulesApplied.map((r) => r.id)).toContain('pension-seal-and-gather');
    expect(assessPerson(records, { asOf: '2026-01-01' }).schemes['110']!.lacking.map((l) => l.data)).toContain('crediting-rates');
  });
});

describe('rule 14: the conversion waits for retirement age', () => {
  it('short of the minimum: employee → resident, marked not yet reached before the retirement date and reached after', () => {
    const records = [record(man, { region: '110000', from: '2010-01', to: '2014-12' })];
    const before = assessPerson(records, { asOf: '2022-08-02' }).schemes['110']!.conversion!;
    const after = assessPerson(records, { asOf: '2022-08-03' }).schemes['110']!.conversion!;
    expect(before).toMatchObject({ direction: 'employee-to-resident', retirementAgeReached: false, retirementDates: ['2022-08-03'], monthsCountedAfter: 60 });
    expect(after.retirementAgeReached).toBe(true);
  });
});

describe('rules 4 and 15 in assess', () => {
  it('unemployment: the 1999 rates beside the recorded amounts', () => {
    const a = assessPerson([record(man, { region: '110000', from: '2010-01', to: '2010-12', scheme: '210', baseFen: 500000 })], { asOf: '2020-01-01' });
    const u = a.schemes['210']!;
    // the fixture records 16% / 8%: not the 1999 rates, so all 12 months differ; 2% × 5000 × 12 = 1200 yuan
    expect(u.rates1999).toMatchObject({ atRatesMonths: 0, otherMonths: 12, employerAt1999Fen: 120000, employeeAt1999Fen: 60000 });
    expect(a.rulesApplied.map((r) => r.id)).toContain('unemployment-rates-1999');
  });
  it('medical 310 names the insutype rule', () => {
    const a = assessPerson([record(man, { region: '110000', from: '2010-01', to: '2010-12', scheme: '310' })], { asOf: '2020-01-01' });
    expect(a.rulesApplied.map((r) => r.id)).toEqual(expect.arrayContaining(['medical-insutype', 'medical-continuity']));
  });
  it.each(['320', '330', '340', '392'])('medical %s (in the scheme list from standard 1.2) is a medical insutype, labelled by the code list', (scheme) => {
    // a 1.2 scheme code on a record typed by the latest released version (1.1)
    const a = assessPerson([record(man, { region: '110000', from: '2010-01', to: '2010-12', scheme: scheme as '310' })], { asOf: '2020-01-01' });
    expect(a.schemes[scheme]?.rules).toEqual(['medical-insutype', 'medical-continuity']);
    expect(MEDICAL_INSUTYPES[scheme as keyof typeof MEDICAL_INSUTYPES]).toEqual({ zh: codeLabel('scheme', scheme, 'zh', '1.2'), en: codeLabel('scheme', scheme, 'en', '1.2') });
    expect(codeLabel('scheme', scheme, 'zh', '1.1')).toBeUndefined();
  });
});
