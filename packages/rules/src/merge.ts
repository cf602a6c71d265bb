/**
 * Merging one person's records read from several inputs: records for the same
 * person × region × scheme become one; a month (or account year) read twice with
 * the same values counts once (with a trace), with different values it is an
 * error naming both sources.
 */
import type { Issue } from '@jiexu/standard';
import type { RuleIssue } from './issue-codes.ts';
import type { AccountYear, Contribution, ContributionRecord } from './record.ts';

function where(rec: ContributionRecord, at: { line?: number; record?: number; row?: number; sheet?: string; path?: string } | undefined): Issue['location'] {
  return { file: rec.provenance.file, ...(at ?? rec.provenance.at ?? {}) };
}

function sameContribution(a: Contribution, b: Contribution): boolean {
  return (
    a.baseFen === b.baseFen &&
    a.employerFen === b.employerFen &&
    a.individualFen === b.individualFen &&
    a.status === b.status &&
    (a.employerId === undefined || b.employerId === undefined || a.employerId === b.employerId)
  );
}

function sameAccount(a: AccountYear, b: AccountYear): boolean {
  return a.creditedFen === b.creditedFen && a.interestFen === b.interestFen && a.balanceFen === b.balanceFen;
}

export const recordKey = (r: ContributionRecord): string => `${r.person.id}|${r.region}|${r.scheme}`;

export interface MergeResult {
  records: ContributionRecord[];
  issues: RuleIssue[];
}

export function mergeRecords(records: readonly ContributionRecord[]): MergeResult {
  const groups = new Map<string, ContributionRecord[]>();
  for (const rec of records) {
    const key = recordKey(rec);
    const list = groups.get(key);
    if (list) list.push(rec);
    else groups.set(key, [rec]);
  }
  const issues: RuleIssue[] = [];
  const out: ContributionRecord[] = [];
  for (const sources of groups.values()) {
    if (sources.length === 1) out.push(sources[0]);
    else out.push(mergeGroup(sources, issues));
  }
  return { records: out, issues };
}

/** Records of one person × region × scheme from several inputs, month by month. */
function mergeGroup(sources: ContributionRecord[], issues: RuleIssue[]): ContributionRecord {
  const months = new Map<string, { c: Contribution; from: ContributionRecord }>();
  let years: Map<number, { a: AccountYear; from: ContributionRecord }> | null = null;
  for (const rec of sources) {
    let twice = 0;
    for (const c of rec.contributions) {
      const seen = months.get(c.month);
      if (!seen) {
        months.set(c.month, { c, from: rec });
      } else if (sameContribution(seen.c, c)) {
        twice += 1;
      } else {
        issues.push({
          severity: 'error',
          code: 'conflicting-month',
          message: {
            zh: `${rec.person.id} 在 ${rec.region} 险种 ${rec.scheme} ${c.month} 两处输入不一致（另见 ${seen.from.provenance.file ?? seen.from.provenance.format}）`,
            en: `${rec.person.id}, region ${rec.region}, scheme ${rec.scheme}, ${c.month}: two inputs disagree (other: ${seen.from.provenance.file ?? seen.from.provenance.format}${seen.c.at?.line ? ` line ${seen.c.at.line}` : ''})`,
          },
          location: where(rec, c.at),
          value: { month: c.month, this: { baseFen: c.baseFen, employerFen: c.employerFen, individualFen: c.individualFen, status: c.status }, other: { baseFen: seen.c.baseFen, employerFen: seen.c.employerFen, individualFen: seen.c.individualFen, status: seen.c.status } },
        });
      }
    }
    if (rec.account) {
      years ??= new Map();
      for (const a of rec.account) {
        const seen = years.get(a.year);
        if (!seen) years.set(a.year, { a, from: rec });
        else if (!sameAccount(seen.a, a)) {
          issues.push({
            severity: 'error',
            code: 'conflicting-account-year',
            message: { zh: `${rec.person.id} 在 ${rec.region} ${a.year} 年个人账户两处输入不一致`, en: `${rec.person.id}, region ${rec.region}: account year ${a.year} differs between two inputs` },
            location: where(rec, a.at),
          });
        }
      }
    }
    if (twice > 0) {
      issues.push({
        severity: 'information',
        code: 'same-months-read-twice',
        message: { zh: `${rec.person.id} 在 ${rec.region} 险种 ${rec.scheme} 有 ${twice} 个月在多个输入中相同，只计一次`, en: `${rec.person.id}, region ${rec.region}, scheme ${rec.scheme}: ${twice} month(s) read again with equal values, counted once` },
        location: { file: rec.provenance.file },
      });
    }
  }
  const contributions = [...months.values()].map((x) => x.c).sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  const account = years ? [...years.values()].map((x) => x.a).sort((a, b) => a.year - b.year) : undefined;
  const person = Object.assign({}, ...sources.map((s) => s.person)) as ContributionRecord['person'];
  return { ...sources[0], person, contributions, ...(account ? { account } : {}) };
}
