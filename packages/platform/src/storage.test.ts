import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addInstitution, generateKeyPair, listInstitutions } from './directory.ts';
import { openStorage, StorageError } from './storage.ts';

// the real command, run from its sources (every @jiexu package's src/, no build needed)
const JIEXU = fileURLToPath(new URL('../../cli/scripts/jiexu-from-source.mjs', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'jiexu-platform-'));
  dirs.push(d);
  return join(d, 'data');
}

// Creating a PGlite database (initdb) is slow; every test starts from a copy of one,
// cleanly shut down, holding one institution.
let template: string;
beforeAll(async () => {
  template = await freshDir();
  const s = await openStorage({ dataDir: template });
  await addInstitution(s.db, { id: '360100-si', region: '360100', schemes: ['110'], publicKeys: [generateKeyPair().publicKeyPem] });
  await s.close();
}, 180_000);

async function dataDir(): Promise<string> {
  const d = await freshDir();
  await cp(template, d, { recursive: true });
  return d;
}

/** Runs `jiexu serve` on a data directory until it exits or prints that it listens. */
function serve(dir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [JIEXU, 'serve', '--lang', 'en', '--port', '0', '--data-dir', dir], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let stopped = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      // once: a second SIGTERM while it shuts down is an interrupt (exit 2)
      if (!stopped && stderr.includes('listening on')) {
        stopped = true;
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

async function largestFile(dir: string): Promise<string> {
  let best = { path: '', size: -1 };
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const { size } = await stat(path);
    if (path.includes(`${join('pgdata', 'base')}`) && size > best.size) best = { path, size };
  }
  return best.path;
}

// PGlite start-up is CPU-bound: generous timeouts for a busy machine
describe('the PGlite data directory', { timeout: 180_000 }, () => {
  it('keeps what was written across a clean restart', async () => {
    const dir = await dataDir();
    const a = await openStorage({ dataDir: dir });
    await addInstitution(a.db, { id: '110100-si', region: '110100', schemes: ['110'], publicKeys: [generateKeyPair().publicKeyPem] });
    await a.close();
    const b = await openStorage({ dataDir: dir });
    expect((await listInstitutions(b.db)).map((i) => i.id)).toEqual(['110100-si', '360100-si']);
    await b.close();
  });

  it('refuses a second user while the first is alive, and takes over a stale lock', async () => {
    const dir = await dataDir();
    const a = await openStorage({ dataDir: dir });
    await expect(openStorage({ dataDir: dir })).rejects.toThrow(StorageError);
    await a.close();
    await writeFile(join(dir, 'LOCK'), '999999999'); // a process that does not exist
    const b = await openStorage({ dataDir: dir });
    await b.close();
  });

  it('refuses to start on a damaged data directory: jiexu serve exits 2 with a clear message', async () => {
    const dir = await dataDir();
    const victim = await largestFile(dir);
    const { size } = await stat(victim);
    await truncate(victim, Math.floor(size / 2));
    const { code, stderr } = await serve(dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/data directory .* is damaged: file pgdata\/base\/.* changed size .*refusing to start/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('also catches a change that keeps the size', async () => {
    const dir = await dataDir();
    const manifest = JSON.parse(await readFile(join(dir, 'CLEAN.json'), 'utf8'));
    const victim = await largestFile(dir);
    const bytes = await readFile(victim);
    bytes[100] ^= 0xff;
    await writeFile(victim, bytes);
    expect(Object.keys(manifest.files).length).toBeGreaterThan(10);
    await expect(openStorage({ dataDir: dir })).rejects.toThrow(/changed content/);
  });

  it('starts after an unclean stop (no clean-shutdown manifest): PGlite recovers', async () => {
    const dir = await dataDir();
    await rm(join(dir, 'CLEAN.json'));
    const { code, stderr } = await serve(dir);
    expect(stderr).toMatch(/listening on/);
    expect(code === 0 || code === null, stderr).toBe(true);
  });
});
