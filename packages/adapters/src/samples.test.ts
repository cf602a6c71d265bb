/**
 * Every sample export decodes to the figures expected.json states, directly
 * and after conversion to zj-csv; every person's attributes come through as
 * the format carries them. Expectations come from expected.json only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRecord } from '@jiexu/standard';
import { getAdapter, readRecords, writeRecords } from './index.ts';
import { allFields } from './mapping.ts';
import { FIXTURES_DIR, accountsOf, expectedAccounts, expectedFigures, figuresOf, loadExpected } from './testing/expected.ts';

const expected = loadExpected();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-samples-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(expected.files)('$file ($format, $region)', ({ file, format, region }) => {
  const path = fileURLToPath(new URL(file, FIXTURES_DIR));
  const mapping = getAdapter(format).mapping;
  const carries = new Set(allFields(mapping).map((f) => f.as));

  it('decodes to the figures of expected.json, valid canonical records', async () => {
    const { records, report } = await readRecords(path);
    expect(report.issues.filter((i) => i.severity !== 'warning')).toEqual([]);
    expect(report.valid).toBe(true);
    expect(new Set(records.map((r) => r.region))).toEqual(new Set([region]));
    expect(Object.fromEntries(figuresOf(records))).toEqual(Object.fromEntries(expectedFigures(expected, region)));
    if (mapping.accounts) expect(Object.fromEntries(accountsOf(records))).toEqual(Object.fromEntries(expectedAccounts(expected, region)));
    for (const r of records) expect(validateRecord(r).issues).toEqual([]);
  });

  it("carries each person's attributes as the format has them; damaged names flagged, never used as names", async () => {
    const { records, report } = await readRecords(path, { format });
    for (const r of records) {
      const p = expected.people.find((x) => x.id === r.person.id)!;
      expect(r.person.gender).toBe(p.gender);
      if (p.damagedNameIn.includes(region)) {
        expect(r.person.name).toBeUndefined();
        expect(r.person.damagedName).toMatch(/\?/);
        expect(report.issues.some((i) => i.code === 'legacy-name-damaged' && i.severity === 'warning' && i.location?.line !== undefined && i.value === r.person.damagedName)).toBe(true);
      } else {
        expect(r.person.name).toBe(p.name);
        expect(r.person.damagedName).toBeUndefined();
      }
      if (carries.has('person.birthDate')) expect(r.person.birthDate).toBe(p.birth);
      if (carries.has('person.hukouRegion')) expect(r.person.hukouRegion).toBe(p.hukouInExports ? p.hukou : undefined);
    }
    expect(report.issues.filter((i) => i.code === 'legacy-name-damaged').length).toBe(expected.people.filter((p) => p.damagedNameIn.includes(region) && p.perScheme['110']?.[region]).length);
  });

  it('converts to zj-csv with the same figures', async () => {
    const { records } = await readRecords(path);
    const out = join(dir, `${file}.csv`);
    const { report } = await writeRecords(records, 'zj-csv', out);
    expect(report.valid).toBe(true);
    const back = await readRecords(out, { format: 'zj-csv' });
    expect(back.report.valid).toBe(true);
    expect(Object.fromEntries(figuresOf(back.records))).toEqual(Object.fromEntries(expectedFigures(expected, region)));
  });
});
