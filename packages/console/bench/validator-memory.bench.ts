/**
 * The validator's memory bench (not a test): the peak resident memory (VmHWM) of the browser's
 * renderer processes while the page reads a 100,000-row ln-jb export, against their RSS before the
 * read — a fresh browser for each read, this bundle and (JIEXU_BENCH_BASELINE=<bundle dir>, see
 * README) an earlier one in alternation (A, B, A, B …), medians. Linux only (/proc).
 *
 *   pnpm --filter @jiexu/console bench:memory
 *   (JIEXU_BENCH_ROWS, JIEXU_BENCH_RUNS to change)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLnJbExport } from '../src/testing/big-export.ts';
import { ensureBundle, launchBrowser, openPage, startServe, type Served } from '../src/testing/browser.ts';
import { readInBrowser, validatorReady } from '../src/testing/validator-page.ts';

const ROWS = Number(process.env.JIEXU_BENCH_ROWS ?? 100_000);
const RUNS = Number(process.env.JIEXU_BENCH_RUNS ?? 3);
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

/** The processes under `pid` (children, their children …), from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, parent] of parents) if (parent === p) out.push(child), queue.push(child);
  }
  return out;
}

function statusKib(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  try {
    return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const renderers = () => descendants(process.pid).filter((p) => {
  try {
    return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--type=renderer');
  } catch {
    return false;
  }
});

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const bundles: Record<string, string> = { current: ensureBundle() };
if (process.env.JIEXU_BENCH_BASELINE) bundles.baseline = process.env.JIEXU_BENCH_BASELINE;
const work = mkdtempSync(join(tmpdir(), 'jiexu-validator-memory-'));
const file = join(work, 'ln-jb-210100-large.txt');
const written = writeLnJbExport(file, ROWS);
console.log(`input: ${written} rows, ${mib(statSync(file).size / 1024)}; ${RUNS} fresh browsers per bundle; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

const served: Record<string, Served> = {};
for (const [name, dir] of Object.entries(bundles)) served[name] = await startServe({ args: ['--console-dir', dir] });
const grew: Record<string, number[]> = Object.fromEntries(Object.keys(bundles).map((k) => [k, []]));
const peaks: Record<string, number[]> = Object.fromEntries(Object.keys(bundles).map((k) => [k, []]));
try {
  for (let i = 0; i < RUNS; i++) {
    for (const name of Object.keys(bundles)) {
      const browser = await launchBrowser();
      try {
        const { page } = await openPage(browser, `${served[name]!.consoleUrl}#/validator`);
        await validatorReady(page);
        const before = renderers().reduce((n, p) => n + statusKib(p, 'VmRSS'), 0);
        const r = await readInBrowser(page, file, 'ln-jb');
        if (r.verdict !== 'valid') throw new Error(`unexpected verdict ${r.verdict}`);
        const peak = renderers().reduce((n, p) => n + statusKib(p, 'VmHWM'), 0);
        peaks[name]!.push(peak);
        grew[name]!.push(peak - before);
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  for (const s of Object.values(served)) await s.stop();
  rmSync(work, { recursive: true, force: true });
}
for (const name of Object.keys(bundles)) {
  console.log(`${name} (${bundles[name]}): renderer peak RSS ${mib(median(peaks[name]!))}, grown during the read by ${mib(median(grew[name]!))} (runs: ${grew[name]!.map(mib).join(', ')})`);
}
if (bundles.baseline) console.log(`growth current / baseline = ${(median(grew.current!) / median(grew.baseline!)).toFixed(2)}×`);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
