/**
 * Issue 11's hostile-input goals, measured on the path a user runs: a bomb
 * xlsx (1 GiB uncompressed) refused in under 2 s with under 200 MB RSS, gd-xml
 * nested 100,000 deep refused in under 1 s, each by the built CLI
 * (packages/cli/dist/bin.js, plain JavaScript: run `pnpm build` first) as its
 * own process: `jiexu convert --from <format> <file> --to canonical -o …` and
 * `jiexu validate --format <format> <file>`, which must exit 1 naming the
 * refusal's issue code.
 *
 * Each figure is one whole process, from spawn to exit: wall time, CPU
 * (user + sys) and peak RSS, taken by GNU time (/usr/bin/time -f). Beside them,
 * in the same run and interleaved with them (A, B, C, D, A, B, …): Node's own
 * start-up (`node -e ''`), and the least work over the same bytes as a plain
 * JavaScript process (bench/hostile-baseline.mjs): for the bomb, opening the
 * zip and listing its directory (what any reader must do before it can refuse,
 * nothing inflated); for the deep file, saxes over every byte with no check.
 * Medians of --reps runs (default 5); RSS the largest.
 *
 * The inputs are built by the fuzz suite's own builders (src/fuzz/mutations.ts:
 * bombEntries pads the bj-xlsx sample's 缴费明细 sheet with whitespace,
 * deepenXml nests elements inside the gd-xml sample's root) into a temporary
 * folder, removed at the end. Exit 1 when a goal is not met by wall time.
 *
 *   pnpm build && pnpm --filter @jiexu/adapters bench:hostile [--reps 5] [--bomb-mib 1024] [--depth 100000] [--cli path/to/bin.js]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bombEntries, deepenXml } from '../src/fuzz/mutations.ts';
import { readZip, writeZip } from '../src/testing/zip.ts';

const { values: args } = parseArgs({ options: { cli: { type: 'string' }, reps: { type: 'string', default: '5' }, 'bomb-mib': { type: 'string', default: '1024' }, depth: { type: 'string', default: '100000' } } });
const REPS = Number(args.reps);
const BOMB = Number(args['bomb-mib']) << 20;
const DEPTH = Number(args.depth);

/** The built CLI (--cli: another build's bin.js, to compare two builds). */
const CLI = args.cli ?? fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const BASELINE = fileURLToPath(new URL('./hostile-baseline.mjs', import.meta.url));
const FIXTURES = new URL('../src/__fixtures__/', import.meta.url);
const TIME = '/usr/bin/time';
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm build first (the bench measures the built CLI)`);
if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is missing: it takes each process's peak RSS`);

/** One process's figures; `said` its stdout and stderr (validate reports on stdout, convert on stderr). */
interface Run { wall: number; cpu: number; rss: number; code: number; said: string }
/** One process, spawn to exit; cpu and peak RSS of the child from GNU time (its last stderr line). */
function run(argv: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(TIME, ['-f', '@@time %U %S %M', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: 'C' } });
  const wall = performance.now() - t0;
  const lines = r.stderr.trimEnd().split('\n');
  const m = /^@@time ([\d.]+) ([\d.]+) (\d+)$/.exec(lines.pop() ?? '');
  if (!m) throw new Error(`no figures from ${TIME}: ${r.stderr.slice(-300)}`);
  // GNU time reports "Command exited with non-zero status N" on the line before its own
  const stderr = lines.filter((l) => !l.startsWith('Command exited with non-zero status')).join('\n');
  return { wall, cpu: (Number(m[1]) + Number(m[2])) * 1000, rss: Number(m[3]) / 1024, code: r.status ?? -1, said: `${r.stdout}${stderr}` };
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

interface Subject { label: string; argv: string[]; refusal?: string[] }
interface Case {
  name: string;
  file: string;
  subjects: Subject[];
  goal: { ms: number; rss?: number; text: string };
}

const dir = await mkdtemp(join(tmpdir(), 'jiexu-bench-hostile-'));
let failed = false;
try {
  const cores = availableParallelism();
  console.log(`hostile input through the built CLI ${CLI} (whole processes, spawn to exit), beside node start-up and the least work, ${REPS} runs each interleaved, medians; load average ${load()} on ${cores} cores${loadavg()[0] > cores ? ' (overloaded: wall times inflated, cpu is the steadier figure)' : ''}`);
  const bomb = join(dir, 'bomb.xlsx');
  const entries = await readZip(fileURLToPath(new URL('bj-xlsx-110000.xlsx', FIXTURES)));
  await writeFile(bomb, writeZip(bombEntries(entries, BOMB, /worksheets\/sheet2\.xml$/)));
  const deep = join(dir, 'deep.xml');
  await writeFile(deep, deepenXml(await readFile(new URL('gd-xml-440300.xml', FIXTURES)), DEPTH).bytes);
  await mkdir(join(dir, 'out'));
  const out = join(dir, 'out', 'records.jsonl');
  const cli = (file: string, format: string, refusal: string[]): Subject[] => [
    { label: `jiexu convert --from ${format} … --to canonical`, argv: [CLI, 'convert', '--from', format, file, '--to', 'canonical', '-o', out], refusal },
    { label: `jiexu validate --format ${format} …`, argv: [CLI, 'validate', '--format', format, file], refusal },
  ];
  const cases: Case[] = [
    {
      name: `bj-xlsx bomb: ${(BOMB / 2 ** 30).toFixed(2)} GiB of whitespace in 缴费明细`,
      file: bomb,
      subjects: [{ label: "node -e '' (start-up)", argv: ['-e', ''] }, { label: 'least work: open the zip, list its directory', argv: [BASELINE, 'zip-directory', bomb] }, ...cli(bomb, 'bj-xlsx', ['legacy-xlsx-ratio', 'legacy-xlsx-too-large'])],
      goal: { ms: 2000, rss: 200, text: 'under 2 s and 200 MB' },
    },
    {
      name: `gd-xml nested ${DEPTH.toLocaleString('en')} deep`,
      file: deep,
      subjects: [{ label: "node -e '' (start-up)", argv: ['-e', ''] }, { label: 'least work: UTF-8 decode, saxes over every byte, no check', argv: [BASELINE, 'saxes', deep] }, ...cli(deep, 'gd-xml', ['legacy-xml-too-deep'])],
      goal: { ms: 1000, text: 'under 1 s' },
    },
  ];
  for (const c of cases) {
    const size = (await stat(c.file)).size;
    const runs: Run[][] = c.subjects.map(() => []);
    for (let i = 0; i < REPS; i++) {
      for (const [k, subject] of c.subjects.entries()) {
        const r = run(subject.argv);
        if (subject.refusal) {
          if (r.code !== 1 || !subject.refusal.some((code) => r.said.includes(code))) throw new Error(`${subject.label}: not refused as expected (exit ${r.code}): ${r.said.slice(0, 400)}`);
        } else if (r.code !== 0) throw new Error(`${subject.label}: exit ${r.code}: ${r.said.slice(0, 400)}`);
        runs[k].push(r);
      }
    }
    const fig = runs.map((rs) => ({ wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)), rss: Math.max(...rs.map((r) => r.rss)) }));
    const [startup, least] = fig;
    console.log(`${c.name} (${(size / 2 ** 20).toFixed(1)} MiB on disk; load ${load()})`);
    for (const [k, subject] of c.subjects.entries()) {
      const f = fig[k];
      const codes = subject.refusal ? ` refused (${subject.refusal.filter((code) => runs[k].some((r) => r.said.includes(code))).join(', ')}, exit 1)` : '';
      const ratio = k >= 2 ? `; ${(f.wall / least.wall).toFixed(2)}× the least work's wall, ${(f.cpu / least.cpu).toFixed(2)}× its cpu, ${(f.cpu / startup.cpu).toFixed(2)}× node start-up's cpu` : k === 1 ? `; ${(f.cpu / startup.cpu).toFixed(2)}× node start-up's cpu` : '';
      console.log(`  ${subject.label}${codes}: wall ${s(f.wall)}, cpu ${s(f.cpu)}, peak RSS ${f.rss.toFixed(0)} MB${ratio}`);
    }
    for (const [k, subject] of c.subjects.entries()) {
      if (!subject.refusal) continue;
      const f = fig[k];
      const met = f.wall < c.goal.ms && (c.goal.rss === undefined || f.rss < c.goal.rss);
      failed ||= !met;
      console.log(`  goal ${c.goal.text} (${subject.label.split(' ')[1]}): ${met ? 'met' : 'NOT met'} (wall ${s(f.wall)}, cpu ${s(f.cpu)}, ${f.rss.toFixed(0)} MB)`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
