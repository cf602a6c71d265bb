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
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError, addFormat, decode, formats, getAdapter, type ContributionRecord } from '../index.ts';
import { liveTemps } from '../temp.ts';
import { FIXTURES_DIR } from '../testing/expected.ts';
import { readZip } from '../testing/zip.ts';
import { mutateWorkbook } from '../testing/workbook.ts';
import { textMutations, zipMutations, type Variant } from './mutations.ts';
import { UNDETECTABLE, changedParts } from './classes.ts';

const LONG = process.env.JIEXU_FUZZ === 'long';
/** Variants per sample (8 samples). */
const PER_SAMPLE: Record<string, number> = { 'jx-fixed': 100, 'ln-jb': 60, 'zj-csv': 100, 'gd-xml': 100, 'bj-xlsx': 30, 'hb-tsv': 100 };
const LIMITS = { timeMs: 15_000, rssMb: 1536 };

/** The built-in formats' samples, and the format declared outside the package (docs/adapters/hb-tsv) with its own. */
const OUTSIDE = new URL('../../../../docs/adapters/hb-tsv/', import.meta.url);
if (!formats.some((f) => f.name === 'hb-tsv')) addFormat(OUTSIDE);
const samples = [
  ...readdirSync(fileURLToPath(FIXTURES_DIR)).map((file) => ({ file, format: file.replace(/-\d{6}\.\w+$/, ''), source: fileURLToPath(new URL(file, FIXTURES_DIR)) })),
  { file: 'hb-tsv-420100.tsv', format: 'hb-tsv', source: fileURLToPath(new URL('hb-tsv-420100.tsv', OUTSIDE)) },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-fuzz-'));
});
const tally = new Map<string, Record<string, number>>();
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  const rows = [...tally].map(([format, c]) => ({ format, ...c }));
  console.log(`fuzz ${LONG ? '(long)' : '(bounded)'}: variants per format\n${rows.map((r) => JSON.stringify(r)).join('\n')}`);
});
const count = (format: string, key: string): void => {
  const t = tally.get(format) ?? {};
  t[key] = (t[key] ?? 0) + 1;
  tally.set(format, t);
};

type Outcome = { exit: 0 | 1 | 2; records: ContributionRecord[]; issues: { severity: string; code: string; location?: { line?: number } }[] };

async function read(format: string, path: string): Promise<Outcome> {
  const d = decode(format, path);
  const records: ContributionRecord[] = [];
  try {
    for await (const r of d) records.push(r);
  } catch (err) {
    if (err instanceof AdapterError) return { exit: 2, records, issues: [] };
    throw err; // an escaped error: the CLI would print "internal error" — a failure of the suite
  }
  return { exit: d.report.valid ? 0 : 1, records, issues: d.report.issues };
}

/** Records without positions, in a fixed order, employers by identifier (neither order is data). */
const strip = (records: ContributionRecord[]) =>
  records
    .map((r) => {
      const { at: _at, ...provenance } = r.provenance;
      return {
        ...r,
        provenance,
        ...(r.employers ? { employers: [...r.employers].sort((a, b) => a.id.localeCompare(b.id)) } : {}),
        contributions: r.contributions.map(({ at: _a, ...c }) => c),
        ...(r.account ? { account: r.account.map(({ at: _b, ...a }: { at?: unknown }) => a) } : {}),
      };
    })
    .sort((a, b) => `${a.person.id}|${a.scheme}|${a.region}`.localeCompare(`${b.person.id}|${b.scheme}|${b.region}`)) as never[];

async function variantsOf(format: string, file: string, bytes: Buffer, n: number, seed: number): Promise<Variant[]> {
  if (format !== 'bj-xlsx') return textMutations(bytes, getAdapter(format).mapping, n, seed);
  const source = fileURLToPath(new URL(file, FIXTURES_DIR));
  const out = zipMutations(bytes, await readZip(source), n - 1, seed);
  const formula = join(dir, `formula-${seed}.xlsx`);
  await mutateWorkbook(source, formula, (wb) => {
    wb.getWorksheet('缴费明细')!.getCell('F2').value = { formula: 'E2*0.14', result: 1 } as never;
  });
  out.push({ kind: 'formula-cell', bytes: await readFile(formula) });
  return out;
}

describe.each(samples)('fuzz $file', ({ file, format, source }) => {
  it(`every variant ends 0/1/2 within limits, leaves nothing, and changes nothing silently`, async () => {
    const bytes = await readFile(source);
    const original = await read(format, source);
    expect(original.exit).toBe(0);
    const want = JSON.stringify(strip(original.records));
    const n = PER_SAMPLE[format] * (LONG ? 10 : 1);
    const seed = [...file].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 11);
    const failures: string[] = [];
    const variants = await variantsOf(format, file, bytes, n, seed);
    for (const [i, v] of variants.entries()) {
      const path = join(dir, 'variant', file); // the sample's own name: provenance.file is compared too
      await mkdir(join(dir, 'variant'), { recursive: true });
      await writeFile(path, v.bytes);
      const started = Date.now();
      let got: Outcome;
      try {
        got = await read(format, path);
      } catch (err) {
        failures.push(`${v.kind} #${i}: escaped error ${(err as Error).stack?.split('\n').slice(0, 3).join(' ')}`);
        count(format, 'escaped');
        continue;
      } finally {
        await rm(path, { force: true });
      }
      const ms = Date.now() - started;
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
      if (unlisted.length) failures.push(`${v.kind} #${i} (line ${v.line}): silently changed ${unlisted.join(', ')}`);
      else count(format, `undetectable:${parts.join('+')}`);
    }
    expect(failures).toEqual([]);
  }, LONG ? 3_600_000 : 120_000);
});
