/**
 * Issue 11's hostile-input goals, measured: a bomb xlsx (1 GiB uncompressed)
 * refused in under 2 s with under 200 MB RSS, gd-xml nested 100,000 deep
 * refused in under 1 s.
 *
 * The inputs are built by the fuzz suite's own builders (src/fuzz/mutations.ts:
 * bombEntries pads the bj-xlsx sample's 缴费明细 sheet with whitespace,
 * deepenXml nests elements inside the gd-xml sample's root) into a temporary
 * folder, removed at the end. Each run is its own process (bench/hostile-run.ts),
 * interleaved with a least-work baseline over the same bytes: for the bomb,
 * opening the zip and listing its directory (what any reader must do before it
 * can refuse, nothing inflated); for the deep file, saxes over every byte with
 * no check. Medians of --reps runs (default 3).
 *
 * Time is taken inside the run, from the decode's start to its end (modules
 * loaded: node and tsx start-up is the same for any command and not the
 * reader's); the whole process's wall time is printed beside it. RSS is the
 * whole process's peak, start-up included.
 *
 *   pnpm --filter @jiexu/adapters bench:hostile [--reps 3] [--bomb-mib 1024] [--depth 100000]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bombEntries, deepenXml } from '../src/fuzz/mutations.ts';
import { readZip, writeZip } from '../src/testing/zip.ts';

const { values: args } = parseArgs({ options: { reps: { type: 'string', default: '3' }, 'bomb-mib': { type: 'string', default: '1024' }, depth: { type: 'string', default: '100000' } } });
const REPS = Number(args.reps);
const BOMB = Number(args['bomb-mib']) << 20;
const DEPTH = Number(args.depth);

interface Run { ms: number; cpu: number; rss: number; fatal: string[]; records: number; wall: number }
const RUN = fileURLToPath(new URL('./hostile-run.ts', import.meta.url));
const FIXTURES = new URL('../src/__fixtures__/', import.meta.url);
const run = (...argv: string[]): Run => {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['--conditions=@jiexu/source', '--import', 'tsx', RUN, ...argv], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return { ...(JSON.parse(out.trim().split('\n').pop()!) as Omit<Run, 'wall'>), wall: performance.now() - t0 };
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

interface Case {
  name: string;
  file: string;
  format: string;
  baseline: { mode: string; what: string };
  /** The fatal codes any of which is the expected refusal. */
  refusal: string[];
  goal: { ms: number; rss?: number; text: string };
}

const dir = await mkdtemp(join(tmpdir(), 'jiexu-bench-hostile-'));
let failed = false;
try {
  console.log(`hostile input against least-work baselines: ${REPS} runs each interleaved, medians; load average ${load()} on ${availableParallelism()} cores${loadavg()[0] > availableParallelism() ? ' (overloaded: wall times inflated, cpu is the steadier figure)' : ''}`);
  const bomb = join(dir, 'bomb.xlsx');
  const entries = await readZip(fileURLToPath(new URL('bj-xlsx-110000.xlsx', FIXTURES)));
  await writeFile(bomb, writeZip(bombEntries(entries, BOMB, /worksheets\/sheet2\.xml$/)));
  const deep = join(dir, 'deep.xml');
  await writeFile(deep, deepenXml(await readFile(new URL('gd-xml-440300.xml', FIXTURES)), DEPTH).bytes);
  const cases: Case[] = [
    { name: `bj-xlsx bomb: ${(BOMB / 2 ** 30).toFixed(2)} GiB of whitespace in 缴费明细`, file: bomb, format: 'bj-xlsx', baseline: { mode: 'zip-directory', what: 'open the zip, list its directory' }, refusal: ['legacy-xlsx-ratio', 'legacy-xlsx-too-large'], goal: { ms: 2000, rss: 200, text: 'under 2 s and 200 MB' } },
    { name: `gd-xml nested ${DEPTH.toLocaleString('en')} deep`, file: deep, format: 'gd-xml', baseline: { mode: 'saxes', what: 'UTF-8 decode, saxes over every byte, no check' }, refusal: ['legacy-xml-too-deep'], goal: { ms: 1000, text: 'under 1 s' } },
  ];
  for (const c of cases) {
    const size = (await stat(c.file)).size;
    const b: Run[] = [];
    const r: Run[] = [];
    for (let i = 0; i < REPS; i++) {
      b.push(run(c.baseline.mode, c.file));
      r.push(run('reader', c.format, c.file));
    }
    for (const x of r) {
      if (x.records !== 0 || !x.fatal.some((f) => c.refusal.includes(f))) throw new Error(`${c.name}: not refused as expected (fatal ${x.fatal.join(', ') || 'none'}, ${x.records} records)`);
    }
    const [bm, rm_, bw, rw, bc, rc] = [median(b.map((x) => x.ms)), median(r.map((x) => x.ms)), median(b.map((x) => x.wall)), median(r.map((x) => x.wall)), median(b.map((x) => x.cpu)), median(r.map((x) => x.cpu))];
    const [brss, rrss] = [Math.max(...b.map((x) => x.rss)), Math.max(...r.map((x) => x.rss))];
    const met = rm_ < c.goal.ms && (c.goal.rss === undefined || rrss < c.goal.rss);
    failed ||= !met;
    console.log(`${c.name} (${(size / 2 ** 20).toFixed(1)} MiB on disk; load ${load()})`);
    console.log(`  least work (${c.baseline.what}): ${s(bm)} (process ${s(bw)}), cpu ${s(bc)}, peak RSS ${brss.toFixed(0)} MB`);
    console.log(`  reader, refused (${[...new Set(r.flatMap((x) => x.fatal))].join(', ')}): ${s(rm_)} (process ${s(rw)}), cpu ${s(rc)}, peak RSS ${rrss.toFixed(0)} MB`);
    console.log(`  ratio ${(rm_ / bm).toFixed(2)}× the least work's time, ${(rrss / brss).toFixed(2)}× its peak RSS; goal ${c.goal.text}: ${met ? 'met' : 'NOT met'}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
