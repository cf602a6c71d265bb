/**
 * Bench: PEOPLE synthetic people (default 1,000,000) through the real command
 * processes, `jiexu simulate population --people PEOPLE -o - | jiexu ledger -`,
 * beside the baseline of `jiexu assess` (and `jiexu ledger`) over a
 * BASE_PEOPLE-person file (default 20,000), in one run, interleaved
 * (assess, ledger, pipe, assess, ledger, pipe, …, assess, ledger), medians.
 * Every process is timed by GNU time on its own: wall, user + system CPU,
 * peak RSS; CPU/wall > 1 means more than one core was used. The load average
 * is printed with every run (the machine is shared).
 *   pnpm --filter @jiexu/cli bench                      # 1,000,000 people, 1 round
 *   PEOPLE=100000 BASE_PEOPLE=10000 ROUNDS=3 pnpm --filter @jiexu/cli bench
 * Runs the built command (dist/, as installed: `pnpm build` first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const JIEXU = join(ROOT, 'packages/cli/dist/bin.js');
const INPUTS = join(ROOT, 'examples/ledger/inputs.sample.json');
const PEOPLE = Number(process.env.PEOPLE ?? 1_000_000);
const BASE_PEOPLE = Number(process.env.BASE_PEOPLE ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 1);

interface Proc {
  wall: number;
  cpu: number;
  rssMb: number;
}
interface Run {
  wall: number;
  cpu: number;
  rssMb: number;
  procs: Proc[];
  load: string;
}

if (!existsSync(JIEXU)) throw new Error(`${JIEXU} is missing: run pnpm build first`);
const dir = mkdtempSync(join(tmpdir(), 'jiexu-bench-'));
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

/** `node dist/bin.js ARGS` under GNU time writing to its own file. */
let n = 0;
function node(args: string): { cmd: string; out: string } {
  const out = join(dir, `time-${n++}.txt`);
  return { cmd: `/usr/bin/time -o ${out} -f '%e %U %S %M' node ${JIEXU} ${args}`, out };
}

function run(parts: Array<{ cmd: string; out: string }>, tail = ' > /dev/null'): Run {
  const before = load();
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', parts.map((p) => p.cmd).join(' | ') + tail], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${parts.map((p) => p.cmd).join(' | ')}\n${r.stderr.slice(-2000)}`);
  const procs = parts.map((p) => {
    const [w, user, sys, rss] = readFileSync(p.out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    return { wall: w, cpu: user + sys, rssMb: rss / 1024 };
  });
  return { wall, cpu: procs.reduce((s, p) => s + p.cpu, 0), rssMb: Math.max(...procs.map((p) => p.rssMb)), procs, load: `${before} → ${load()}` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const base = join(dir, 'base.jsonl');
  execFileSync('node', [JIEXU, 'simulate', 'population', '--seed', '1', '--people', String(BASE_PEOPLE), '-o', base, '--inputs', INPUTS], { stdio: 'ignore' });
  const cases: Record<string, { people: number; parts: () => Array<{ cmd: string; out: string }> }> = {
    [`assess, ${BASE_PEOPLE} people (baseline)`]: { people: BASE_PEOPLE, parts: () => [node(`assess ${base} --json --as-of 2026-01-01`)] },
    [`ledger, ${BASE_PEOPLE} people`]: { people: BASE_PEOPLE, parts: () => [node(`ledger ${base} --inputs ${INPUTS} --json`)] },
    [`simulate | ledger -, ${PEOPLE} people`]: {
      people: PEOPLE,
      parts: () => [node(`simulate population --seed 7 --people ${PEOPLE} -o - --parameters ${join(dir, 'p.json')} --inputs ${INPUTS}`), node(`ledger - --inputs ${INPUTS} --json`)],
    },
  };
  const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const names = Object.keys(cases);
  const once = (name: string) => {
    const r = run(cases[name].parts());
    runs[name].push(r);
    console.log(`  ${name}: ${r.wall.toFixed(1)} s wall, CPU ${r.cpu.toFixed(1)} s, ${r.procs.map((p) => `${p.rssMb.toFixed(0)} MB`).join(' | ')}, load ${r.load}`);
  };
  console.log(`load average at the start: ${load()} (${(await import('node:os')).availableParallelism()} cores)`);
  for (let i = 0; i < ROUNDS; i++) for (const name of names) once(name);
  for (const name of names.slice(0, 2)) once(name); // the baseline once more, after the last pipe
  const assessName = names[0];
  const perPerson = (name: string) => median(runs[name].map((r) => r.wall)) / cases[name].people;
  const baseline = perPerson(assessName);
  console.log(`\n${PEOPLE} people through the pipe, baseline ${BASE_PEOPLE} people, ${ROUNDS} round(s) interleaved, medians`);
  for (const name of names) {
    const list = runs[name];
    const wall = median(list.map((r) => r.wall));
    const cpu = median(list.map((r) => r.cpu));
    const rss = list[0].procs.map((_, k) => median(list.map((r) => r.procs[k].rssMb)).toFixed(0)).join(' | ');
    const pp = perPerson(name);
    console.log(`${name.padEnd(40)} ${wall.toFixed(1)} s wall, ${(pp * 1e6).toFixed(0)} µs/person (×${(pp / baseline).toFixed(2)} of assess), CPU ${cpu.toFixed(1)} s, CPU/wall ${(cpu / wall).toFixed(2)}, peak RSS ${rss} MB`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
