import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { record } from './__fixtures__/records.ts';
import { assessPerson } from './assess.ts';
import { addWorkingDays, isWorkingDay } from './calendar.ts';
import { monthIndex, monthString } from './month.ts';

const person = { id: '230128196208035598', hukouRegion: '230128' };
const regions = ['210100', '210200', '330100', '360100', '440300', '110000'];

const spell = fc.record({
  region: fc.constantFrom(...regions),
  start: fc.integer({ min: monthIndex('1990-01'), max: monthIndex('2025-01') }),
  length: fc.integer({ min: 1, max: 60 }),
  base: fc.integer({ min: 1, max: 9_000_000 }),
});

describe('properties of the assessment', () => {
  it('distinct months, overlaps, provinces and the pooled fund agree with a direct count', () => {
    fc.assert(
      fc.property(fc.array(spell, { minLength: 1, maxLength: 6 }), (spells) => {
        // one record per region: later spells of a region replace the earlier months
        const byRegion = new Map<string, Map<number, number>>();
        for (const s of spells) {
          const months = byRegion.get(s.region) ?? new Map<number, number>();
          for (let m = s.start; m < s.start + s.length; m++) months.set(m, s.base);
          byRegion.set(s.region, months);
        }
        const records = [...byRegion].map(([region, months]) => {
          const sorted = [...months.keys()].sort((a, b) => a - b);
          const r = record(person, { region, from: monthString(sorted[0]), to: monthString(sorted[0]) });
          r.contributions = sorted.map((m) => ({ month: monthString(m), baseFen: months.get(m)!, employerFen: 0, individualFen: 0, status: 'paid' as const }));
          return r;
        });
        const p = assessPerson(records, { asOf: '2026-11-29' }).schemes['110']!;
        const owners = new Map<number, number>();
        for (const months of byRegion.values()) for (const m of months.keys()) owners.set(m, (owners.get(m) ?? 0) + 1);
        expect(p.paidMonths).toBe(owners.size);
        expect(p.overlapMonths).toBe([...owners.values()].filter((n) => n > 1).length);
        // rule 12: a month paid in several regions stays in the fund of the region whose last month is latest (ties: lowest code)
        const lastOf = new Map([...byRegion].map(([region, months]) => [region, Math.max(...months.keys())]));
        const keeper = new Map<number, string>();
        for (const [region, months] of [...byRegion].sort(([a], [b]) => (a < b ? -1 : 1))) {
          for (const m of months.keys()) {
            const k = keeper.get(m);
            if (k === undefined || lastOf.get(region)! > lastOf.get(k)!) keeper.set(m, region);
          }
        }
        for (const prov of p.byProvince) {
          let sum = 0n;
          const distinct = new Set<number>();
          for (const [region, months] of byRegion) {
            if (region.slice(0, 2) !== prov.province) continue;
            for (const [m, base] of months) {
              distinct.add(m);
              if (m >= monthIndex('1998-01') && keeper.get(m) === region) sum += BigInt(base);
            }
          }
          expect(prov.paidMonths).toBe(distinct.size);
          // 12% half-up, computed another way: round(sum × 0.12) with the remainder compared to one half
          const hundredths = sum * 12n;
          expect(BigInt(prov.pooledFund)).toBe(hundredths / 100n + (hundredths % 100n >= 50n ? 1n : 0n));
        }
        expect(p.eu.byProvince.reduce((n, x) => n + x.ownMonths, 0)).toBe(p.eu.totalMonths);
        expect(p.eu.totalMonths).toBe(p.paidMonths);
        expect(p.runs.reduce((n, r) => n + r.months, 0)).toBe(p.paidMonths);
      }),
      { numRuns: 200 },
    );
  });
});

describe('properties of working days', () => {
  it('the n-th working day is a working day, later than the (n−1)-th', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2004, 0, 1), max: Date.UTC(2026, 9, 1) }), fc.integer({ min: 1, max: 30 }), (t, n) => {
        const date = new Date(t - (t % 86_400_000)).toISOString().slice(0, 10);
        const a = addWorkingDays(date, n);
        const b = addWorkingDays(date, n - 1);
        expect(isWorkingDay(a.date)).toBe(true);
        expect(a.date > b.date).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
