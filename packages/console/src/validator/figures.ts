/**
 * The figures the validator shows per person and scheme: months recorded, months paid, and the
 * sums of base, employer and individual contributions — in integer fen (BigInt, exact), shown as
 * yuan decimal strings. Computed from the canonical records the adapters produced.
 */
import type { ContributionRecord } from '@jiexu/standard';

export interface SchemeFigures {
  person: string;
  name: string | null;
  scheme: string;
  region: string;
  months: number;
  paidMonths: number;
  firstMonth: string | null;
  lastMonth: string | null;
  /** Integer fen as decimal strings (exact). */
  baseFen: string;
  employerFen: string;
  individualFen: string;
}

export function figuresOf(records: Iterable<ContributionRecord>): SchemeFigures[] {
  const byKey = new Map<string, { f: SchemeFigures; base: bigint; employer: bigint; individual: bigint }>();
  for (const r of records) {
    const key = `${r.person.id}\u0000${r.scheme}\u0000${r.region}`;
    let e = byKey.get(key);
    if (!e) {
      e = { f: { person: r.person.id, name: r.person.name ?? null, scheme: r.scheme, region: r.region, months: 0, paidMonths: 0, firstMonth: null, lastMonth: null, baseFen: '0', employerFen: '0', individualFen: '0' }, base: 0n, employer: 0n, individual: 0n };
      byKey.set(key, e);
    }
    for (const c of r.contributions) {
      e.f.months++;
      if (c.status === 'paid') e.f.paidMonths++;
      if (e.f.firstMonth === null || c.month < e.f.firstMonth) e.f.firstMonth = c.month;
      if (e.f.lastMonth === null || c.month > e.f.lastMonth) e.f.lastMonth = c.month;
      e.base += BigInt(c.baseFen ?? 0);
      e.employer += BigInt(c.employerFen ?? 0);
      e.individual += BigInt(c.individualFen ?? 0);
    }
  }
  return [...byKey.values()]
    .map(({ f, base, employer, individual }) => ({ ...f, baseFen: String(base), employerFen: String(employer), individualFen: String(individual) }))
    .sort((a, b) => (a.person < b.person ? -1 : a.person > b.person ? 1 : a.scheme < b.scheme ? -1 : a.scheme > b.scheme ? 1 : a.region < b.region ? -1 : 1));
}

/** Integer fen (decimal string) as yuan: "123456" → "1,234.56". */
export function yuan(fen: string): string {
  const negative = fen.startsWith('-');
  const digits = (negative ? fen.slice(1) : fen).padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${whole}.${digits.slice(-2)}`;
}
