/**
 * The validator's bench (not a test): the bundle's size (raw and gzip), and the time to read a
 * 100,000-row ln-jb export in the browser (chromium, the page's worker, from choosing the file
 * to the verdict on screen) beside two least-work baselines in the same run, interleaved
 * (A, B, C, A, B, C …), medians:
 *   - cli: the same file decoded in Node by the same adapters (what `jiexu validate --format` does);
 *   - bytes: the page only reading the file's bytes and decoding them as GBK text (no parsing);
 *   - with JIEXU_BENCH_BASELINE=<bundle dir> (a bundle built from an earlier commit): the same read in
 *     that bundle's page, served by a second `jiexu serve --console-dir`, interleaved too (before/after).
 * Prints the sizes, the medians, the ratios and the load average.
 *
 *   pnpm --filter @jiexu/console bench        (JIEXU_BENCH_ROWS, JIEXU_BENCH_RUNS to change)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decode } from '@jiexu/adapters';
import { writeLnJbExport } from '../src/testing/big-export.ts';
import { ensureBundle, launchBrowser, openPage, startServe } from '../src/testing/browser.ts';
import { readInBrowser, validatorReady } from '../src/testing/validator-page.ts';

const ROWS = Number(process.env.JIEXU_BENCH_ROWS ?? 100_000);
const RUNS = Number(process.env.JIEXU_BENCH_RUNS ?? 5);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function sizes(bundle: string): void {
  let raw = 0;
  let gz = 0;
  const rows: string[] = [];
  for (const f of files(bundle)) {
    const bytes = readFileSync(f);
    const z = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += z;
    rows.push(`  ${f.slice(bundle.length)}: ${kib(bytes.length)} raw, ${kib(z)} gzip`);
  }
  console.log(`bundle (${bundle}):\n${rows.join('\n')}\n  total: ${kib(raw)} raw, ${kib(gz)} gzip`);
}

const bundle = ensureBundle();
sizes(bundle);
const BASELINE = process.env.JIEXU_BENCH_BASELINE;
if (BASELINE) sizes(BASELINE);

const work = mkdtempSync(join(tmpdir(), 'jiexu-validator-bench-'));
const file = join(work, 'ln-jb-210100-large.txt');
const written = writeLnJbExport(file, ROWS);
console.log(`input: ${written} rows, ${kib(statSync(file).size)} (ln-jb, GBK); ${RUNS} runs each; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

const served = await startServe();
const servedBaseline = BASELINE ? await startServe({ args: ['--console-dir', BASELINE] }) : undefined;
const browser = await launchBrowser();
const { page } = await openPage(browser, `${served.consoleUrl}#/validator`);
await validatorReady(page);
const baselinePage = servedBaseline ? (await openPage(browser, `${servedBaseline.consoleUrl}#/validator`)).page : undefined;
if (baselinePage) await validatorReady(baselinePage);

async function inBrowser(on = page): Promise<number> {
  const t = performance.now();
  const r = await readInBrowser(on, file, 'ln-jb');
  if (r.verdict !== 'valid') throw new Error(`unexpected verdict ${r.verdict}`);
  return performance.now() - t;
}

async function cli(): Promise<number> {
  const t = performance.now();
  const d = decode('ln-jb', file, { fileName: 'ln-jb-210100-large.txt' });
  let n = 0;
  for await (const batch of d.batches()) n += batch.length;
  if (!d.report.valid || n === 0) throw new Error('the CLI path found the file invalid');
  return performance.now() - t;
}

async function bytesOnly(): Promise<number> {
  const t = performance.now();
  await page.evaluate(() => document.getElementById('bench-bytes')?.remove());
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-bytes';
    input.hidden = true;
    input.addEventListener('change', async () => {
      const text = new TextDecoder('gbk').decode(await input.files![0]!.arrayBuffer());
      input.dataset.done = String(text.length);
    });
    document.body.append(input);
  });
  await page.setInputFiles('#bench-bytes', file);
  await page.waitForSelector('#bench-bytes[data-done]', { state: 'attached' });
  return performance.now() - t;
}

const times = { browser: [] as number[], baseline: [] as number[], cli: [] as number[], bytes: [] as number[] };
await inBrowser(); // warm-up: the worker's code compiled once
if (baselinePage) await inBrowser(baselinePage);
await cli();
for (let i = 0; i < RUNS; i++) {
  if (baselinePage) times.baseline.push(await inBrowser(baselinePage));
  times.browser.push(await inBrowser());
  times.cli.push(await cli());
  times.bytes.push(await bytesOnly());
}
await browser.close();
await served.stop();
await servedBaseline?.stop();
rmSync(work, { recursive: true, force: true });

const m = { browser: median(times.browser), cli: median(times.cli), bytes: median(times.bytes) };
console.log(`reading ${written} rows, medians of ${RUNS}:`);
console.log(`  browser (validator page, worker, to the verdict): ${(m.browser / 1000).toFixed(2)} s  (${Math.round(written / (m.browser / 1000))} rows/s)`);
if (baselinePage) console.log(`  baseline bundle (${BASELINE}): ${(median(times.baseline) / 1000).toFixed(2)} s   → browser / baseline bundle = ${(m.browser / median(times.baseline)).toFixed(2)}×`);
console.log(`  baseline cli (same adapters in Node):              ${(m.cli / 1000).toFixed(2)} s   → browser / cli = ${(m.browser / m.cli).toFixed(2)}×`);
console.log(`  baseline bytes (page reads and decodes the text):   ${(m.bytes / 1000).toFixed(2)} s   → browser / bytes = ${(m.browser / m.bytes).toFixed(1)}×`);
console.log(`  runs (s): ${Object.entries(times).filter(([, xs]) => xs.length).map(([k, xs]) => `${k} ${xs.map((x) => (x / 1000).toFixed(2)).join(' ')}`).join('; ')}`);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
