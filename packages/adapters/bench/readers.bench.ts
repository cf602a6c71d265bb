/**
 * Every reference reader against its least-work reader (bench/readers/
 * baselines.ts: the same parser over the same bytes, every field touched,
 * nothing converted, checked or assembled), issue 11's goal: each ≤ 1.2× at
 * 1M rows, and peak RSS at 2M rows within 10% of 1M.
 *
 * Files are written by the adapters' own writers into a temporary folder
 * (removed at the end, also on failure). Each run is its own process (so its
 * peak RSS is its own), interleaved baseline, reader, baseline, reader …
 * (--reps, default 2), medians. The ratio is taken on CPU time (user +
 * system of the run: steadier than wall time on the shared machine) and also
 * printed on wall time.
 *
 *   pnpm --filter @jiexu/adapters bench:readers [--rows 1000000] [--formats jx-fixed,ln-jb] [--reps 2] [--no-scale]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXTENSIONS, READERS, generate } from './readers/generate.ts';
import { BASELINES } from './readers/baselines.ts';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, formats: { type: 'string' }, reps: { type: 'string', default: '2' }, 'no-scale': { type: 'boolean', default: false } } });
const ROWS = Number(args.rows);
const REPS = Number(args.reps);
const FORMATS = args.formats ? args.formats.split(',') : READERS;

interface Run { ms: number; cpu: number; rss: number; n: number }
const RUN = fileURLToPath(new URL('./reader-run.ts', import.meta.url));
const run = (mode: string, format: string, file: string): Run =>
  JSON.parse(execFileSync(process.execPath, ['--conditions=@jiexu/source', '--import', 'tsx', RUN, mode, format, file], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').pop()!) as Run;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
const mb = (x: number): string => `${x.toFixed(0)} MB`;

const dir = await mkdtemp(join(tmpdir(), 'jiexu-bench-readers-'));
try {
  console.log(`readers against least-work readers: ${ROWS.toLocaleString('en')} rows${args['no-scale'] ? '' : ` (and ${(2 * ROWS).toLocaleString('en')} for RSS)`}, ${REPS} runs each interleaved, medians; load average ${load()}`);
  for (const format of FORMATS) {
    const sizes = args['no-scale'] ? [ROWS] : [ROWS, 2 * ROWS];
    const peak: number[] = [];
    for (const rows of sizes) {
      const file = join(dir, `${format}-${rows}${EXTENSIONS[format]}`);
      const t0 = performance.now();
      await generate(format, file, rows);
      const bytes = (await stat(file)).size;
      const b: Run[] = [];
      const r: Run[] = [];
      for (let i = 0; i < REPS; i++) {
        b.push(run('baseline', format, file));
        r.push(run('reader', format, file));
      }
      for (const x of [...b, ...r]) if (x.n !== rows) throw new Error(`${format}: ${x.n} rows read, ${rows} written`);
      await rm(file, { force: true });
      const [bc, rc, bw, rw] = [median(b.map((x) => x.cpu)), median(r.map((x) => x.cpu)), median(b.map((x) => x.ms)), median(r.map((x) => x.ms))];
      peak.push(Math.max(...r.map((x) => x.rss)));
      if (rows !== ROWS) continue;
      console.log(`${format} (${(bytes / 2 ** 20).toFixed(0)} MiB, generated in ${((performance.now() - t0) / 1000).toFixed(0)} s; load ${load()})`);
      console.log(`  least work (${BASELINES[format].what}): cpu ${(bc / 1000).toFixed(2)} s, wall ${(bw / 1000).toFixed(2)} s, ${Math.round(rows / (bw / 1000)).toLocaleString('en')} rows/s, peak RSS ${mb(Math.max(...b.map((x) => x.rss)))}`);
      console.log(`  reader → canonical:   cpu ${(rc / 1000).toFixed(2)} s, wall ${(rw / 1000).toFixed(2)} s, ${Math.round(rows / (rw / 1000)).toLocaleString('en')} rows/s, peak RSS ${mb(peak[0])}`);
      console.log(`  ratio ${(rc / bc).toFixed(2)}× on cpu (${(rw / bw).toFixed(2)}× on wall); goal ≤ 1.2×`);
    }
    if (peak.length === 2) console.log(`  peak RSS ${mb(peak[0])} at ${ROWS.toLocaleString('en')} rows, ${mb(peak[1])} at ${(2 * ROWS).toLocaleString('en')} (${(((peak[1] - peak[0]) / peak[0]) * 100).toFixed(0)}%; goal within 10%)`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
