import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStorage } from '@jiexu/platform';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGLISH, runCli } from '../testing/run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'jiexu-cli-platform-'));
const dataDir = join(work, 'data');
const originalUrl = process.env.DATABASE_URL;
const schema = `jiexu_cli_${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  if (originalUrl) {
    // the commands read DATABASE_URL: point it at a schema of our own
    await (await openStorage({ databaseUrl: originalUrl, schema })).close(); // creates the schema
    const u = new URL(originalUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    process.env.DATABASE_URL = u.toString();
  }
});
afterAll(async () => {
  process.env.DATABASE_URL = originalUrl;
  if (originalUrl) {
    const s = await openStorage({ databaseUrl: originalUrl, schema });
    await s.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await s.close();
  }
  rmSync(work, { recursive: true, force: true });
});

const jiexu = (...args: string[]) => runCli(args, ENGLISH);

describe(`jiexu platform (${originalUrl ? 'postgres' : 'pglite'})`, { timeout: 180_000 }, () => {
  it('keygen writes a working Ed25519 pair, private key readable only by its owner, and never overwrites silently', async () => {
    const keys = join(work, 'keys');
    const r = await jiexu('platform', 'keygen', '--out', keys, '--name', 'nanchang');
    expect(r.code).toBe(0);
    const priv = createPrivateKey(readFileSync(join(keys, 'nanchang.key')));
    const pub = createPublicKey(readFileSync(join(keys, 'nanchang.pub')));
    expect(pub.asymmetricKeyType).toBe('ed25519');
    const sig = sign(null, Buffer.from('x'), priv);
    expect(verify(null, Buffer.from('x'), pub, sig)).toBe(true);
    expect(statSync(join(keys, 'nanchang.key')).mode & 0o077).toBe(0);
    const again = await jiexu('platform', 'keygen', '--out', keys, '--name', 'nanchang');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(readFileSync(join(keys, 'nanchang.key'), 'utf8')).toBe(priv.export({ type: 'pkcs8', format: 'pem' }).toString());
  });

  it('add-institution, list, disable and enable work on the same storage, with exit 1 for bad input', async () => {
    const pub = join(work, 'keys', 'nanchang.pub');
    const add = await jiexu('platform', 'add-institution', '--id', '360100-si', '--region', '360100', '--schemes', '110,210', '--public-key', pub, '--data-dir', dataDir);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect((await jiexu('platform', 'add-institution', '--id', '360100-si', '--region', '360100', '--schemes', '110', '--public-key', pub, '--data-dir', dataDir)).code).toBe(1);
    const badRegion = await jiexu('platform', 'add-institution', '--id', '360200-si', '--region', '3602', '--schemes', '110', '--public-key', pub, '--data-dir', dataDir);
    expect(badRegion.code).toBe(1);
    expect(badRegion.stderr).toMatch(/region "3602" must be a 6-digit/);
    const noKey = await jiexu('platform', 'add-institution', '--id', '360200-si', '--region', '360200', '--schemes', '110', '--public-key', join(work, 'nope.pub'), '--data-dir', dataDir);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/nope\.pub: no such file/);

    const listed = JSON.parse((await jiexu('platform', 'list', '--json', '--data-dir', dataDir)).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ id: '360100-si', region: '360100', schemes: ['110', '210'], status: 'active', publicKeys: [readFileSync(pub, 'utf8')] }),
    ]);
    expect((await jiexu('platform', 'disable', '360100-si', '--data-dir', dataDir)).code).toBe(0);
    expect(JSON.parse((await jiexu('platform', 'list', '--json', '--data-dir', dataDir)).stdout)[0].status).toBe('disabled');
    expect((await jiexu('platform', 'enable', '360100-si', '--data-dir', dataDir)).code).toBe(0);
    expect((await jiexu('platform', 'list', '--data-dir', dataDir)).stdout).toMatch(/360100-si\t360100\t110,210\t1\.0\tactive/);
    // the version of the standard an institution reads: declared when added, changed later, only a supported one
    const on11 = await jiexu('platform', 'add-institution', '--id', '440300-si', '--region', '440300', '--schemes', '110', '--public-key', pub, '--standard-version', '1.1', '--data-dir', dataDir, '--json');
    expect(on11.code).toBe(0);
    expect(JSON.parse(on11.stdout).standardVersion).toBe('1.1');
    const badVersion = await jiexu('platform', 'add-institution', '--id', '440100-si', '--region', '440100', '--schemes', '110', '--public-key', pub, '--standard-version', '3.0', '--data-dir', dataDir);
    expect(badVersion.code).toBe(1);
    expect(badVersion.stderr).toMatch(/standard version "3.0" is not supported/);
    expect((await jiexu('platform', 'set-standard-version', '440300-si', '1.0', '--data-dir', dataDir)).stdout).toBe('440300-si now reads standard 1.0\n');
    expect((await jiexu('platform', 'set-standard-version', '440300-si', '9.9', '--data-dir', dataDir)).code).toBe(1);
    expect((await jiexu('platform', 'disable', '440300-si', '--data-dir', dataDir)).code).toBe(0);
    // key rotation: add a second key, remove the first; the last key stays
    await jiexu('platform', 'keygen', '--out', join(work, 'keys'), '--name', 'next');
    const next = join(work, 'keys', 'next.pub');
    expect((await jiexu('platform', 'add-key', '360100-si', '--public-key', next, '--data-dir', dataDir)).code).toBe(0);
    expect((await jiexu('platform', 'remove-key', '360100-si', '--public-key', pub, '--data-dir', dataDir)).code).toBe(0);
    const last = await jiexu('platform', 'remove-key', '360100-si', '--public-key', next, '--data-dir', dataDir);
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/last key/);
    expect(JSON.parse((await jiexu('platform', 'list', '--json', '--data-dir', dataDir)).stdout)[0].publicKeys).toEqual([readFileSync(next, 'utf8')]);
    // the operator's console keys: added once, removed once, never back
    const opKey = await jiexu('platform', 'add-operator-key', '--public-key', next, '--data-dir', dataDir, '--json');
    expect(opKey.code, opKey.stderr).toBe(0);
    const { kid } = JSON.parse(opKey.stdout);
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await jiexu('platform', 'remove-operator-key', '--public-key', next, '--data-dir', dataDir)).stdout).toBe(`removed the operator console key ${kid}\n`);
    const again = await jiexu('platform', 'add-operator-key', '--public-key', next, '--data-dir', dataDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a removed key cannot come back/);
    const unknown = await jiexu('platform', 'disable', '999999-x', '--data-dir', dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no institution 999999-x/);
  });

  it('serve refuses bad options with exit 2', async () => {
    const r = await jiexu('serve', '--port', 'eighty', '--data-dir', dataDir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port must be an integer/);
  });
});
