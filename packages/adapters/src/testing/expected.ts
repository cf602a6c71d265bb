/**
 * Test helpers: the figures expected.json states (per person, scheme and
 * region), computed independently from decoded records, for comparison.
 */
import { readFileSync } from 'node:fs';
import type { ContributionRecord } from '../record.ts';

// the repository's sample exports (the same files as the brief's shared/regions/samples)
export const SAMPLES_DIR = new URL('../../../../examples/samples/', import.meta.url);
export const FIXTURES_DIR = new URL('../__fixtures__/', import.meta.url);

export interface Figures {
  months: number;
  paidMonths: number;
  arrearsMonths: number;
  baseSum: number;
  paidBaseSum: number;
  employerSum: number;
  individualSum: number;
  monthsList: string[];
}

export interface AccountFigure {
  year: number;
  contributed: number;
  interest: number;
  balance: number;
}

export interface ExpectedPerson {
  id: string;
  name: string;
  gender: 'M' | 'F';
  birth: string;
  hukou: string;
  hukouInExports: boolean;
  damagedNameIn: string[];
  perScheme: Record<string, Record<string, Figures>>;
  accounts: Record<string, AccountFigure[]>;
}

export interface Expected {
  files: { file: string; format: string; region: string }[];
  people: ExpectedPerson[];
}

export function loadExpected(): Expected {
  return JSON.parse(readFileSync(new URL('expected.json', SAMPLES_DIR), 'utf8')) as Expected;
}

/** `person|scheme` → figures, computed from records of one region. */
export function figuresOf(records: ContributionRecord[]): Map<string, Figures> {
  const out = new Map<string, Figures>();
  for (const r of records) {
    const key = `${r.person.id}|${r.scheme}`;
    if (out.has(key)) throw new Error(`two records for ${key} in one region`);
    const paid = r.contributions.filter((c) => c.status !== 'arrears');
    const sum = (xs: typeof r.contributions, f: (c: (typeof xs)[number]) => number) => xs.reduce((s, c) => s + f(c), 0);
    out.set(key, {
      months: r.contributions.length,
      paidMonths: paid.length,
      arrearsMonths: r.contributions.length - paid.length,
      baseSum: sum(r.contributions, (c) => c.baseFen),
      paidBaseSum: sum(paid, (c) => c.baseFen),
      employerSum: sum(r.contributions, (c) => c.employerFen),
      individualSum: sum(r.contributions, (c) => c.individualFen),
      monthsList: r.contributions.map((c) => c.month),
    });
  }
  return out;
}

/** `person|scheme` → figures that expected.json states for one region. */
export function expectedFigures(expected: Expected, region: string): Map<string, Figures> {
  const out = new Map<string, Figures>();
  for (const p of expected.people) {
    for (const [scheme, byRegion] of Object.entries(p.perScheme)) {
      const f = byRegion[region];
      if (f) out.set(`${p.id}|${scheme}`, f);
    }
  }
  return out;
}

export function accountsOf(records: ContributionRecord[]): Map<string, AccountFigure[]> {
  const out = new Map<string, AccountFigure[]>();
  for (const r of records) {
    if (!r.account) continue;
    out.set(r.person.id, r.account.map((a) => ({ year: a.year, contributed: a.creditedFen, interest: a.interestFen, balance: a.balanceFen })));
  }
  return out;
}

export function expectedAccounts(expected: Expected, region: string): Map<string, AccountFigure[]> {
  const out = new Map<string, AccountFigure[]>();
  for (const p of expected.people) if (p.accounts[region]) out.set(p.id, p.accounts[region]);
  return out;
}

/** Records without what differs between two reads of equal data (positions, file name, export time). */
export function comparable(records: ContributionRecord[]): unknown[] {
  return records
    .map((r) => JSON.parse(JSON.stringify(r, (k, v) => (k === 'at' || k === 'file' || k === 'exportedAt' ? undefined : v))) as ContributionRecord)
    .sort((a, b) => `${a.person.id}|${a.region}|${a.scheme}`.localeCompare(`${b.person.id}|${b.region}|${b.scheme}`));
}
