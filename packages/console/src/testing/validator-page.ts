/**
 * Driving the validator page in a test: wait for its worker, give it a file, wait for the
 * verdict, and take the report and the canonical JSON Lines through its download buttons (what a
 * user gets). See ./browser.ts for the harness.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { FileResult } from '@jiexu/standard';
import type { SchemeFigures } from '../validator/figures.ts';
import { STEP_TIMEOUT } from './browser.ts';

export interface BrowserReading {
  verdict: string;
  /** The downloaded report (`jiexu validate --json` shape). */
  report: { valid: boolean; strict: boolean; files: FileResult[]; unreadable: string[]; figures: SchemeFigures[] };
  /** The downloaded canonical JSON Lines, when the page offers it (legacy input). */
  jsonl: string | null;
}

/** Waits until the validator's worker has started (formats listed). */
export async function validatorReady(page: Page): Promise<void> {
  await page.waitForSelector('.validator[data-ready="true"]', { timeout: STEP_TIMEOUT });
}

/** Reads `file` in the page as `format` (a format name, 'canonical' or 'auto') and returns what the page offers. */
export async function readInBrowser(page: Page, file: string, format = 'auto'): Promise<BrowserReading> {
  await validatorReady(page);
  await page.selectOption('#format', format);
  // a fresh result: the previous one is cleared as soon as the read starts
  await page.evaluate(() => document.querySelector('.results')?.replaceChildren());
  await page.setInputFiles('#file', file);
  const verdict = page.locator('.results [data-verdict]');
  await verdict.waitFor({ timeout: STEP_TIMEOUT });
  const state = (await verdict.getAttribute('data-verdict'))!;
  if (state === 'failed') throw new Error(`the page could not read ${file}: ${await verdict.textContent()}`);
  const take = async (what: string): Promise<string | null> => {
    const button = page.locator(`[data-download="${what}"]`);
    if ((await button.count()) === 0) return null;
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT }), button.click()]);
    return readFileSync((await download.path())!, 'utf8');
  };
  const report = JSON.parse((await take('report'))!);
  const jsonl = await take('jsonl');
  // the input keeps no file: the same file can be read again
  await page.evaluate(() => ((document.getElementById('file') as HTMLInputElement).value = ''));
  return { verdict: state, report, jsonl };
}
