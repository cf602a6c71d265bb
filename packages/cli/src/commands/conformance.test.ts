/**
 * `jiexu conformance` on the two reference formats a regional team added
 * from outside the adapters package (docs/adapters/ah-dbf, docs/adapters/sc-json)
 * — the conformance run CI makes for them — and on a damaged sample;
 * `jiexu formats new` scaffolds a folder that passes it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const DOCS = fileURLToPath(new URL('../../../../docs/adapters/', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-conformance-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('jiexu conformance', () => {
  it.each([
    ['ah-dbf', 'ah-dbf-340100.dbf'],
    ['sc-json', 'sc-json-510100'],
  ])('%s (docs/adapters) conforms: its sample and generated records round-trip', async (name, sample) => {
    const r = await runCli(['conformance', '--formats-dir', join(DOCS, name), '--format', name, join(DOCS, name, sample), '--lang', 'en']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^pass  .*${sample}: \\d+ records round-trip equal\\npass  generated records: 25 sets round-trip equal \\(seed 20260301\\)\\n${name} conforms\\n$`));
    expect(r.code).toBe(0);
  }, 120_000);

  it('a sample that does not round-trip fails with its errors, in Chinese too, and exits 1', async () => {
    const bad = join(dir, 'bad.dbf');
    const bytes = Buffer.from(readFileSync(join(DOCS, 'ah-dbf', 'ah-dbf-340100.dbf')));
    bytes.writeUInt32LE(bytes.readUInt32LE(4) + 3, 4); // the header counts 3 records more than the file holds
    writeFileSync(bad, bytes);
    const r = await runCli(['conformance', '--formats-dir', join(DOCS, 'ah-dbf'), '--format', 'ah-dbf', bad, '--runs', '0', '--lang', 'zh']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^失败  .*bad\.dbf：/);
    expect(r.stdout).toMatch(/legacy-header-mismatch/);
    expect(r.stdout).toMatch(/ah-dbf 不符合规范\n$/);
  });

  it('an unknown format is a usage error', async () => {
    const r = await runCli(['conformance', '--format', 'nope', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown format "nope"/);
  });
});

describe('jiexu formats new', () => {
  it.each(['dbf', 'json', 'delimited'])('--like %s scaffolds mapping, sample and test that pass jiexu conformance', async (like) => {
    const name = `xx-${like}`;
    const r = await runCli(['formats', 'new', name, '--like', like, '--dir', dir, '--lang', 'en']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const folder = join(dir, name);
    for (const f of ['mapping.json', 'conformance.test.mjs']) expect(existsSync(join(folder, f))).toBe(true);
    const sample = r.stdout.match(new RegExp(`(${name}-[0-9]{6}[^,\\s]*)`))![1];
    // in this process the folder is loaded already (a second process would give --formats-dir)
    const c = await runCli(['conformance', '--format', name, join(folder, sample), '--runs', '5', '--lang', 'en']);
    expect(c.stdout).toMatch(new RegExp(`${name} conforms`));
    expect(c.code).toBe(0);
  }, 120_000);

  it('refuses an existing name and an unknown --like', async () => {
    expect((await runCli(['formats', 'new', 'jx-fixed', '--like', 'dbf', '--dir', dir])).code).toBe(2);
    const r = await runCli(['formats', 'new', 'xy-new', '--like', 'cobol', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--like cobol: neither a framing/);
  });
});
