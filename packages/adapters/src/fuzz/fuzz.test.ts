/**
 * The fuzz suite: mutations of every sample of every format (fixed seeds), each
 * read by its format's reader. For each variant: the outcome is one the CLI
 * maps to exit 0, 1 or 2 (never an escaped error, i.e. a stack trace), it
 * finishes within the time and memory limits below, it leaves no temporary
 * file, and when accepted its records equal the original's, or a warning names
 * the changed line, or every changed part is listed as undetectable for the
 * format (classes.ts). Counts per format and kind are printed.
 *
 * Bounded form in `pnpm test`; `pnpm fuzz` (JIEXU_FUZZ=long) runs ten times
 * as many variants per sample.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveTemps } from '../temp.ts';
import { UNDETECTABLE, changedParts } from './classes.ts';
import { LONG, PER_SAMPLE, read, samples, strip, variantsOf, writeVariant, type Outcome } from '../testing/fuzz-samples.ts';

const LIMITS = { timeMs: 15_000, rssMb: 1536 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-fuzz-'));
});
const tally = new Map<string, Record<string, number>>();
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  const rows = [...tally].map(([format, c]) => ({ format, ...c }));
  console.log(`fuzz ${LONG ? '(long)' : '(bounded)'}: variants per format\n${rows.map((r) => JSON.stringify({ ...r, slowestMs: slowest.get(r.format)?.ms, slowestKind: slowest.get(r.format)?.kind })).join('\n')}`);
});
const count = (format: string, key: string): void => {
  const t = tally.get(format) ?? {};
  t[key] = (t[key] ?? 0) + 1;
  tally.set(format, t);
};
/** The slowest variant of each format (its time beside the limit, for a loaded CI machine's report). */
const slowest = new Map<string, { ms: number; kind: string }>();

describe.each(samples)('fuzz $file', (sample) => {
  const { format, source } = sample;
  it(`every variant ends 0/1/2 within limits, leaves nothing, and changes nothing silently`, async () => {
    const original = await read(format, source);
    expect(original.exit).toBe(0);
    const want = JSON.stringify(strip(original.records));
    const n = PER_SAMPLE[format] * (LONG ? 10 : 1);
    const failures: string[] = [];
    const variants = await variantsOf(sample, n, dir);
    for (const [i, v] of variants.entries()) {
      const path = await writeVariant(join(dir, 'variant'), sample, v);
      const started = Date.now();
      let got: Outcome;
      try {
        got = await read(format, path);
      } catch (err) {
        failures.push(`${v.kind} #${i}: escaped error ${(err as Error).stack?.split('\n').slice(0, 3).join(' ')}`);
        count(format, 'escaped');
        continue;
      } finally {
        await rm(path, { recursive: true, force: true });
      }
      const ms = Date.now() - started;
      if (ms > (slowest.get(format)?.ms ?? -1)) slowest.set(format, { ms, kind: `${v.kind} #${i}` });
      const rss = process.memoryUsage().rss / 2 ** 20;
      count(format, 'variants');
      count(format, `exit${got.exit}`);
      if (ms > LIMITS.timeMs) failures.push(`${v.kind} #${i}: ${ms} ms`);
      if (rss > LIMITS.rssMb) failures.push(`${v.kind} #${i}: RSS ${Math.round(rss)} MB`);
      if (liveTemps().length) failures.push(`${v.kind} #${i}: temporary files left: ${liveTemps().join(', ')}`);
      if (got.exit !== 0) continue;
      const same = JSON.stringify(strip(got.records)) === want;
      if (same) {
        count(format, 'accepted-equal');
        continue;
      }
      const named = got.issues.some((x) => x.severity === 'warning' && (v.line === undefined || x.location?.line === undefined || Math.abs(x.location.line - v.line) <= 1));
      if (named) {
        count(format, 'accepted-warned');
        continue;
      }
      const parts = [...changedParts(strip(original.records), strip(got.records))];
      const unlisted = parts.filter((p) => !UNDETECTABLE[format].includes(p));
      if (unlisted.length) failures.push(`${v.kind} #${i} (${v.part ? `${v.part} ` : ''}line ${v.line}): silently changed ${unlisted.join(', ')}`);
      else count(format, `undetectable:${parts.join('+')}`);
    }
    expect(failures).toEqual([]);
  }, LONG ? 3_600_000 : 120_000);
});
