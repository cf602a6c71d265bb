/**
 * Every format passes the conformance kit: its fixtures and generated records
 * round-trip, and what it writes follows its rules.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '@jiexu/standard';
import { formats, getAdapter } from './index.ts';
import { recordsArbitrary, roundTripFile, roundTripRecords } from './conformance/index.ts';
import { FIXTURES_DIR } from './testing/expected.ts';

const fixtures = readdirSync(FIXTURES_DIR).filter((f) => !f.startsWith('bad-'));

describe.each(formats.map((f) => f.name))('%s', (format) => {
  const own = fixtures.filter((f) => f.startsWith(`${format}-`));

  it('has fixtures', () => {
    expect(own.length).toBeGreaterThan(0);
  });

  it.each(own)('round-trips %s (legacy → canonical → legacy → canonical) and writes by the rules', async (file) => {
    const rt = await roundTripFile(format, fileURLToPath(new URL(file, FIXTURES_DIR)));
    expect(rt.reports.flatMap((r) => r.issues).filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
    expect(rt.violations).toEqual([]);
    expect(rt.equal).toBe(true);
    expect(rt.after.length).toBe(rt.before.length);
  });

  it('round-trips generated records within its limits and writes them by the rules', async () => {
    const runs = getAdapter(format).mapping.framing.kind === 'spreadsheet' ? 8 : 30;
    await fc.assert(
      fc.asyncProperty(recordsArbitrary(getAdapter(format).mapping), async (records) => {
        for (const r of records) expect(validateRecord(r).issues.filter((i) => i.severity === 'error')).toEqual([]);
        const rt = await roundTripRecords(format, records);
        expect(rt.reports.flatMap((r) => r.issues).filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
        expect(rt.violations).toEqual([]);
        expect(rt.equal).toBe(true);
      }),
      { numRuns: runs },
    );
  }, 300_000);
});
