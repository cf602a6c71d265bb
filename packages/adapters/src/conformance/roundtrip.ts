/** Round trips of the conformance kit: records written and read back through a format must come back equal. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Report } from '@jiexu/standard';
import { getAdapter, readRecords, writeRecords } from '../adapter.ts';
import { representable } from '../encoding.ts';
import type { Mapping } from '../mapping.ts';
import type { ContributionRecord } from '../record.ts';
import { checkEncoded } from './rules.ts';


/** What a record says about the person's contributions, without where it was read from. */
export function essence(r: ContributionRecord): unknown {
  const strip = <T extends { at?: unknown }>(x: T): Omit<T, 'at'> => {
    const { at: _at, ...rest } = x;
    return rest;
  };
  return {
    person: r.person,
    region: r.region,
    scheme: r.scheme,
    employers: r.employers ?? [],
    contributions: [...r.contributions].sort((a, b) => a.month.localeCompare(b.month)).map(strip),
    account: (r.account ?? []).map(strip),
  };
}

export function essences(records: ContributionRecord[]): unknown[] {
  return records.map(essence).sort((a, b) => {
    const ka = JSON.stringify([(a as { person: { id: string } }).person.id, (a as { scheme: string }).scheme]);
    const kb = JSON.stringify([(b as { person: { id: string } }).person.id, (b as { scheme: string }).scheme]);
    return ka.localeCompare(kb);
  });
}

export interface RoundTrip {
  /** True when the records read back equal the records written (and every step was valid). */
  equal: boolean;
  /** Rule violations in the encoded file. */
  violations: string[];
  reports: Report[];
  before: ContributionRecord[];
  after: ContributionRecord[];
}

/**
 * A record as a conforming writer of the mapping leaves it: a name holding a
 * character neither the encoding nor the format's character table holds is
 * written damaged (`?`) and reads back as damagedName.
 */
export function asWritten(r: ContributionRecord, mapping: Mapping): ContributionRecord {
  const name = r.person.name;
  if (name === undefined) return r;
  const shown = representable(name, mapping);
  if (shown === name) return r;
  const { name: _name, ...person } = r.person;
  return { ...r, person: { ...person, damagedName: shown } };
}

const FIXED_TIME = '2026-03-01T10:00:00+08:00';

/** Encodes records, checks the file against the rules, decodes it again. */
export async function roundTripRecords(format: string, records: ContributionRecord[]): Promise<RoundTrip> {
  const mapping = getAdapter(format).mapping;
  const dir = await mkdtemp(join(tmpdir(), 'jiexu-conformance-'));
  try {
    const out = join(dir, `out${format}`);
    const written = await writeRecords(records, format, out, { exportedAt: FIXED_TIME });
    if (!written.report.valid) return { equal: false, violations: [], reports: [written.report], before: records, after: [] };
    const violations = await checkEncoded(format, out);
    const expected = records.map((r) => asWritten(r, mapping));
    const damaged = records.filter((r, i) => r.person.name !== undefined && expected[i].person.damagedName !== undefined).length;
    const warned = written.report.issues.filter((x) => x.code === 'legacy-name-damaged').length;
    if (warned < damaged) violations.push(`${damaged} names hold characters the format cannot write, but only ${warned} legacy-name-damaged warnings were given`);
    const back = await readRecords(out, { format });
    const equal = back.report.valid && isDeepStrictEqual(essences(expected), essences(back.records));
    return { equal, violations, reports: [written.report, back.report], before: records, after: back.records };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** legacy → canonical → legacy → canonical: the two canonical readings must be equal. */
export async function roundTripFile(format: string, path: string): Promise<RoundTrip> {
  const first = await readRecords(path, { format });
  if (!first.report.valid) return { equal: false, violations: [], reports: [first.report], before: first.records, after: [] };
  const rt = await roundTripRecords(format, first.records);
  return { ...rt, reports: [first.report, ...rt.reports] };
}
