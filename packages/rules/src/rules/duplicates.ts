/**
 * Rule 12: duplicates (人社部发〔2009〕187号, 人社部发〔2010〕70号): months paid in
 * more than one pooling region of one scheme. One relationship is kept, the
 * rest closed, their individual contributions for those months refunded, and
 * the years never counted twice; the receiving place cleans up (先转后清).
 * Which region is kept is not stated by the sources we hold: we keep the one
 * whose relationship continues latest (the receiving side) and say so.
 */
import { monthString, runsOf, type MonthIndex } from '../month.ts';
import type { Contribution } from '../record.ts';

export interface RegionMonths {
  region: string;
  /** Paid or back-paid months of the region, by month index. */
  months: Map<MonthIndex, Contribution>;
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
  const owners = new Map<MonthIndex, string[]>();
  for (const r of regions) for (const m of r.months.keys()) {
    const list = owners.get(m);
    if (list) list.push(r.region);
    else owners.set(m, [r.region]);
  }
  const byKey = new Map<string, MonthIndex[]>();
  for (const [m, list] of owners) {
    if (list.length < 2) continue;
    const key = [...list].sort().join(',');
    const ms = byKey.get(key);
    if (ms) ms.push(m);
    else byKey.set(key, [m]);
  }
  const lastOf = new Map(regions.map((r) => [r.region, r.lastMonth]));
  const monthsOf = new Map(regions.map((r) => [r.region, r.months]));
  const out: Duplicate[] = [];
  for (const [key, months] of byKey) {
    const regionList = key.split(',');
    const keep = [...regionList].sort((a, b) => (lastOf.get(b)! - lastOf.get(a)!) || (a < b ? -1 : 1))[0];
    for (const run of runsOf(months)) {
      const refundIndividualFen: Record<string, number> = {};
      for (const region of regionList) {
        if (region === keep) continue;
        let fen = 0;
        for (const [m, c] of monthsOf.get(region)!) if (monthString(m) >= run.from && monthString(m) <= run.to) fen += c.individualFen;
        refundIndividualFen[region] = fen;
      }
      out.push({ from: run.from, to: run.to, months: run.months, regions: regionList, keep, refundIndividualFen });
    }
  }
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}
