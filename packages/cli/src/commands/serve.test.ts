/**
 * `jiexu serve --standard`: the real command (spawned from source) on the released standard
 * refuses a message that exists only in the 1.2 draft (422), and with `--standard 1.2-draft`
 * accepts it (202); an unknown version is a usage error (exit 2) naming the choices.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, makeEnvelope, PlatformError } from '@jiexu/client';
import { openStorage } from '@jiexu/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHINESE, ENGLISH, runCli } from '../testing/run-cli.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const JIEXU = join(ROOT, 'packages/cli/scripts/jiexu-from-source.mjs');
const work = mkdtempSync(join(tmpdir(), 'jiexu-cli-serve-'));
const dataDir = join(work, 'data');
const originalUrl = process.env.DATABASE_URL;
const schema = `jiexu_cli_serve_${randomBytes(5).toString('hex')}`;
const SHENYANG = '210100-si';
let databaseUrl: string | undefined;
let privateKey: KeyObject;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (originalUrl) {
    await (await openStorage({ databaseUrl: originalUrl, schema })).close(); // creates the schema
    const u = new URL(originalUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = u.toString();
  }
  const keys = generateKeyPairSync('ed25519');
  privateKey = keys.privateKey;
  writeFileSync(join(work, 'shenyang.pub'), keys.publicKey.export({ type: 'spki', format: 'pem' }));
  const env = { ...ENGLISH, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const added = await runCli(['platform', 'add-institution', '--id', SHENYANG, '--region', '210100', '--schemes', '110,210', '--public-key', join(work, 'shenyang.pub'), '--data-dir', dataDir], env);
  expect(added.code, added.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  if (originalUrl) {
    const s = await openStorage({ databaseUrl: originalUrl, schema });
    await s.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await s.close();
  }
  rmSync(work, { recursive: true, force: true });
});

/** Starts `jiexu serve` with `args`; resolves with its URL and a stop function once it listens. */
function serve(args: string[]): Promise<{ url: string; banner: string; stop: () => Promise<void> }> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '' };
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    else delete env.DATABASE_URL;
    const child = spawn(process.execPath, [JIEXU, 'serve', '--port', '0', '--data-dir', dataDir, '--reminder-interval', '0', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolvePromise({ url: m[1], banner: stderr, stop: () => (child.kill('SIGTERM'), exited) });
    });
    child.once('exit', (code) => reject(new Error(`jiexu serve exited ${code}: ${stderr}`)));
  });
}

/** unemployment.benefit-started (1.2 only), Shenyang to the platform, from the standard's own example. */
function benefitStarted() {
  const dir = join(ROOT, 'schemas/1.2/messages/examples/unemployment.benefit-started/valid');
  const data = JSON.parse(readFileSync(join(dir, readdirSync(dir).sort()[0]), 'utf8'));
  return makeEnvelope({ message: 'unemployment.benefit-started', sender: SHENYANG, receivers: ['100000-platform'], caseId: `${SHENYANG}:UB-${randomBytes(4).toString('hex')}`, caseType: 'unemployment-benefit', data, version: '1.2' });
}

async function send(url: string) {
  const client = createClient({ baseUrl: url, institutionId: SHENYANG, privateKey, retries: 0 });
  try {
    return await client.send(benefitStarted());
  } catch (err) {
    if (err instanceof PlatformError) return err;
    throw err;
  } finally {
    await client.close();
  }
}

describe(`jiexu serve --standard (${originalUrl ? 'postgres' : 'pglite'})`, { timeout: 180_000 }, () => {
  it('refuses an unknown version with exit 2, naming the choices, in the user\'s language', async () => {
    const en = await runCli(['serve', '--standard', '1.3-draft', '--data-dir', dataDir], ENGLISH);
    expect(en.code).toBe(2);
    expect(en.stderr).toMatch(/--standard: unknown standard version "1\.3-draft"; one of: 1\.1, 1\.2-draft/);
    const zh = await runCli(['serve', '--standard', '1.2', '--data-dir', dataDir], CHINESE);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toMatch(/--standard：未知的标准版本 "1\.2"；可选：1\.1, 1\.2-draft/);
    const help = await runCli(['serve', '--help'], CHINESE);
    expect(help.stdout).toMatch(/--standard <version>\s+平台所依据的标准版本/);
  });

  it('refuses a 1.2-only message (422) on the released standard and accepts it (202) with --standard 1.2-draft', async () => {
    const released = await serve([]);
    expect(released.banner).toMatch(/standard: 1\.1\)/);
    const refused = await send(released.url);
    await released.stop();
    expect(refused).toBeInstanceOf(PlatformError);
    expect(refused).toMatchObject({ status: 422 });

    const draft = await serve(['--standard', '1.2-draft']);
    expect(draft.banner).toMatch(/standard: 1\.2-draft\)/);
    const accepted = await send(draft.url);
    await draft.stop();
    expect(accepted).toMatchObject({ status: 'accepted', replayed: false });
  });
});
