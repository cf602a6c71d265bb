/**
 * The reference formats a regional team added from outside this package, as
 * mapping (and at most small value hooks) only: docs/adapters/<name>/. Each
 * sample converts to canonical and back with equal records, and generated
 * records (names from outside the encoding included) pass the conformance kit.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getAdapter, loadFormats } from './index.ts';
import { recordsArbitrary, roundTripFile, roundTripRecords } from './conformance/index.ts';

const DOCS = new URL('../../../docs/adapters/', import.meta.url);
const REFERENCE = ['ah-dbf', 'sc-json'];

describe.each(REFERENCE)('%s (docs/adapters)', (name) => {
  const dir = new URL(`${name}/`, DOCS);
  const samples = readdirSync(dir).filter((f) => f.startsWith(`${name}-`));

  it('holds no framing code: a mapping, at most small value hooks', () => {
    expect(readdirSync(dir).filter((f) => /^framing\./.test(f))).toEqual([]);
  });

  it.each(samples)('round-trips its sample %s to canonical and back with equal records', async (sample) => {
    await loadFormats([dir]);
    const rt = await roundTripFile(name, fileURLToPath(new URL(sample, dir)));
    expect(rt.reports.flatMap((r) => r.issues).filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
    expect(rt.violations).toEqual([]);
    expect(rt.equal).toBe(true);
    expect(rt.after.length).toBe(rt.before.length);
  });

  it('round-trips generated records and writes them by its rules', async () => {
    await loadFormats([dir]);
    await fc.assert(
      fc.asyncProperty(recordsArbitrary(getAdapter(name).mapping), async (records) => {
        const rt = await roundTripRecords(name, records);
        expect(rt.violations).toEqual([]);
        expect(rt.equal).toBe(true);
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
