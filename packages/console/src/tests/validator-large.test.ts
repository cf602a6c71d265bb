/**
 * A 100,000-row export read in the browser: the worker reports progress while the page stays
 * live (its timers keep running), and the figures per person and scheme equal those summed here
 * from `jiexu convert`'s canonical records of the same file; the canonical JSON Lines are the CLI's.
 * Not a timed test: bench/validator.bench.ts measures the time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ContributionRecord } from '@jiexu/standard';
import { runCli } from '../../../cli/src/testing/run-cli.ts';
import { writeLnJbExport } from '../testing/big-export.ts';
import { BROWSER_TEST_TIMEOUT, ensureBundle, launchBrowser, openPage, screenshot, startServe, type Served } from '../testing/browser.ts';
import { readInBrowser, validatorReady } from '../testing/validator-page.ts';

const work = mkdtempSync(join(tmpdir(), 'jiexu-validator-large-'));
let served: Served;
let browser: Browser;

beforeAll(async () => {
  ensureBundle();
  [served, browser] = await Promise.all([startServe(), launchBrowser()]);
}, BROWSER_TEST_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  rmSync(work, { recursive: true, force: true });
}, BROWSER_TEST_TIMEOUT);

/** Months and fen sums per person, scheme and region, from canonical records (this test's own arithmetic). */
function sums(records: ContributionRecord[]) {
  const out = new Map<string, { months: number; paid: number; base: bigint; employer: bigint; individual: bigint }>();
  for (const r of records) {
    const key = `${r.person.id} ${r.scheme} ${r.region}`;
    const e = out.get(key) ?? { months: 0, paid: 0, base: 0n, employer: 0n, individual: 0n };
    for (const c of r.contributions) {
      e.months++;
      if (c.status === 'paid') e.paid++;
      e.base += BigInt(c.baseFen);
      e.employer += BigInt(c.employerFen);
      e.individual += BigInt(c.individualFen);
    }
    out.set(key, e);
  }
  return out;
}

it('reads a 100,000-row export in a worker with progress, the figures equal to the CLI\'s', async () => {
  const file = join(work, 'ln-jb-210100-large.txt');
  expect(writeLnJbExport(file, 100_000)).toBe(100_000);
  const cliOut = join(work, 'cli.jsonl');
  const convert = await runCli(['convert', file, '--from', 'ln-jb', '--to', 'canonical', '-o', cliOut], { LANG: 'C' });
  expect(convert.code, convert.stderr).toBe(0);
  const cliJsonl = readFileSync(cliOut, 'utf8');
  const expected = sums(cliJsonl.trim().split('\n').map((l) => JSON.parse(l) as ContributionRecord));

  const { page } = await openPage(browser, `${served.consoleUrl}#/validator`);
  await validatorReady(page);
  // watch the page while the worker reads: progress shown, timers still firing (the main thread is free)
  await page.evaluate(() => {
    const w = window as unknown as { probe: { ticks: number; progress: number } };
    w.probe = { ticks: 0, progress: 0 };
    setInterval(() => w.probe.ticks++, 50);
    new MutationObserver(() => {
      const bar = document.querySelector('progress');
      if (bar && !bar.hidden && Number(bar.value) > 0) w.probe.progress++;
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['value', 'hidden'] });
  });
  const ticksBefore = await page.evaluate(() => (window as unknown as { probe: { ticks: number } }).probe.ticks);
  const reading = await readInBrowser(page, file, 'ln-jb');
  const probe = await page.evaluate(() => (window as unknown as { probe: { ticks: number; progress: number } }).probe);
  expect(probe.progress).toBeGreaterThan(0);
  expect(probe.ticks).toBeGreaterThan(ticksBefore);

  expect(reading.verdict).toBe('valid');
  expect(reading.report.files[0]!.documents).toBe(expected.size);
  expect(reading.jsonl).toBe(cliJsonl);
  expect(reading.report.figures).toHaveLength(expected.size);
  for (const f of reading.report.figures) {
    const e = expected.get(`${f.person} ${f.scheme} ${f.region}`)!;
    expect({ months: f.months, paid: f.paidMonths, base: f.baseFen, employer: f.employerFen, individual: f.individualFen }).toEqual({ months: e.months, paid: e.paid, base: String(e.base), employer: String(e.employer), individual: String(e.individual) });
  }
  await screenshot(page, 'validator-100000-rows');
}, BROWSER_TEST_TIMEOUT);
