/**
 * Bench: `simulate population | ledger` against `assess` over the same people,
 * in one run, interleaved (A, B, C, D, A, B, …), medians of wall time, CPU and
 * peak RSS (GNU time), printed per person and as ratios to assess.
 *   PEOPLE=20000 ROUNDS=3 pnpm --filter @jiexu/cli bench
 * The issue asks for 1,000,000 people (PEOPLE=1000000): about 21 KB of JSONL a
 * person, so ~21 GB through the pipe; run it on a machine of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const JIEXU = join(ROOT, 'packages/cli/bin/jiexu.mjs');
const INPUTS = join(ROOT, 'examples/ledger/inputs.sample.json');
const PEOPLE = Number(process.env.PEOPLE ?? 20000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

interface Run {
  wall: number;
  cpu: number;
  rssMb: number;
}

function timed(shell: string): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'bash', '-o', 'pipefail', '-c', shell], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${shell}\n${r.stderr.slice(-2000)}`);
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: user + sys, rssMb: rss / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'jiexu-bench-'));
try {
  const pop = join(dir, 'pop.jsonl');
  execFileSync('node', [JIEXU, 'simulate', 'population', '--seed', '1', '--people', String(PEOPLE), '-o', pop, '--inputs', INPUTS], { stdio: 'ignore' });
  const cases: Record<string, string> = {
    'assess (baseline)': `node ${JIEXU} assess ${pop} --json --as-of 2026-01-01 > /dev/null`,
    'ledger, 1 thread': `node ${JIEXU} ledger ${pop} --grouped --inputs ${INPUTS} --json > /dev/null`,
    'ledger, 2 workers': `node ${JIEXU} ledger ${pop} --workers 2 --inputs ${INPUTS} --json > /dev/null`,
    'simulate | ledger, 2 workers': `node ${JIEXU} simulate population --seed 1 --people ${PEOPLE} -o - --parameters ${join(dir, 'p.json')} --inputs ${INPUTS} | node ${JIEXU} ledger - --workers 2 --inputs ${INPUTS} --json > /dev/null`,
  };
  const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < ROUNDS; i++) for (const [name, shell] of Object.entries(cases)) runs[name].push(timed(shell));
  const base = median(runs['assess (baseline)'].map((r) => r.wall));
  console.log(`${PEOPLE} synthetic people, ${ROUNDS} interleaved rounds, medians`);
  for (const [name, list] of Object.entries(runs)) {
    const wall = median(list.map((r) => r.wall));
    const cpu = median(list.map((r) => r.cpu));
    const rss = median(list.map((r) => r.rssMb));
    console.log(`${name.padEnd(30)} ${wall.toFixed(2)} s wall (${((wall / PEOPLE) * 1e6).toFixed(0)} µs/person, ×${(wall / base).toFixed(2)} of assess), CPU/wall ${(cpu / wall).toFixed(2)}, peak RSS ${rss.toFixed(0)} MB`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
