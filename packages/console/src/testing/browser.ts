/**
 * The browser test harness of @jiexu/console (shared by the validator's and the console's tests):
 *
 *   const served = await startServe();                 // `jiexu serve --port 0` on a fresh PGlite dir
 *   const browser = await launchBrowser();             // Debian's /usr/bin/chromium via playwright-core
 *   const { page, requests } = await openPage(browser, served.consoleUrl + '#/validator');
 *   …
 *   await screenshot(page, 'validator-ln-jb');         // test-output/screenshots/validator-ln-jb.png
 *   await browser.close(); await served.stop();
 *
 * Nothing is downloaded: playwright-core drives the installed chromium. The bundle served is the
 * one built in dist/app (ensureBundle() rebuilds it when a source is newer), or `consoleDir`.
 * Timeouts are generous: CI runs on a loaded 2-core machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
/** One browser step (navigation, a wait for a result) may take this long on a loaded machine. */
export const STEP_TIMEOUT = 120_000;
/** A whole browser test (vitest `it(…, BROWSER_TEST_TIMEOUT)`). */
export const BROWSER_TEST_TIMEOUT = 300_000;

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));
/** The repository's root (tests read examples/ and docs/ from it). */
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const JIEXU_FROM_SOURCE = join(REPO, 'packages/cli/scripts/jiexu-from-source.mjs');
/** Screenshots and other things a test leaves to look at (gitignored). */
export const TEST_OUTPUT = join(PACKAGE, 'test-output');

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    t = Math.max(t, st.isDirectory() ? newest(full) : st.mtimeMs);
  }
  return t;
}

/**
 * Builds the console bundle (vite build) into `outDir` (default dist/app, what `jiexu serve` serves)
 * when it is missing or older than a source file; `env` reaches the build (e.g. JIEXU_CONSOLE_FORMATS).
 * Always builds when an outDir or env is given.
 */
export function ensureBundle(opts: { outDir?: string; env?: Record<string, string> } = {}): string {
  const outDir = opts.outDir ?? join(PACKAGE, 'dist/app');
  const index = join(outDir, 'index.html');
  const fresh = !opts.outDir && !opts.env && existsSync(index) && statSync(index).mtimeMs >= Math.max(newest(join(PACKAGE, 'src')), statSync(join(PACKAGE, 'vite.config.ts')).mtimeMs, statSync(join(PACKAGE, 'index.html')).mtimeMs);
  if (fresh) return outDir;
  const vite = join(PACKAGE, 'node_modules/vite/bin/vite.js');
  // built beside, then moved into place: a test file running at the same time never sees half a bundle
  const building = `${outDir}.building-${process.pid}`;
  const run = spawnSync(process.execPath, [vite, 'build', '--outDir', building, '--emptyOutDir', '--logLevel', 'warn'], { cwd: PACKAGE, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`vite build failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(building, outDir);
  return outDir;
}

export interface Served {
  /** The platform's base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Where the console is: url + /console/ */
  consoleUrl: string;
  dataDir: string;
  /** What the server printed on stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts `jiexu serve --port 0` (from source) on a new PGlite data directory (or `dataDir`) and
 * resolves once it has printed the URL it listens on. `args` are added (e.g. --console-dir).
 * DATABASE_URL is removed from its environment: the browser tests run on PGlite.
 */
export async function startServe(opts: { dataDir?: string; args?: string[]; env?: Record<string, string> } = {}): Promise<Served> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'jiexu-console-test-'));
  const own = opts.dataDir === undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C', LC_ALL: '', ...opts.env };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [JIEXU_FROM_SOURCE, 'serve', '--port', '0', '--data-dir', dataDir, '--reminder-interval', '0', ...(opts.args ?? [])], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jiexu serve printed no URL in ${STEP_TIMEOUT / 1000} s:\n${stderr}`)), STEP_TIMEOUT);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      // the listening line is complete once its newline has arrived
      const m = /listening on (http:\/\/[^\s]+) .*\n/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`jiexu serve exited (${code}) before listening:\n${stderr}`));
    });
  });
  return {
    url,
    consoleUrl: `${url}/console/`,
    dataDir,
    log: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      if (own) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's chromium, headless, with the flags CI needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, timeout: STEP_TIMEOUT });
}

export interface Opened {
  context: BrowserContext;
  page: Page;
  /** Every request the page made (main frame, workers, fetches), in order. */
  requests: Request[];
  /** Uncaught page errors and console errors, for a test to assert on. */
  errors: string[];
}

/** A new context and page, recording its requests and errors, navigated to `url` (waits for load). */
export async function openPage(browser: Browser, url: string, opts: { locale?: string } = {}): Promise<Opened> {
  const context = await browser.newContext({ locale: opts.locale ?? 'zh-CN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const requests: Request[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r));
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { context, page, requests, errors };
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(TEST_OUTPUT, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: STEP_TIMEOUT });
  return file;
}

/** Runs axe-core (from node_modules, injected: nothing fetched) on the page; returns its violations of impact serious or critical. */
export async function seriousAccessibilityViolations(page: Page): Promise<Array<{ id: string; impact: string; help: string; nodes: string[] }>> {
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}
