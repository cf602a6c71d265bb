/**
 * The validator in a real browser (Debian's chromium), served by `jiexu serve` from a bundle
 * built with the reference formats declared in folders (docs/adapters/ah-dbf): every sample export
 * (examples/samples, shared/regions/samples, the ah-dbf table), canonical JSON Lines, an envelope,
 * and a malformed file of each format. The page's report must equal `jiexu validate --json` for
 * the same file — issue codes, severities, positions, pointers, messages — computed here from the
 * CLI, never written down; its canonical JSON Lines must equal `jiexu convert`'s. Also: no request
 * carries the file, the page reads with the network off once loaded, zh/en, axe-core.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FileResult } from '@jiexu/standard';
import { runCli } from '../../../cli/src/testing/run-cli.ts';
import { BROWSER_TEST_TIMEOUT, REPO, ensureBundle, launchBrowser, openPage, screenshot, seriousAccessibilityViolations, startServe, type Opened, type Served } from '../testing/browser.ts';
import { dropInBrowser, readFilesInBrowser, readFolderInBrowser, readInBrowser, validatorReady } from '../testing/validator-page.ts';

const AH_DBF = join(REPO, 'docs/adapters/ah-dbf');
/** A format whose export is a folder of pages (page-0001.json …). */
const SC_JSON = join(REPO, 'docs/adapters/sc-json');
const SC_JSON_EXPORT = join(SC_JSON, 'sc-json-510100');
const FORMAT_DIRS = [AH_DBF, SC_JSON];
const SHARED_SAMPLES = join(REPO, '../shared/regions/samples');
const work = mkdtempSync(join(tmpdir(), 'jiexu-validator-test-'));

let served: Served;
let browser: Browser;
let opened: Opened;

/** The CLI's report of a file, its file names reduced to base names (the page knows a dropped file by its name only). */
async function cliReport(file: string, format?: string): Promise<{ code: number; report: { valid: boolean; files: FileResult[] } }> {
  const args = ['validate', file, '--json', ...(format && format !== 'canonical' ? ['--format', format, ...FORMAT_DIRS.flatMap((d) => ['--formats-dir', d])] : [])];
  const run = await runCli(args, { LANG: 'C' });
  expect(run.code, run.stderr).toBeLessThan(2);
  const report = JSON.parse(run.stdout);
  // the names as the page gives them: a file's or folder's own name, a folder's part inside it (folder/page-0002.json)
  const named = (f: string): string => relative(dirname(file), f);
  for (const f of report.files as FileResult[]) {
    f.file = named(f.file);
    for (const i of f.issues) if (i.location?.file !== undefined) i.location.file = named(i.location.file);
  }
  return { code: run.code, report };
}

async function cliCanonical(file: string, format: string): Promise<string> {
  const out = join(work, `${basename(file)}.cli.jsonl`);
  const run = await runCli(['convert', file, '--from', format, '--to', 'canonical', '-o', out, ...FORMAT_DIRS.flatMap((d) => ['--formats-dir', d])], { LANG: 'C' });
  expect(run.code, run.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

interface Case {
  name: string;
  file: string;
  format: string;
}

const SAMPLE_FORMATS: Record<string, string> = { 'bj-xlsx': 'bj-xlsx', 'gd-xml': 'gd-xml', 'jx-fixed': 'jx-fixed', 'ln-jb': 'ln-jb', 'zj-csv': 'zj-csv' };
const formatOf = (name: string) => SAMPLE_FORMATS[name.split('-').slice(0, 2).join('-')]!;

function samples(): Case[] {
  const out: Case[] = [];
  for (const dir of [join(REPO, 'examples/samples'), SHARED_SAMPLES]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const format = formatOf(name);
      if (format) out.push({ name: `${dir === SHARED_SAMPLES ? 'shared' : 'examples'}/${name}`, file: join(dir, name), format });
    }
  }
  out.push({ name: 'docs/adapters/ah-dbf', file: join(AH_DBF, 'ah-dbf-340100.dbf'), format: 'ah-dbf' });
  return out;
}

/** A copy of `file` under the same name with `change` applied to its bytes. */
function malformed(file: string, change: (b: Buffer) => Buffer): string {
  const dir = join(work, `bad-${basename(file)}`);
  mkdirSync(dir, { recursive: true });
  const to = join(dir, basename(file));
  writeFileSync(to, change(readFileSync(file)));
  return to;
}

function replaceOnce(b: Buffer, from: string, to: string): Buffer {
  const at = b.indexOf(from, 0, 'latin1');
  if (at < 0) throw new Error(`${from} not found`);
  return Buffer.concat([b.subarray(0, at), Buffer.from(to, 'latin1'), b.subarray(at + from.length)]);
}

function malformedCases(): Case[] {
  const s = (name: string) => join(REPO, 'examples/samples', name);
  return [
    { name: 'ln-jb: a month 13 and a yuan amount with one decimal', format: 'ln-jb', file: malformed(s('ln-jb-210100.txt'), (b) => replaceOnce(replaceOnce(b, '|199807|', '|199813|'), '|921.26|', '|921.2|')) },
    { name: 'zj-csv: an amount with one decimal', format: 'zj-csv', file: malformed(s('zj-csv-330100.csv'), (b) => replaceOnce(b, ',5800.00,', ',5800.0,')) },
    { name: 'jx-fixed: a letter in a number field', format: 'jx-fixed', file: malformed(s('jx-fixed-360100.txt'), (b) => { const c = Buffer.from(b); const second = c.indexOf(0x0a) + 1; c[second + 60] = 0x41; return c; }) },
    { name: 'gd-xml: a closing tag missing', format: 'gd-xml', file: malformed(s('gd-xml-440300.xml'), (b) => replaceOnce(b, '    </Scheme>', '')) },
    { name: 'bj-xlsx: the workbook cut short', format: 'bj-xlsx', file: malformed(s('bj-xlsx-110000.xlsx'), (b) => b.subarray(0, Math.floor(b.length / 2))) },
    { name: 'ah-dbf: a record of another kind', format: 'ah-dbf', file: malformed(join(AH_DBF, 'ah-dbf-340100.dbf'), (b) => { const c = Buffer.from(b); const header = c.readUInt16LE(8); c[header + 1 + 20] = 0x3f; return c; }) },
  ];
}

beforeAll(async () => {
  const bundle = ensureBundle({ outDir: join(work, 'bundle'), env: { JIEXU_CONSOLE_FORMATS: FORMAT_DIRS.join(':') } });
  [served, browser] = await Promise.all([startServe({ args: ['--console-dir', bundle] }), launchBrowser()]);
  opened = await openPage(browser, `${served.consoleUrl}#/validator`);
  await validatorReady(opened.page);
}, BROWSER_TEST_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  rmSync(work, { recursive: true, force: true });
}, BROWSER_TEST_TIMEOUT);

describe('the validator reads every sample as the CLI does', () => {
  for (const c of samples()) {
    it(`${c.name} (${c.format})`, async () => {
      const [browserSide, cli] = await Promise.all([readInBrowser(opened.page, c.file, c.format), cliReport(c.file, c.format)]);
      expect(browserSide.report.files).toEqual(cli.report.files);
      expect(browserSide.report.valid).toBe(cli.report.valid);
      expect(browserSide.verdict).toBe(cli.report.valid ? 'valid' : 'invalid');
      if (cli.report.valid) expect(browserSide.jsonl).toBe(await cliCanonical(c.file, c.format));
      await screenshot(opened.page, `validator-sample-${c.name}`);
    }, BROWSER_TEST_TIMEOUT);
  }

  it('canonical JSON Lines and a transfer-message envelope (valid and broken)', async () => {
    const jsonl = join(work, 'ln-jb-210100.jsonl');
    writeFileSync(jsonl, await cliCanonical(join(REPO, 'examples/samples/ln-jb-210100.txt'), 'ln-jb'));
    const badJsonl = join(work, 'bad', 'ln-jb-210100.jsonl');
    mkdirSync(join(work, 'bad'), { recursive: true });
    writeFileSync(badJsonl, readFileSync(jsonl, 'utf8').replace('"month":"1998-07"', '"month":"1998-13"').replace('"baseFen":460631', '"baseFen":4606.31'));
    const envelope = join(work, 'transfer-application.json');
    copyFileSync(join(REPO, 'examples/envelopes/transfer-application.json'), envelope);
    const badEnvelope = join(work, 'bad', 'transfer-application.json');
    const doc = JSON.parse(readFileSync(envelope, 'utf8'));
    delete doc.source;
    doc.time = 'yesterday';
    writeFileSync(badEnvelope, JSON.stringify(doc, null, 2));
    for (const file of [jsonl, badJsonl, envelope, badEnvelope]) {
      const [browserSide, cli] = await Promise.all([readInBrowser(opened.page, file, 'auto'), cliReport(file)]);
      expect(browserSide.report.files, file).toEqual(cli.report.files);
    }
    expect((await cliReport(badJsonl)).report.valid).toBe(false);
    expect((await cliReport(badEnvelope)).report.valid).toBe(false);
    await screenshot(opened.page, 'validator-envelope-broken');
  }, BROWSER_TEST_TIMEOUT);
});

describe('a malformed file of each format gives the CLI\'s issues at the CLI\'s positions', () => {
  for (const c of malformedCases()) {
    it(c.name, async () => {
      const [browserSide, cli] = await Promise.all([readInBrowser(opened.page, c.file, c.format), cliReport(c.file, c.format)]);
      expect(cli.report.valid).toBe(false);
      expect(browserSide.verdict).toBe('invalid');
      expect(browserSide.report.files).toEqual(cli.report.files);
      // each issue with a line is linked to that line in the view of the file
      const withLine = cli.report.files[0]!.issues.find((i) => i.location?.line !== undefined);
      if (withLine) {
        const link = opened.page.locator(`.issues tr[data-line="${withLine.location!.line}"] a`).first();
        await link.click();
        await expect.poll(() => opened.page.locator(`.file-view li#L${withLine.location!.line}.target`).count()).toBe(1);
      }
      await screenshot(opened.page, `validator-malformed-${c.format}`);
    }, BROWSER_TEST_TIMEOUT);
  }
});

/** The sc-json export with page 2's first month made 13 and page 3 removed. */
function brokenScJson(): string {
  const dir = join(work, 'broken', 'sc-json-510100');
  rmSync(dir, { recursive: true, force: true });
  cpSync(SC_JSON_EXPORT, dir, { recursive: true });
  const page2 = join(dir, 'page-0002.json');
  const text = readFileSync(page2, 'utf8');
  const changed = text.replace(/"period": "[0-9]{4}-[0-9]{2}"/, '"period": "2019-13"');
  expect(changed).not.toBe(text);
  writeFileSync(page2, changed);
  rmSync(join(dir, 'page-0003.json'));
  return dir;
}

const pages = (dir: string) => readdirSync(dir).sort().map((n) => join(dir, n));

/** The CLI's report of a folder, its file named as the page names several files chosen without their folder. */
function asChosenFiles(files: FileResult[], dir: string): FileResult[] {
  const names = readdirSync(dir).sort();
  const name = `${names[0]} … ${names[names.length - 1]}`;
  // an issue of one page names that page; the others the chosen files
  const page = (f: string | undefined): string => (f !== undefined && f.startsWith(`${basename(dir)}/`) ? f.slice(basename(dir).length + 1) : name);
  return files.map((f) => ({ ...f, file: name, issues: f.issues.map((i) => ({ ...i, location: { ...i.location, file: page(i.location?.file) } })) }));
}

describe('an export that is a folder of pages (sc-json)', () => {
  it('a picked folder, its format recognised, is read as `jiexu validate <folder> --format sc-json` reads it', async () => {
    const [browserSide, cli] = await Promise.all([readFolderInBrowser(opened.page, SC_JSON_EXPORT, 'auto'), cliReport(SC_JSON_EXPORT, 'sc-json')]);
    expect(cli.report.valid).toBe(true);
    expect(browserSide.report.files).toEqual(cli.report.files);
    expect(browserSide.jsonl).toBe(await cliCanonical(SC_JSON_EXPORT, 'sc-json'));
    expect(await opened.page.locator('.results [data-verdict]').textContent()).toContain('sc-json');
    expect(await opened.page.locator('.file-view .parts li').evaluateAll((li) => li.map((l) => l.getAttribute('data-part')))).toEqual(readdirSync(SC_JSON_EXPORT).sort());
    await screenshot(opened.page, 'validator-folder-sc-json');
  }, BROWSER_TEST_TIMEOUT);

  it('a broken folder (a month 13, a page missing) gives the CLI\'s issues', async () => {
    const dir = brokenScJson();
    const [browserSide, cli] = await Promise.all([readFolderInBrowser(opened.page, dir, 'sc-json'), cliReport(dir, 'sc-json')]);
    expect(cli.report.valid).toBe(false);
    expect(cli.report.files[0]!.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['legacy-field-invalid', 'legacy-part-missing']));
    expect(browserSide.verdict).toBe('invalid');
    expect(browserSide.report.files).toEqual(cli.report.files);
    // the month 13 is placed in its page, in the report and on the page
    expect(cli.report.files[0]!.issues.find((i) => i.code === 'legacy-field-invalid')?.location?.file).toBe('sc-json-510100/page-0002.json');
    expect(await opened.page.locator('.issues tr[data-field="period"]').first().textContent()).toContain('sc-json-510100/page-0002.json');
    await screenshot(opened.page, 'validator-folder-sc-json-broken');
  }, BROWSER_TEST_TIMEOUT);

  it('its pages picked together, or dropped together, are read as that folder', async () => {
    const dir = brokenScJson();
    const cli = await cliReport(dir, 'sc-json');
    const picked = await readFilesInBrowser(opened.page, pages(dir), 'sc-json');
    expect(picked.report.files).toEqual(asChosenFiles(cli.report.files, dir));
    const good = await cliReport(SC_JSON_EXPORT, 'sc-json');
    const dropped = await dropInBrowser(opened.page, pages(SC_JSON_EXPORT), 'auto');
    expect(dropped.report.files).toEqual(asChosenFiles(good.report.files, SC_JSON_EXPORT));
    expect(dropped.jsonl).toBe(await cliCanonical(SC_JSON_EXPORT, 'sc-json'));
    await screenshot(opened.page, 'validator-dropped-pages');
  }, BROWSER_TEST_TIMEOUT);

  it('one file dropped is read as that file', async () => {
    const file = join(REPO, 'examples/samples/bj-xlsx-110000.xlsx');
    const [dropped, cli] = await Promise.all([dropInBrowser(opened.page, [file], 'auto'), cliReport(file, 'bj-xlsx')]);
    expect(dropped.report.files).toEqual(cli.report.files);
  }, BROWSER_TEST_TIMEOUT);
});

describe('the file stays on the machine', () => {
  it('no request carries the file, and reading works with the network off once the page has loaded', async () => {
    const { context, page, requests } = await openPage(browser, `${served.consoleUrl}#/validator`);
    await validatorReady(page);
    const loaded = requests.length;
    await context.setOffline(true);
    await context.route('**/*', (route) => route.abort());
    const file = join(REPO, 'examples/samples/ln-jb-210100.txt');
    const reading = await readInBrowser(page, file, 'ln-jb');
    expect(reading.report.files).toEqual((await cliReport(file, 'ln-jb')).report.files);
    await screenshot(page, 'validator-offline');
    // everything the page asked for was its own static files, fetched before the file was chosen, with no body
    const content = readFileSync(file).toString('latin1').slice(0, 200);
    for (const r of requests) {
      expect(r.method(), r.url()).toBe('GET');
      expect(r.postData(), r.url()).toBeNull();
      expect(r.url().startsWith(served.consoleUrl) || r.url().startsWith('blob:') || r.url().startsWith('data:'), r.url()).toBe(true);
      expect(r.url()).not.toContain(encodeURIComponent(content.slice(0, 20)));
    }
    expect(requests.slice(loaded).filter((r) => !r.url().startsWith('blob:'))).toEqual([]);
    await context.close();
  }, BROWSER_TEST_TIMEOUT);
});

describe('language and accessibility', () => {
  it('shows the issues in Chinese, then in English after the switch; axe-core finds no serious or critical violation', async () => {
    const file = malformedCases()[0]!.file;
    const cli = await cliReport(file, 'ln-jb');
    await readInBrowser(opened.page, file, 'ln-jb');
    const first = cli.report.files[0]!.issues[0]!;
    const cell = () => opened.page.locator(`.issues tr[data-code="${first.code}"] td:last-child`).first().textContent();
    await opened.page.locator('.lang button[data-lang="zh"]').click();
    await expect.poll(cell).toBe(first.message.zh);
    expect(await opened.page.locator('#validator-title').textContent()).toBe('文件验证器');
    expect(await seriousAccessibilityViolations(opened.page)).toEqual([]);
    await screenshot(opened.page, 'validator-zh');
    await opened.page.locator('.lang button[data-lang="en"]').click();
    await expect.poll(cell).toBe(first.message.en);
    expect(await opened.page.locator('#validator-title').textContent()).toBe('File validator');
    expect(await seriousAccessibilityViolations(opened.page)).toEqual([]);
    await screenshot(opened.page, 'validator-en');
    await opened.page.locator('.lang button[data-lang="zh"]').click();
  }, BROWSER_TEST_TIMEOUT);
});
