/**
 * The console's shell in a real browser, served by `jiexu serve`: the tabs, the placeholder of
 * the console page, the language switch (zh-CN by default, en on a click, kept on reload).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { BROWSER_TEST_TIMEOUT, ensureBundle, launchBrowser, openPage, screenshot, startServe, type Served } from '../testing/browser.ts';

let served: Served;
let browser: Browser;

beforeAll(async () => {
  ensureBundle();
  [served, browser] = await Promise.all([startServe(), launchBrowser()]);
}, BROWSER_TEST_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
}, BROWSER_TEST_TIMEOUT);

describe('the console shell', () => {
  it('is served under /console/ without a signature, zh-CN first, and switches to English', async () => {
    const { page, errors, context } = await openPage(browser, served.consoleUrl);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('nav a[data-route="validator"]').textContent()).toBe('验证器');
    expect(await page.locator('nav a[data-route="validator"]').getAttribute('aria-current')).toBe('page');
    await page.locator('nav a[data-route="console"]').click();
    await page.waitForURL(/#\/console$/);
    await page.locator('section.console[data-ready="signin"]').waitFor(); // not signed in: the console page opens on its sign-in form
    expect(await page.locator('#page-title').textContent()).toBe('经办机构登录');
    await screenshot(page, 'shell-console-zh');
    await page.locator('.lang button[data-lang="en"]').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('nav a[data-route="validator"]').textContent()).toBe('Validator');
    await page.reload();
    expect(await page.locator('nav a[data-route="console"]').textContent()).toBe('Console');
    await screenshot(page, 'shell-console-en');
    // the console page asks for its session first: not signed in, the platform answers 401 (Chromium logs it)
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await context.close();
  }, BROWSER_TEST_TIMEOUT);

  it('redirects /console to /console/ and leaves the API signed', async () => {
    const bare = await fetch(`${served.url}/console`, { redirect: 'manual' });
    expect([301, 302]).toContain(bare.status);
    expect(bare.headers.get('location')).toBe('/console/');
    expect((await fetch(`${served.url}/v1/cases`)).status).toBe(401);
  }, BROWSER_TEST_TIMEOUT);
});
