/**
 * Driving the validator page in a test: wait for its worker, give it a file, wait for the
 * verdict, and take the report and the canonical JSON Lines through its download buttons (what a
 * user gets). See ./browser.ts for the harness.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
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
  return readChosen(page, format, () => page.setInputFiles('#file', file), file);
}

/** Reads a folder export through the folder picker (`<input webkitdirectory>`), as a user picks it. */
export async function readFolderInBrowser(page: Page, dir: string, format = 'auto'): Promise<BrowserReading> {
  return readChosen(page, format, () => page.setInputFiles('#folder', dir), dir);
}

/** Reads several files picked together (the pages of an export, without their folder) through the file picker. */
export async function readFilesInBrowser(page: Page, files: string[], format = 'auto'): Promise<BrowserReading> {
  return readChosen(page, format, () => page.setInputFiles('#file', files), files.join(', '));
}

/**
 * Drops files on the drop zone as a drag from the desktop does (a DataTransfer holding them; a
 * page script cannot make one that holds a folder's entries, so a dropped folder is the folder
 * picker's test) and reads them.
 */
export async function dropInBrowser(page: Page, files: string[], format = 'auto'): Promise<BrowserReading> {
  const contents = files.map((f) => ({ name: basename(f), base64: readFileSync(f).toString('base64') }));
  return readChosen(
    page,
    format,
    async () => {
      const data = await page.evaluateHandle((list) => {
        const dt = new DataTransfer();
        for (const { name, base64 } of list) dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name));
        return dt;
      }, contents);
      await page.dispatchEvent('[data-testid="drop"]', 'dragover', { dataTransfer: data });
      await page.dispatchEvent('[data-testid="drop"]', 'drop', { dataTransfer: data });
    },
    files.join(', '),
  );
}

async function readChosen(page: Page, format: string, choose: () => Promise<void>, what: string): Promise<BrowserReading> {
  await validatorReady(page);
  await page.selectOption('#format', format);
  // a fresh result: the previous one is cleared as soon as the read starts
  await page.evaluate(() => document.querySelector('.results')?.replaceChildren());
  await choose();
  const verdict = page.locator('.results [data-verdict]');
  await verdict.waitFor({ timeout: STEP_TIMEOUT });
  const state = (await verdict.getAttribute('data-verdict'))!;
  if (state === 'failed') throw new Error(`the page could not read ${what}: ${await verdict.textContent()}`);
  const take = async (kind: string): Promise<string | null> => {
    const button = page.locator(`[data-download="${kind}"]`);
    if ((await button.count()) === 0) return null;
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT }), button.click()]);
    return readFileSync((await download.path())!, 'utf8');
  };
  const report = JSON.parse((await take('report'))!);
  const jsonl = await take('jsonl');
  // the inputs keep nothing: the same file or folder can be read again (a bundle of an earlier commit, benched, has no #folder)
  await page.evaluate(() => {
    for (const id of ['file', 'folder']) {
      const input = document.getElementById(id) as HTMLInputElement | null;
      if (input) input.value = '';
    }
  });
  return { verdict: state, report, jsonl };
}
