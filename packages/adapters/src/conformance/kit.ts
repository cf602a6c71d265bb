/**
 * The conformance kit as one run, for `jiexu conformance` and for vendors'
 * own tests: every sample round-trips (legacy → canonical → legacy →
 * canonical, equal records, what was written read back through the same
 * framing and checked by the format's rules), then generated records (names
 * from outside the encoding included) do the same. Reproducible: a fixed seed.
 */
import fc from 'fast-check';
import type { Issue } from '@jiexu/standard';
import { getAdapter } from '../adapter.ts';
import { recordsArbitrary } from './generate.ts';
import { roundTripFile, roundTripRecords, type RoundTrip } from './roundtrip.ts';

export interface SampleResult {
  sample: string;
  passed: boolean;
  records: number;
  /** Errors of reading, writing or reading back. */
  errors: Issue[];
  violations: string[];
  /** True when the records read back equal the records written. */
  equal: boolean;
}

export interface ConformanceResult {
  format: string;
  passed: boolean;
  samples: SampleResult[];
  generated: { runs: number; seed: number; passed: boolean; failure?: { records: number; errors: Issue[]; violations: string[]; equal: boolean } };
}

const errorsOf = (rt: RoundTrip): Issue[] => rt.reports.flatMap((r) => r.issues).filter((i) => i.severity === 'error' || i.severity === 'fatal');

export async function runConformance(format: string, samples: string[], opts: { runs?: number; seed?: number } = {}): Promise<ConformanceResult> {
  const mapping = getAdapter(format).mapping;
  const results: SampleResult[] = [];
  for (const sample of samples) {
    const rt = await roundTripFile(format, sample);
    const errors = errorsOf(rt);
    results.push({ sample, passed: rt.equal && !rt.violations.length && !errors.length && rt.after.length === rt.before.length, records: rt.before.length, errors, violations: rt.violations, equal: rt.equal });
  }
  const runs = opts.runs ?? 25;
  const seed = opts.seed ?? 20260301;
  let failure: ConformanceResult['generated']['failure'];
  const outcome = await fc.check(
    fc.asyncProperty(recordsArbitrary(mapping), async (records) => {
      const rt = await roundTripRecords(format, records);
      const errors = errorsOf(rt);
      const ok = rt.equal && !rt.violations.length && !errors.length;
      if (!ok) failure = { records: records.length, errors, violations: rt.violations, equal: rt.equal };
      return ok;
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  const generated = { runs, seed, passed: !outcome.failed, ...(outcome.failed && failure ? { failure } : {}) };
  return { format, passed: results.every((r) => r.passed) && generated.passed, samples: results, generated };
}
