/**
 * What a format cannot notice, listed rather than hidden: when a mutated file
 * is accepted with other records and no warning, every changed part must be
 * in its format's list here, or the fuzz suite fails. A part is named by where
 * it sits in the canonical record (see `changedParts`).
 *
 * Why each is undetectable: a value changed into another valid value of its
 * field (a digit of an amount, a month, a name character, a code into another
 * code) leaves nothing to compare with unless the file carries a total over it;
 * a whole row or record deleted leaves nothing behind unless the file carries
 * a count. Identifiers are not listed: their check characters catch a change.
 */
const VALUES = [
  'person.name', 'person.damagedName', 'person.gender', 'person.birthDate', 'person.hukouRegion',
  'contributions.month', 'contributions.baseFen', 'contributions.employerFen', 'contributions.individualFen', 'contributions.status',
  'employers.name', 'provenance.exportedAt',
];
const COUNTS = ['contributions.count', 'records.missing', 'account.count'];
const ACCOUNT = ['account.creditedFen', 'account.interestFen', 'account.balanceFen', 'account.year'];

export const UNDETECTABLE: Record<string, string[]> = {
  // the trailer sums 单位缴费 and 个人缴费 and counts D and A records
  'jx-fixed': [...VALUES.filter((v) => v !== 'contributions.employerFen' && v !== 'contributions.individualFen'), ...ACCOUNT],
  'ln-jb': [...VALUES, ...COUNTS],
  'zj-csv': [...VALUES, ...COUNTS],
  'gd-xml': [...VALUES, ...COUNTS, ...ACCOUNT],
  // the worked example declared outside the package (docs/adapters/hb-tsv): no totals, no counts
  'hb-tsv': [...VALUES, ...COUNTS],
  // docs/adapters/ah-dbf: the header counts records (a cut, a deleted or duplicated record is caught), but a record
  // whose deletion flag is set to * is dBase's own way of dropping it: skipped and counted (information
  // legacy-record-deleted, the first named), not a warning, so its months go missing without one
  'ah-dbf': [...VALUES, 'contributions.count', 'records.missing'],
  'sc-json': [...VALUES],
  // every zip entry carries a CRC-32: no change inside the zip gets through
  'bj-xlsx': [],
};

type Rec = Record<string, unknown> & { person: Record<string, unknown>; contributions: Record<string, unknown>[]; account?: Record<string, unknown>[]; employers?: Record<string, unknown>[]; provenance: Record<string, unknown> };

const keyOf = (r: Rec): string => `${String(r.person.id)}|${String(r.scheme)}|${String(r.region)}`;

/** The parts in which two sets of records (positions left out) differ. */
export function changedParts(before: Rec[], after: Rec[]): Set<string> {
  const parts = new Set<string>();
  const a = new Map(before.map((r) => [keyOf(r), r]));
  const b = new Map(after.map((r) => [keyOf(r), r]));
  for (const k of a.keys()) if (!b.has(k)) parts.add('records.missing');
  for (const k of b.keys()) if (!a.has(k)) parts.add('records.extra');
  for (const [k, x] of a) {
    const y = b.get(k);
    if (!y) continue;
    for (const f of new Set([...Object.keys(x.person), ...Object.keys(y.person)])) if (x.person[f] !== y.person[f]) parts.add(`person.${f}`);
    for (const f of ['kind', 'version']) if (x[f] !== y[f]) parts.add(f);
    for (const f of new Set([...Object.keys(x.provenance), ...Object.keys(y.provenance)])) if (f !== 'at' && x.provenance[f] !== y.provenance[f]) parts.add(`provenance.${f}`);
    const ex = JSON.stringify(x.employers ?? []);
    const ey = JSON.stringify(y.employers ?? []);
    if (ex !== ey) parts.add(JSON.stringify((x.employers ?? []).map((e) => e.id)) === JSON.stringify((y.employers ?? []).map((e) => e.id)) ? 'employers.name' : 'employers.id');
    for (const [list, name] of [[[x.contributions, y.contributions], 'contributions'], [[x.account ?? [], y.account ?? []], 'account']] as const) {
      const [p, q] = list;
      if (p.length !== q.length) {
        parts.add(`${name}.count`);
        continue;
      }
      for (let i = 0; i < p.length; i++) {
        for (const f of new Set([...Object.keys(p[i]), ...Object.keys(q[i])])) if (f !== 'at' && p[i][f] !== q[i][f]) parts.add(`${name}.${f}`);
      }
    }
  }
  return parts;
}
