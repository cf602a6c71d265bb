import { describe, expect, it } from 'vitest';
import { monthsBetween, record } from './__fixtures__/records.ts';
import { assessPerson } from './assess.ts';
import { monthIndex, monthString } from './month.ts';

// The report's example (background/, 情况A and 情况B): hukou in 通河县 (230128,
// Heilongjiang), five years in Liaoning, then Beijing.
const tonghe = { id: '230128196208035598', hukouRegion: '230128' };
const liaoning = record(tonghe, { region: '210100', from: '2000-01', to: '2004-12', baseFen: 300000 });
const beijing = (to: string) => record(tonghe, { region: '110000', from: '2005-01', to, baseFen: 700000 });

describe('the 通河县 example', () => {
  it('情况A: ten years or more in Beijing → Beijing is the benefit place (10b)', () => {
    const a = assessPerson([liaoning, beijing('2014-12')], { asOf: '2026-11-29' });
    const p = a.schemes['110']!;
    expect(monthsBetween('2005-01', '2014-12')).toBe(120);
    expect(p.benefitProvince).toBe('11');
    expect(p.benefitRule).toBe('current-10y');
    expect(p.byProvince.map((x) => [x.province, x.paidMonths])).toEqual([['11', 120], ['21', 60]]);
    // Liaoning sends 12% of its 60 bases: 60 × 3000.00 × 12% = 21600.00 yuan
    expect(p.byProvince[1].pooledFund).toBe(60 * 300000 * 12 / 100);
    expect(a.rulesApplied.find((r) => r.id === 'pension-benefit-place')?.document).toMatch(/66号/);
  });

  it('情况B: under ten years in Beijing and nowhere else ten → gathered to 通河县 (Heilongjiang, 10d)', () => {
    const a = assessPerson([liaoning, beijing('2014-11')], { asOf: '2026-11-29' });
    const p = a.schemes['110']!;
    expect(p.byProvince[0]).toMatchObject({ province: '11', paidMonths: 119 });
    expect(p.benefitProvince).toBe('23');
    expect(p.benefitRule).toBe('hukou-fallback');
  });

  it('the relationship in the hukou province → the hukou place (10a), whatever the years', () => {
    const a = assessPerson([liaoning, record(tonghe, { region: '230100', from: '2005-01', to: '2005-06' })], { asOf: '2026-11-29' });
    expect(a.schemes['110']).toMatchObject({ benefitProvince: '23', benefitRule: 'hukou-relationship' });
  });

  it('a previous province with ten years is chosen over the hukou (10c), the most recent such one', () => {
    const person = { id: '230128196208035598', hukouRegion: '230128' };
    const a = assessPerson(
      [
        record(person, { region: '440300', from: '1995-01', to: '2004-12' }), // 120, earlier
        record(person, { region: '330100', from: '2005-01', to: '2014-12' }), // 120, later
        record(person, { region: '110000', from: '2015-01', to: '2015-12' }), // current, 12
      ],
      { asOf: '2026-11-29' },
    );
    expect(a.schemes['110']).toMatchObject({ benefitProvince: '33', benefitRule: 'previous-10y' });
  });

  it('deemed years count toward the ten (人社部规〔2016〕5号)', () => {
    const a = assessPerson([liaoning, beijing('2014-11')], { asOf: '2026-11-29', deemedMonths: { '11': 1 } });
    expect(a.schemes['110']).toMatchObject({ benefitProvince: '11', benefitRule: 'current-10y' });
  });
});

describe('pooled fund from 1998-01 (rule 7)', () => {
  const person = { id: '230128196208035598', hukouRegion: '230128' };
  it('counts 1998-01 and not 1997-12, rounding half-up once over the province', () => {
    const a = assessPerson([record(person, { region: '210100', from: '1997-12', to: '1998-01', baseFen: 100001 })], { asOf: '2026-11-29' });
    const p = a.schemes['110']!.byProvince[0];
    expect(p.paidMonths).toBe(2);
    expect(p.monthsBefore1998).toBe(1);
    // 12% of 1000.01 yuan = 120.0012 yuan → 12000 fen
    expect(p.pooledFund).toBe(12000);
    const b = assessPerson(
      [record(person, { region: '210100', from: '2000-01', to: '2000-01', baseFen: 100004 }), record(person, { region: '210200', from: '2000-02', to: '2000-02', baseFen: 100004 })],
      { asOf: '2026-11-29' },
    );
    // per region 12000.48 → 12000 each; once over the province: 24000.96 → 24001
    expect(b.schemes['110']!.byProvince[0].pooledFund).toBe(24001);
    expect(b.schemes['110']!.byProvince[0].regions.map((r) => r.pooledFund)).toEqual([12000, 12000]);
  });

  it('leaves arrears out of months and fund; a month paid in two regions counts in each province\'s months and in overlapMonths, and in the fund of the region that keeps it only (rule 12)', () => {
    const a = assessPerson(
      [
        record(person, { region: '210100', from: '2010-01', to: '2010-12', status: (m) => (m === '2010-12' ? 'arrears' : m === '2010-11' ? 'backpaid' : 'paid') }),
        record(person, { region: '330100', from: '2010-10', to: '2011-03' }),
      ],
      { asOf: '2026-11-29' },
    );
    const p = a.schemes['110']!;
    expect(p.paidMonths).toBe(15); // 2010-01..2011-03
    expect(p.overlapMonths).toBe(2); // 2010-10, 2010-11
    expect(p.byProvince.map((x) => [x.province, x.paidMonths, x.pooledFund])).toEqual([
      ['33', 6, 6 * 60000],
      // 210100 is closed for 2010-10 and 2010-11 (refunded): 9 months' bases move, not 11
      ['21', 11, 9 * 60000],
    ]);
    expect(p.byProvince[1].regions[0]).toMatchObject({ region: '210100', refundedMonths: 2 });
    expect(p.duplicates).toEqual([{ from: '2010-10', to: '2010-11', months: 2, regions: ['210100', '330100'], keep: '330100', refundIndividualFen: { '210100': 80000 } }]);
  });

  it('individual account: the last balance of each region, null unless every region of the province exports one', () => {
    const acc = (balanceFen: number) => [{ year: 2009, creditedFen: 1, interestFen: 0, balanceFen: 1 }, { year: 2010, creditedFen: 1, interestFen: 0, balanceFen }];
    const a = assessPerson(
      [
        record(person, { region: '360100', from: '2010-01', to: '2010-06', account: acc(500) }),
        record(person, { region: '360700', from: '2010-07', to: '2010-12', account: acc(700) }),
        record(person, { region: '440300', from: '2011-01', to: '2011-06', account: acc(900) }),
        record(person, { region: '441900', from: '2011-07', to: '2011-12' }),
      ],
      { asOf: '2026-11-29' },
    );
    const byP = Object.fromEntries(a.schemes['110']!.byProvince.map((p) => [p.province, p.individualAccount]));
    expect(byP).toEqual({ '36': 1200, '44': null });
  });

  it('orders provinces by last paid month, ties by province code', () => {
    const a = assessPerson(
      [record(person, { region: '440300', from: '2010-01', to: '2010-06' }), record(person, { region: '330100', from: '2009-01', to: '2010-06' }), record(person, { region: '360100', from: '2011-01', to: '2011-02' })],
      { asOf: '2026-11-29' },
    );
    expect(a.schemes['110']!.byProvince.map((p) => p.province)).toEqual(['36', '33', '44']);
  });
});

describe('unemployment benefit months (rule 15)', () => {
  const person = { id: '230128196208035598', hukouRegion: '230128' };
  for (const [months, expected] of [[11, 0], [12, 12], [59, 12], [60, 18], [119, 18], [120, 24]] as const) {
    it(`${months} paid months → ${expected}`, () => {
      const to = monthString(monthIndex('2010-01') + months - 1);
      const a = assessPerson([record(person, { region: '210100', from: '2010-01', to, scheme: '210' })], { asOf: '2026-11-29' });
      expect(a.schemes['210']).toMatchObject({ paidMonths: months, benefitMonths: expected });
      expect(a.schemes['110']).toBeUndefined();
    });
  }
});

describe('merging inputs', () => {
  const person = { id: '230128196208035598', hukouRegion: '230128' };
  it('the same record read twice counts once, with a trace', () => {
    const r = record(person, { region: '210100', from: '2010-01', to: '2010-12' });
    const a = assessPerson([r, { ...r, provenance: { ...r.provenance, file: 'again.jsonl' } }], { asOf: '2026-11-29' });
    expect(a.assessed).toBe(true);
    expect(a.schemes['110']!.byProvince[0]).toMatchObject({ paidMonths: 12, pooledFund: 12 * 60000 });
    expect(a.issues.map((i) => i.code)).toContain('same-months-read-twice');
  });
  it('two inputs disagreeing about a month are an error and nothing is assessed', () => {
    const r = record(person, { region: '210100', from: '2010-01', to: '2010-12' });
    const other = record(person, { region: '210100', from: '2010-06', to: '2010-06', baseFen: 500100 }, 'other.jsonl');
    const a = assessPerson([r, other], { asOf: '2026-11-29' });
    expect(a.assessed).toBe(false);
    expect(a.schemes).toEqual({});
    expect(a.issues.find((i) => i.code === 'conflicting-month')?.location?.file).toBe('other.jsonl');
  });
});

describe('hukou', () => {
  it('falls back to the ID address code with a warning; an option wins over the records', () => {
    const r = record({ id: '230128196208035598' }, { region: '210100', from: '2010-01', to: '2010-12' });
    const a = assessPerson([r], { asOf: '2026-11-29' });
    expect(a.hukou).toEqual({ code: '230128', province: '23', source: 'citizen-id' });
    expect(a.issues.some((i) => i.code === 'hukou-from-citizen-id' && i.severity === 'warning')).toBe(true);
    const b = assessPerson([{ ...r, person: { ...r.person, hukouRegion: '360730' } }], { asOf: '2026-11-29', hukou: '110105' });
    expect(b.hukou).toEqual({ code: '110105', province: '11', source: 'option' });
  });
  it('--as-of does not change the figures', () => {
    const r = [liaoning, beijing('2014-12')];
    const strip = (x: ReturnType<typeof assessPerson>) => x.schemes['110']!.byProvince;
    expect(strip(assessPerson(r, { asOf: '2000-01-01' }))).toEqual(strip(assessPerson(r, { asOf: '2040-01-01' })));
  });
});

describe('EU-style comparison beside today\'s rules', () => {
  it('gives shares always and amounts from supplied theoretical amounts or average wages', () => {
    const r = [liaoning, beijing('2014-12')];
    const a = assessPerson(r, { asOf: '2026-11-29' }).schemes['110']!;
    expect(a.eu.totalMonths).toBe(180);
    expect(a.eu.byProvince.map((p) => [p.province, p.share.numerator, p.share.denominator, p.proRataFen])).toEqual([['11', 120, 180], ['21', 60, 180]].map((x) => [...x, null]));
    expect(a.lacking.some((l) => l.data === 'theoretical-amounts')).toBe(true);
    const b = assessPerson(r, {
      asOf: '2026-11-29',
      theoreticalFen: { '11': 300000 },
      nationalFen: { '11': 250000 },
      averageWages: { '21': { previousYearFen: 600000, byYearFen: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [2000 + i, 300000])) } },
    }).schemes['110']!;
    expect(b.eu.byProvince[0]).toMatchObject({ theoreticalFrom: 'input', proRataFen: 200000, payableFen: 250000 });
    // Liaoning by formula over all 180 months: index = (60 × 1 + 120 × 7000/3000) / 180 = 17/9;
    // basic = (6000 + 6000 × 17/9) / 2 × 15% = 1300.00 yuan; pro-rata 60/180 → 433.33
    expect(b.eu.byProvince[1]).toMatchObject({ theoreticalFrom: 'formula', theoreticalFen: 130000, proRataFen: 43333, payableFen: null });
  });
});

describe('employee and resident pension together (rule 14)', () => {
  it('short of the minimum: employee → resident, overlap counted once and refunded', () => {
    const person = { id: '230128196208035598', hukouRegion: '230128' };
    const a = assessPerson(
      [
        record(person, { region: '210100', from: '2000-01', to: '2009-12' }), // 120 employee months
        record(person, { region: '230128', from: '2009-01', to: '2012-12', scheme: '170', baseFen: 10000 }), // 48 resident, 12 overlapping
      ],
      { asOf: '2026-11-29' },
    );
    expect(a.schemes['170']).toMatchObject({ paidMonths: 48, conversion: { direction: 'employee-to-resident', employeeMonths: 120, overlapMonths: 12, residentMonthsCounted: 36, monthsCountedAfter: 156, refundFen: 12 * 800 } });
  });
});
