/**
 * Rule 12: duplicates (人社部发〔2009〕187号, 人社部发〔2010〕70号): months paid in
 * more than one pooling region of one scheme. One relationship is kept, the
 * rest closed, their individual contributions for those months refunded, and
 * the years never counted twice; the receiving place cleans up (先转后清).
 * Which region is kept is not stated by the sources we hold: we keep the one
 * whose relationship continues latest (the receiving side) and say so.
 */
import { monthIndex, runsOf, type MonthIndex } from '../month.ts';
import type { Contribution } from '../record.ts';

export interface RegionMonths {
  region: string;
  /** Paid or back-paid month indexes of the region, ascending. */
  months: readonly MonthIndex[];
  /** The contributions of those months, in the same order. */
  contributions: readonly Contribution[];
  lastMonth: MonthIndex;
}

export interface Duplicate {
  from: string;
  to: string;
  months: number;
  regions: string[];
  keep: string;
  /** Individual contributions of the closed regions for these months, fen, by region. */
  refundIndividualFen: Record<string, number>;
}

export function findDuplicates(regions: readonly RegionMonths[]): Duplicate[] {
  let min = Infinity;
  let max = -Infinity;
  for (const r of regions) if (r.months.length) {
    min = Math.min(min, r.months[0]);
    max = Math.max(max, r.months[r.months.length - 1]);
  }
  if (!Number.isFinite(min)) return [];
  const count = new Uint8Array(max - min + 1);
  let overlap = false;
  for (const r of regions) for (const m of r.months) if (++count[m - min] > 1) overlap = true;
  if (!overlap) return [];
  const owners = new Map<MonthIndex, string[]>();
  for (const r of regions) for (const m of r.months) {
    if (count[m - min] < 2) continue;
    const list = owners.get(m);
    if (list) list.push(r.region);
    else owners.set(m, [r.region]);
  }
  const byKey = new Map<string, MonthIndex[]>();
  for (const [m, list] of owners) {
    const key = [...list].sort().join(',');
    const ms = byKey.get(key);
    if (ms) ms.push(m);
    else byKey.set(key, [m]);
  }
  const byRegion = new Map(regions.map((r) => [r.region, r]));
  const out: Duplicate[] = [];
  for (const [key, months] of byKey) {
    const regionList = key.split(',');
    const keep = [...regionList].sort((a, b) => byRegion.get(b)!.lastMonth - byRegion.get(a)!.lastMonth || (a < b ? -1 : 1))[0];
    for (const run of runsOf(months)) {
      const from = monthIndex(run.from);
      const to = from + run.months - 1;
      const refundIndividualFen: Record<string, number> = {};
      for (const region of regionList) {
        if (region === keep) continue;
        const r = byRegion.get(region)!;
        let fen = 0;
        r.months.forEach((m, i) => {
          if (m >= from && m <= to) fen += r.contributions[i].individualFen;
        });
        refundIndividualFen[region] = fen;
      }
      out.push({ from: run.from, to: run.to, months: run.months, regions: regionList, keep, refundIndividualFen });
    }
  }
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

