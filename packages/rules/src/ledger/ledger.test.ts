/**
 * The ledger against a three-person case computed by hand (not with the code):
 * A stays in Jiangxi (36); B moves twice, 36 → 44 → 33; C works 12 years in
 * Guangdong (44) and comes home to Jiangxi. All men born 1960-03 (retire
 * 2020-03 at 60, before the reform: minimum 180 months, 计发月数 139). Every month
 * from 2000-01: base 5,000.00 yuan (500000 fen), employer 1,000.00 (20%),
 * individual 400.00 (8%); so 12% pooled = 60000 fen a month, employer kept
 * after the 12% = 40000 fen a month.
 * Inputs: valuation year 2020; wages 500000 fen every year (default series),
 * 2020: 44 → 600000, 33 → 800000 (36 uses the default 500000); crediting rate
 * only for 2020: 10%, so every contribution (2000–2019) is worth × 1.1 in 2020
 * and the years 2001–2019 are reported as missing rates. Index of every month
 * = 500000 / 500000 = 1.
 */
import { describe, expect, it } from 'vitest';
import { record } from '../__fixtures__/records.ts';
import type { ContributionRecord } from '../record.ts';
import { checkLedgerInputs, InputsError, type LedgerInputs } from './inputs.ts';
import { Ledger } from './ledger.ts';
import { ledgerCsv, ledgerJson, ledgerResult } from './report.ts';

const years = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [String(2000 + i), 500000]));
const inputs: LedgerInputs = checkLedgerInputs({
  kind: 'jiexu-ledger-inputs',
  sources: { test: { title: 'hand-made test series' } },
  valuationYear: 2020,
  averageWages: { source: 'test', default: years, byProvince: { '44': { '2020': 600000 }, '33': { '2020': 800000 } } },
  creditingRates: { source: 'test', byYear: { '2020': '0.10' } },
});

function spell(person: { id: string; hukouRegion: string }, region: string, from: string, to: string): ContributionRecord {
  const r = record(person, { region, from, to, baseFen: 500000 });
  for (const c of r.contributions) {
    c.employerFen = 100000;
    c.individualFen = 40000;
  }
  return r;
}

// IDs: born 1960-03-01, male (odd 17th digit); check characters need not matter to the ledger
const A = { id: '360102196003010011', hukouRegion: '360102' };
const B = { id: '360102196003010031', hukouRegion: '360102' };
const C = { id: '360102196003010051', hukouRegion: '360102' };

describe('jiexu ledger: the three-person case, to the fen', () => {
  const ledger = new Ledger(inputs);
  ledger.addPerson([spell(A, '360100', '2000-01', '2014-12')]); // 180 months in 36
  ledger.addPerson([spell(B, '360100', '2000-01', '2004-12'), spell(B, '440300', '2005-01', '2009-12'), spell(B, '330100', '2010-01', '2019-12')]); // 60 + 60 + 120
  ledger.addPerson([spell(C, '440300', '2000-01', '2011-12'), spell(C, '360100', '2012-01', '2016-12')]); // 144 + 60
  const r = ledgerResult(ledger);
  const t = r.regimes['transfer-2009'].provinces;
  const s = r.regimes['seal-pro-rata'].provinces;

  it('2009 rules: funds sent and received along the moves, pass-through', () => {
    // B 36→44 (2005): 60 × (60000 + 40000) = 6,000,000. B 44→33 (2010): own 6,000,000 + forwarded 6,000,000 = 12,000,000.
    // C 44→36 (2012): 144 × 100000 = 14,400,000.
    expect([t['36'].sentFen, t['36'].receivedFen, t['36'].forwardedFen]).toEqual([6_000_000n, 14_400_000n, 0n]);
    expect([t['44'].sentFen, t['44'].receivedFen, t['44'].forwardedFen]).toEqual([26_400_000n, 6_000_000n, 6_000_000n]);
    expect([t['33'].sentFen, t['33'].receivedFen]).toEqual([0n, 12_000_000n]);
    expect(r.regimes['transfer-2009'].totals.sentFen).toBe(r.regimes['transfer-2009'].totals.receivedFen);
    expect(t['44'].years['2010']).toMatchObject({ sentFen: 12_000_000n, transfersOut: 1 });
    expect(t['36'].years['2012']).toMatchObject({ receivedFen: 14_400_000n, transfersIn: 1 });
  });

  it('2009 rules: kept = the rest of the employer contributions with interest; the final holder keeps its whole spell', () => {
    // 36: A 180 × 140000 × 1.1 = 27,720,000; B 60 × 40000 × 1.1 = 2,640,000; C (final) 60 × 140000 × 1.1 = 9,240,000 → 39,600,000
    // 44: B 60 × 40000 × 1.1 = 2,640,000; C 144 × 40000 × 1.1 = 6,336,000 → 8,976,000
    // 33: B (final) 120 × 140000 × 1.1 = 18,480,000
    expect([t['36'].keptFen, t['44'].keptFen, t['33'].keptFen]).toEqual([39_600_000n, 8_976_000n, 18_480_000n]);
  });

  it('2009 rules: the benefit province pays the full pension, valued over 139 months', () => {
    // A (36): basic = 500000 × (1+1)/2 × 15 × 1% = 75,000; account 180 × 40000 × 1.1 = 7,920,000 ÷ 139 = 56,978.4 → 56,978;
    //   131,978 × 139 = 18,344,942
    // C (36, hukou relationship): basic = 500000 × 17 × 1% = 85,000; account 204 × 44000 = 8,976,000 ÷ 139 = 64,575.5 → 64,576;
    //   149,576 × 139 = 20,791,064
    // B (33, ten years there): basic = 800000 × 20 × 1% = 160,000; account 240 × 44000 = 10,560,000 ÷ 139 = 75,971.2 → 75,971;
    //   235,971 × 139 = 32,799,969
    expect(t['36'].monthlyLiabilityFen).toBe(131_978n + 149_576n);
    expect(t['36'].liabilityFen).toBe(18_344_942n + 20_791_064n);
    expect(t['33'].liabilityFen).toBe(32_799_969n);
    expect(t['44'].liabilityFen).toBe(0n);
    // net = kept + received − forwarded − liability
    expect(t['36'].netFen).toBe(39_600_000n + 14_400_000n - 39_136_006n); // 14,863,994
    expect(t['44'].netFen).toBe(8_976_000n + 6_000_000n - 6_000_000n); // 8,976,000
    expect(t['33'].netFen).toBe(18_480_000n + 12_000_000n - 32_799_969n); // −2,319,969
  });

  it('seal and pro-rata: nothing moves, each keeps all, each pays the higher of national and pro-rata plus its account pension', () => {
    expect([s['36'].sentFen, s['44'].receivedFen]).toEqual([0n, 0n]);
    // kept: 36 = (180 + 60 + 60) × 154000 = 46,200,000; 44 = (60 + 144) × 154000 = 31,416,000; 33 = 120 × 154000 = 18,480,000
    expect([s['36'].keptFen, s['44'].keptFen, s['33'].keptFen]).toEqual([46_200_000n, 31_416_000n, 18_480_000n]);
    // A: 36 alone, as 2009: 18,344,942
    // B (240 months): 36: theoretical 500000 × 20% = 100,000 × 60/240 = 25,000 (national 0: 60 < 180); account 2,640,000 ÷ 139 → 18,993: 43,993 × 139 = 6,115,027
    //                 44: 600000 × 20% = 120,000 × 60/240 = 30,000 + 18,993 = 48,993 × 139 = 6,810,027
    //                 33: 800000 × 20% = 160,000 × 120/240 = 80,000 + 5,280,000 ÷ 139 → 37,986 = 117,986 × 139 = 16,400,054
    // C (204 months): 44: 600000 × 17% = 102,000 × 144/204 = 72,000 + 6,336,000 ÷ 139 → 45,583 = 117,583 × 139 = 16,344,037
    //                 36: 500000 × 17% = 85,000 × 60/204 = 25,000 + 18,993 = 43,993 × 139 = 6,115,027
    expect(s['36'].liabilityFen).toBe(18_344_942n + 6_115_027n + 6_115_027n); // 30,574,996
    expect(s['44'].liabilityFen).toBe(6_810_027n + 16_344_037n); // 23,154,064
    expect(s['33'].liabilityFen).toBe(16_400_054n);
    expect([s['36'].netFen, s['44'].netFen, s['33'].netFen]).toEqual([15_625_004n, 8_261_936n, 2_079_946n]);
  });

  it('the difference, the inputs used, JSON and CSV', () => {
    expect(r.differenceFen).toEqual({ '33': 2_079_946n + 2_319_969n, '36': 15_625_004n - 14_863_994n, '44': 8_261_936n - 8_976_000n });
    expect(r.inputs).toMatchObject({ valuationYear: 2020, averageWages: { '33': 'mixed', '36': 'default', '44': 'mixed' } });
    expect(r.inputs.missingRateYears).toEqual(Array.from({ length: 19 }, (_, i) => 2001 + i));
    const json = JSON.parse(ledgerJson(r));
    expect(json.regimes['transfer-2009'].provinces['36']).toMatchObject({ sentFen: 6000000, receivedFen: 14400000, keptFen: 39600000, liabilityFen: 39136006, netFen: 14863994 });
    expect(ledgerCsv(r).split('\n')).toContain('seal-pro-rata,33,total,0,0,0,18480000,117986,16400054,2079946,0,0,1');
    expect(ledgerJson({ ...r, people: 2n ** 60n as unknown as number })).toContain(`"people":${2n ** 60n}`);
  });
});

describe('the inputs file', () => {
  it('is validated with the position of each problem, and every series names a listed source', () => {
    expect(() => checkLedgerInputs({ kind: 'jiexu-ledger-inputs', sources: {}, valuationYear: 2020 })).toThrow(InputsError);
    try {
      checkLedgerInputs({ ...inputs, creditingRates: { source: 'elsewhere', byYear: { '2020': '10%' } } });
    } catch (e) {
      expect((e as InputsError).problems.map((p) => p.pointer)).toContain('/creditingRates/byYear/2020');
    }
    expect(() => checkLedgerInputs({ ...inputs, creditingRates: { source: 'elsewhere', byYear: {} } })).toThrow(/names source "elsewhere"/);
  });
});

describe('merging ledgers (worker threads)', () => {
  it('two halves merged give the figures of the whole', () => {
    const whole = new Ledger(inputs);
    const left = new Ledger(inputs);
    const right = new Ledger(inputs);
    const people = [
      [spell(A, '360100', '2000-01', '2014-12')],
      [spell(B, '360100', '2000-01', '2004-12'), spell(B, '440300', '2005-01', '2009-12'), spell(B, '330100', '2010-01', '2019-12')],
      [spell(C, '440300', '2000-01', '2011-12'), spell(C, '360100', '2012-01', '2016-12')],
    ];
    people.forEach((p, i) => {
      whole.addPerson(p);
      (i % 2 ? right : left).addPerson(p);
    });
    const merged = new Ledger(inputs);
    merged.merge(structuredClone(left.state()));
    merged.merge(structuredClone(right.state()));
    expect(ledgerJson(ledgerResult(merged))).toBe(ledgerJson(ledgerResult(whole)));
  });
});
