/**
 * A sixth format is one mapping file and its fixtures, no framework change:
 * the worked example of docs/adapters.md (docs/adapters/hb-tsv) is added at run
 * time and passes the same conformance kit as the five reference formats.
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFormat, detectFormat, formats, getAdapter, readRecords } from './index.ts';
import { recordsArbitrary, roundTripFile, roundTripRecords } from './conformance/index.ts';
import { FIXTURES_DIR, figuresOf } from './testing/expected.ts';

const DIR = new URL('../../../docs/adapters/hb-tsv/', import.meta.url);
const sample = fileURLToPath(new URL('hb-tsv-420100.tsv', DIR));

describe('the worked example hb-tsv', () => {
  addFormat(DIR);

  it('is listed and detected by content', async () => {
    expect(formats.map((f) => f.name)).toContain('hb-tsv');
    expect(await detectFormat(sample)).toBe('hb-tsv');
  });

  it('reads its sample (made from jx-fixed-360100.txt, moved to region 420100): the same months and sums', async () => {
    const { records, report } = await readRecords(sample);
    expect(report.issues).toEqual([]);
    const source = await readRecords(fileURLToPath(new URL('jx-fixed-360100.txt', FIXTURES_DIR)));
    expect(figuresOf(records)).toEqual(figuresOf(source.records));
    expect(new Set(records.map((r) => r.region))).toEqual(new Set(['420100']));
  });

  it('passes the conformance kit', async () => {
    const rt = await roundTripFile('hb-tsv', sample);
    expect(rt.violations).toEqual([]);
    expect(rt.equal).toBe(true);
    await fc.assert(
      fc.asyncProperty(recordsArbitrary(getAdapter('hb-tsv').mapping), async (records) => {
        const r = await roundTripRecords('hb-tsv', records);
        expect(r.violations).toEqual([]);
        expect(r.equal).toBe(true);
      }),
      { numRuns: 20 },
    );
  }, 300_000);
});
