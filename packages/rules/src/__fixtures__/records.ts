/** Builds small canonical records for tests. */
import { monthIndex, monthString } from '../month.ts';
import type { AccountYear, ContributionRecord, ContributionStatus, Scheme } from '../record.ts';

export interface Spell {
  region: string;
  from: string;
  to: string;
  baseFen?: number | ((month: string) => number);
  scheme?: Scheme;
  status?: (month: string) => ContributionStatus;
  account?: AccountYear[];
}

export function record(person: { id: string; hukouRegion?: string; birthDate?: string; gender?: 'M' | 'F' }, spell: Spell, file = 'test.jsonl'): ContributionRecord {
  const contributions = [];
  for (let m = monthIndex(spell.from); m <= monthIndex(spell.to); m++) {
    const month = monthString(m);
    const baseFen = typeof spell.baseFen === 'function' ? spell.baseFen(month) : (spell.baseFen ?? 500000);
    contributions.push({ month, baseFen, employerFen: Math.round(baseFen * 0.16), individualFen: baseFen * 0.08, status: spell.status?.(month) ?? 'paid' });
  }
  return {
    kind: 'contribution-record',
    version: '1.0',
    person: { name: '测试', ...person },
    region: spell.region,
    scheme: spell.scheme ?? '110',
    contributions,
    ...(spell.account ? { account: spell.account } : {}),
    provenance: { region: spell.region, format: 'canonical', file },
  };
}

/** Months between two YYYY-MM, inclusive. */
export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from) + 1;
}
