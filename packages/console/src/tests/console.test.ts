/**
 * The signed-in console in a real browser, against `jiexu demo --keep` (the demo's world on
 * PGlite: Beijing's completed and refused cases, Hangzhou's overdue case, Shenyang the old
 * place of all three). Signs in with the key files the demo wrote, through the page's form.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_TEST_TIMEOUT, ensureBundle, launchBrowser, openPage, REPO, screenshot, seriousAccessibilityViolations, STEP_TIMEOUT } from '../testing/browser.ts';

const BEIJING = '110000-si';
const HANGZHOU = '330100-si';
const SHENYANG = '210100-si';
// Beijing's cases in the demo's world: two pension transfers (scenes A, B) and the enrollment of scene D (re-employed in Beijing while Shenyang pays unemployment benefit)
const BEIJING_CASES = ['110000-si:EN-2011-000001', '110000-si:PT-2011-000001', '110000-si:PT-2011-000002'];
const OVERDUE_CASE = '330100-si:PT-2011-000001';

interface Demo {
  consoleUrl: string;
  keys: string;
  output(): string;
  stop(): Promise<void>;
}

/** `jiexu demo --keep` (from source), resolved once it has printed the console's address (the keys are written before). */
async function startDemo(): Promise<Demo> {
  const out = mkdtempSync(join(tmpdir(), 'jiexu-console-demo-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C', LC_ALL: '' };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [join(REPO, 'packages/cli/scripts/jiexu-from-source.mjs'), 'demo', '--keep', '--out', out], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const consoleUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jiexu demo --keep printed no console address in ${(3 * STEP_TIMEOUT) / 1000} s:\n${stdout}\n${stderr}`)), 3 * STEP_TIMEOUT);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const m = /^console: (http:\/\/\S+\/console\/)#\/console\n/m.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`jiexu demo --keep exited (${code}) before keeping the platform:\n${stdout}\n${stderr}`));
    });
  });
  return {
    consoleUrl,
    keys: join(out, 'console-keys'),
    output: () => stdout + stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(out, { recursive: true, force: true });
    },
  };
}

let demo: Demo;
let browser: Browser;

beforeAll(async () => {
  ensureBundle();
  [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
}, 2 * BROWSER_TEST_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
}, BROWSER_TEST_TIMEOUT);

/** Waits until the console section says which page it rendered. */
async function ready(page: Page, name: string): Promise<void> {
  await page.locator(`section.console[data-ready="${name}"]`).waitFor({ timeout: STEP_TIMEOUT });
}

/** Opens the console in a fresh context and signs in through the form with the demo's key file. */
async function signedIn(principal: string, keyFile = `${principal}.key`, locale = 'zh-CN') {
  const opened = await openPage(browser, `${demo.consoleUrl}#/console`, { locale });
  const { page } = opened;
  await ready(page, 'signin');
  await page.locator('#signin-principal').fill(principal);
  await page.locator('#signin-key').setInputFiles(join(demo.keys, keyFile));
  await page.locator('form.signin button[type="submit"]').click();
  await ready(page, 'cases');
  return opened;
}

async function listedCases(page: Page): Promise<string[]> {
  return page.locator('[data-testid="case-list"] a[data-case]').evaluateAll((as) => as.map((a) => a.getAttribute('data-case')!));
}

async function noSeriousViolations(page: Page, where: string): Promise<void> {
  const violations = await seriousAccessibilityViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

describe('the signed-in console', () => {
  it('two institutions signed in: neither sees the other\'s cases (the key never leaves the browser)', async () => {
    const bj = await signedIn(BEIJING);
    expect(await bj.page.locator('[data-testid="signed-in-as"]').textContent()).toContain(BEIJING);
    expect((await listedCases(bj.page)).sort()).toEqual(BEIJING_CASES);
    // its own cases: the person unmasked (an 18-character 公民身份号码 in the list)
    expect(await bj.page.locator('[data-testid="case-list"]').textContent()).toMatch(/[0-9]{17}[0-9X]/);
    await noSeriousViolations(bj.page, 'cases (Beijing)');
    await screenshot(bj.page, 'console-cases-beijing');

    const hz = await signedIn(HANGZHOU);
    expect(await listedCases(hz.page)).toEqual([OVERDUE_CASE]);
    // Beijing's case by its address: the platform refuses, the page says so
    await hz.page.goto(`${demo.consoleUrl}#/console/case/${encodeURIComponent(BEIJING_CASES[0])}`);
    await ready(hz.page, 'error');
    expect(await hz.page.locator('[role="alert"]').textContent()).toContain(`${HANGZHOU} 不是案件 ${BEIJING_CASES[0]} 的当事方`);
    await screenshot(hz.page, 'console-forbidden-hangzhou');
    // and Beijing still does not see Hangzhou's after it signed in
    await bj.page.reload();
    await ready(bj.page, 'cases');
    expect(await listedCases(bj.page)).not.toContain(OVERDUE_CASE);
    // no request carried the private key
    const keyText = 'BEGIN PRIVATE KEY';
    for (const r of [...bj.requests, ...hz.requests]) expect(r.postData() ?? '', r.url()).not.toContain(keyText);
    expect([...bj.errors, ...hz.errors].filter((e) => !/status of (401|403)/.test(e)) /* the first session check (not signed in yet) and the refused case */).toEqual([]);
    await bj.context.close();
    await hz.context.close();
  }, BROWSER_TEST_TIMEOUT);

  it('opens the overdue case from the overdue page: its timeline, its deadline on the calendar, its audit trail', async () => {
    const { page, context } = await signedIn(HANGZHOU);
    await page.locator('nav.sub a[data-section="overdue"]').click();
    await ready(page, 'overdue');
    const group = page.locator(`section.group[data-region="210100"][data-step="pension.transfer-info"]`);
    expect(await group.locator('h3').textContent()).toContain('沈阳市');
    expect(await group.locator('a[data-case]').textContent()).toBe(OVERDUE_CASE);
    await noSeriousViolations(page, 'overdue');
    await screenshot(page, 'console-overdue-hangzhou');
    await group.locator('a[data-case]').click();
    await ready(page, 'case');
    expect(await page.locator('#page-title').textContent()).toContain(OVERDUE_CASE);
    const step = await page.locator('[data-testid="current-step"]').textContent();
    expect(step).toContain(SHENYANG);
    expect(step).toContain('已超期');
    expect(step).toMatch(/期限 2011-\d\d-\d\d/);
    const rows = page.locator('[data-testid="timeline"] tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(3); // application, contact letter, the platform's reminder
    expect(await page.locator('[data-testid="timeline"]').textContent()).toContain('admin.remind');
    await noSeriousViolations(page, 'timeline');
    await screenshot(page, 'console-timeline-overdue');
    await page.locator(`a[href="#/console/audit/${encodeURIComponent(OVERDUE_CASE)}"]`).click();
    await ready(page, 'audit');
    const audit = await page.locator('[data-testid="audit"]').textContent();
    expect(audit).toContain('console.case.read');
    expect(audit).toContain(SHENYANG);
    await noSeriousViolations(page, 'audit');
    await screenshot(page, 'console-audit-overdue');
    await context.close();
  }, BROWSER_TEST_TIMEOUT);

  it('switches language on a signed-in page, keeping the session', async () => {
    const { page, context } = await signedIn(HANGZHOU);
    await page.goto(`${demo.consoleUrl}#/console/case/${encodeURIComponent(OVERDUE_CASE)}`);
    await ready(page, 'case');
    expect(await page.locator('#page-title').textContent()).toContain('案件时间线');
    await page.locator('.lang button[data-lang="en"]').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await ready(page, 'case');
    expect(await page.locator('#page-title').textContent()).toContain('Case timeline');
    const step = await page.locator('[data-testid="current-step"]').textContent();
    expect(step).toContain('overdue');
    expect(await page.locator('nav.sub a[data-section="directory"]').textContent()).toBe('Directory');
    await noSeriousViolations(page, 'timeline (en)');
    await screenshot(page, 'console-timeline-en');
    await context.close();
  }, BROWSER_TEST_TIMEOUT);

  it('the operator: every case masked, the directory\'s connected prefectures, the transfers chart', async () => {
    const { page, context } = await signedIn('100000-platform', 'operator.key', 'en-US');
    const all = await listedCases(page);
    expect(all).toEqual(expect.arrayContaining([...BEIJING_CASES, OVERDUE_CASE]));
    const list = await page.locator('[data-testid="case-list"]').textContent();
    expect(list).toMatch(/[0-9]{6}\*{8}[0-9]{3}[0-9X]/);
    expect(list).not.toMatch(/[0-9]{17}[0-9X]/);
    // filters: overdue only
    await page.locator('#f-overdue').check();
    await page.locator('form.filters button[type="submit"]').click();
    await page.waitForURL(/overdue=true/);
    await ready(page, 'cases');
    expect(await listedCases(page)).toEqual([OVERDUE_CASE]);
    await screenshot(page, 'console-cases-operator-overdue');

    await page.locator('nav.sub a[data-section="directory"]').click();
    await ready(page, 'directory');
    // Zhejiang: Hangzhou and Ningbo connected of its 11 prefectures
    expect(await page.locator('[data-testid="ratio-330000"]').textContent()).toBe('2 / 11');
    expect(await page.locator('[data-testid="ratio-360000"]').textContent()).toBe('2 / 11');
    await noSeriousViolations(page, 'directory');
    await screenshot(page, 'console-directory-operator');

    await page.locator('nav.sub a[data-section="transfers"]').click();
    await ready(page, 'transfers');
    await page.locator('[data-testid="transfers-chart"] svg').waitFor({ timeout: STEP_TIMEOUT });
    expect(await page.locator('[data-testid="transfers-table"] tbody tr').count()).toBeGreaterThanOrEqual(1);
    await noSeriousViolations(page, 'transfers');
    await screenshot(page, 'console-transfers-operator');

    await page.locator('.who button').click();
    await ready(page, 'signin');
    await noSeriousViolations(page, 'sign-in');
    await screenshot(page, 'console-signin-en');
    await context.close();
  }, BROWSER_TEST_TIMEOUT);
});
