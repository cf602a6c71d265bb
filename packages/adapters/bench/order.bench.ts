/**
 * Row order: jx-fixed and ln-jb exports of JIEXU_BENCH_ROWS rows (default
 * 1,000,000; 600 months per person) in person order and in month order (every
 * person's rows interleaved), decoded in separate processes so each run's peak
 * RSS is its own, interleaved with a least-work baseline over the same bytes
 * (read and count lines): baseline, person, month, repeated JIEXU_BENCH_REPS
 * times (default 2), medians. Prints time, ratio to the baseline, the month/
 * person ratio and peak RSS. Goal (issue 11): month order within 2× person
 * order, under 512 MB.
 *
 * Files go to a temporary folder, each removed once measured (the folder at
 * the end, also on failure): 10M rows take about 1.2 GB of disk a file.
 * Times are wall and CPU (user + system) medians; peak RSS the runs' maximum.
 *
 * Then, untimed, each order's records and issues are hashed (order-run.ts `hash`)
 * and must be equal (`--skip-check` leaves this out).
 *
 *   pnpm --filter @jiexu/adapters bench:order [--rows 10000000] [--reps 1] [--formats ln-jb] [--skip-check]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { citizenIdCheckChar } from '@jiexu/standard';

const { values: args } = parseArgs({ options: { rows: { type: 'string' }, reps: { type: 'string' }, formats: { type: 'string', default: 'jx-fixed,ln-jb' }, 'skip-check': { type: 'boolean', default: false } } });
const ROWS = Number(args.rows ?? process.env.JIEXU_BENCH_ROWS ?? 1_000_000);
const REPS = Number(args.reps ?? process.env.JIEXU_BENCH_REPS ?? 2);
const FORMATS = args.formats.split(',');
const PER = 600;
const persons = Math.ceil(ROWS / PER);
const ids = Array.from({ length: persons }, (_, p) => {
  const first17 = `210102${1960 + (Math.floor(p / 1000) % 40)}0101${String(p % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
});
const months = Array.from({ length: PER }, (_, m) => `${1976 + Math.floor(m / 12)}${String(1 + (m % 12)).padStart(2, '0')}`);
const orders = {
  person: function* () {
    for (const id of ids) for (const m of months) yield [id, m] as const;
  },
  month: function* () {
    for (const m of months) for (const id of ids) yield [id, m] as const;
  },
};

async function write(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  let buf: string[] = [];
  for (const l of lines) {
    buf.push(l);
    if (buf.length >= 4096) {
      if (!out.write(buf.join(''))) await once(out, 'drain');
      buf = [];
    }
  }
  out.end(buf.join(''));
  await once(out, 'finish');
}

const gender = (id: string): string => (Number(id[16]) % 2 ? '1' : '2');
function* lnJb(order: keyof typeof orders): Generator<string> {
  yield 'AAC002|AAC003|AAC004|AAB001|AAB301|AAE140|AAE002|AAE180|DWJF|GRJF|AAE114\n';
  for (const [id, m] of orders[order]()) yield `${id}|Zhang|${gender(id)}|91210100700P6P2X8U|210100|110|${m}|4606.31|921.26|368.50|1\n`;
}
function* jxFixed(order: keyof typeof orders): Generator<string> {
  const line = (s: string): string => `${s.padEnd(120)}\r\n`;
  yield line('H36010020260301V3.2');
  let n = 0;
  for (const [id, m] of orders[order]()) {
    n++;
    yield line(`D${id}${'Zhang'.padEnd(20)}${gender(id)}36010001${m}${'580000'.padStart(10, '0')}${'116000'.padStart(10, '0')}${'46400'.padStart(10, '0')}1913601008UAWHGAW71`);
  }
  yield line(`T${String(n).padStart(10, '0')}${'0'.padStart(10, '0')}${String(116000 * n).padStart(15, '0')}${String(46400 * n).padStart(15, '0')}`);
}

const RUN = fileURLToPath(new URL('./order-run.ts', import.meta.url));
interface Run { ms: number; cpu: number; rss: number; n: number }
const run = (mode: string, format: string, file: string): Run =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', RUN, mode, format, file], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').pop()!);
const hash = (format: string, file: string): { n: number; hash: string } =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', RUN, 'hash', format, file], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').pop()!);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = await mkdtemp(join(tmpdir(), 'jiexu-bench-order-'));
try {
  console.log(`row order: ${ROWS.toLocaleString('en')} rows, ${REPS} runs each interleaved, medians; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const [format, lines] of [['jx-fixed', jxFixed], ['ln-jb', lnJb]] as const) {
    if (!FORMATS.includes(format)) continue;
    const files = { person: join(dir, `${format}-person`), month: join(dir, `${format}-month`) };
    await write(files.person, lines('person'));
    await write(files.month, lines('month'));
    const t: Record<string, Run[]> = { baseline: [], person: [], month: [] };
    for (let r = 0; r < REPS; r++) {
      t.baseline.push(run('baseline', format, files.person));
      t.person.push(run('decode', format, files.person));
      t.month.push(run('decode', format, files.month));
    }
    const hashes = args['skip-check'] ? undefined : { person: hash(format, files.person), month: hash(format, files.month) };
    await rm(files.person, { force: true });
    await rm(files.month, { force: true });
    if (hashes && hashes.person.hash !== hashes.month.hash) throw new Error(`${format}: records or issues differ between person order (${hashes.person.hash}) and month order (${hashes.month.hash})`);
    const m = (k: string) => ({ ms: median(t[k].map((x) => x.ms)), cpu: median(t[k].map((x) => x.cpu)), rss: Math.max(...t[k].map((x) => x.rss)), n: t[k][0].n });
    const [b, p, mo] = [m('baseline'), m('person'), m('month')];
    if (p.n !== mo.n) throw new Error(`${format}: ${p.n} records in person order, ${mo.n} in month order`);
    console.log(`${format}, ${ROWS.toLocaleString('en')} rows, ${persons} persons, median of ${REPS}:`);
    console.log(`  baseline (read, count lines) ${(b.ms / 1000).toFixed(2)} s, ${b.rss.toFixed(0)} MB`);
    console.log(`  person order ${(p.ms / 1000).toFixed(2)} s wall, ${(p.cpu / 1000).toFixed(2)} s cpu (${(p.ms / b.ms).toFixed(1)}× baseline), ${p.n.toLocaleString('en')} records, peak RSS ${p.rss.toFixed(0)} MB`);
    if (hashes) console.log(`  records and issues: the same in both orders (SHA-256 ${hashes.month.hash.slice(0, 16)}…)`);
    console.log(`  month order  ${(mo.ms / 1000).toFixed(2)} s wall, ${(mo.cpu / 1000).toFixed(2)} s cpu (${(mo.ms / b.ms).toFixed(1)}× baseline; ${(mo.ms / p.ms).toFixed(2)}× person order on wall, ${(mo.cpu / p.cpu).toFixed(2)}× on cpu; goal ≤ 2×), peak RSS ${mo.rss.toFixed(0)} MB (goal < 512 MB)`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
