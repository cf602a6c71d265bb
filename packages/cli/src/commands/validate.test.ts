import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { citizenIdCheckChar } from '@jiexu/standard';
import { ENGLISH, runCli } from '../testing/run-cli.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = path.join(root, 'packages/cli/scripts/jiexu-from-source.mjs');
const sample = JSON.parse(readFileSync(path.join(root, 'schemas/1.0/contribution-record/examples/valid/pension-liaoning.json'), 'utf8'));

const jiexu = (args: string[]) => runCli(args, ENGLISH);

/** Runs the real command, from its sources: node packages/cli/scripts/jiexu-from-source.mjs. */
function spawnJiexu(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
const file = (name: string, content: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};
const variant = (change: (r: any) => void) => {
  const r = structuredClone(sample);
  change(r);
  return r;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'jiexu-validate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jiexu validate', () => {
  it('accepts a record whose person is 11010519491231002X', async () => {
    expect(sample.person.id).toBe('11010519491231002X');
    const r = await jiexu(['validate', file('ok.json', sample)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok\.json: 1 document, 0 errors, 0 warnings: valid/);
  });

  it('rejects a bad check character, an unknown region and a bad USCC, naming each field', async () => {
    const files = [
      file('id.json', variant((r) => (r.person.id = '11010519491231002Y'))),
      file('id-check.json', variant((r) => (r.person.id = '110105194912310021'))),
      file('region.json', variant((r) => (r.region = '360721'))),
      file('uscc.json', variant((r) => (r.employers[0].id = '91350100M000100Y44'))),
    ];
    const r = await jiexu(['validate', ...files]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/id\.json:\d+:\d+: error pattern \/person\/id: "11010519491231002Y"/));
    expect(lines).toContainEqual(expect.stringMatching(/id-check\.json:\d+:\d+: error citizen-id-check \/person\/id: citizen ID check character is wrong: expected X/));
    expect(lines).toContainEqual(expect.stringMatching(/region\.json:\d+:\d+: error region-unknown \/region: pooling region "360721"/));
    expect(lines).toContainEqual(expect.stringMatching(/uscc\.json:\d+:\d+: error uscc-check \/employers\/0\/id: USCC check character is wrong: expected 3/));
  });

  it('writes a machine report with --json, in Chinese or English messages', async () => {
    const bad = file('bad.json', variant((r) => (r.region = '360721')));
    const r = await jiexu(['validate', '--json', file('good.json', sample), bad]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(false);
    expect(report.files.map((f: any) => [path.basename(f.file), f.documents, f.valid])).toEqual([
      ['good.json', 1, true],
      ['bad.json', 1, false],
    ]);
    expect(report.files[1].issues).toEqual([
      expect.objectContaining({ severity: 'error', code: 'region-unknown', pointer: '/region', value: '360721', location: expect.objectContaining({ file: bad, line: 11 }) }),
    ]);
    const zh = await jiexu(['validate', '--lang', 'zh', bad]);
    expect(zh.stdout).toContain('统筹地区代码 "360721" 不是现行的行政区划代码');
  });

  it('reads JSON Lines from stdin, one document per line, positions by line (spawned)', () => {
    const lines = [JSON.stringify(sample), '', JSON.stringify(variant((r) => (r.contributions[2].month = '1998-01'))), '{"kind":', JSON.stringify({ hello: 1 })].join('\n');
    const r = spawnJiexu(['validate', '--json', '-'], `${lines}\n`);
    expect(r.code).toBe(1);
    const [f] = JSON.parse(r.stdout).files;
    expect(f.documents).toBe(4);
    expect(f.issues.map((i: any) => `${i.location.line} ${i.code} ${i.pointer ?? ''}`)).toEqual(['3 month-duplicate /contributions/2/month', '4 json-syntax ', '5 unknown-kind ']);
  });

  it('counts warnings as errors with --strict', async () => {
    const first17 = '11010319491231002'; // 110103 崇文区, abolished in 2010: the ID stays valid
    const old = file('old-address.json', variant((r) => (r.person.id = first17 + citizenIdCheckChar(first17))));
    const lax = await jiexu(['validate', old]);
    expect(lax.code).toBe(0);
    expect(lax.stdout).toMatch(/warning region-unknown \/person\/id/);
    const strict = await jiexu(['validate', '--strict', old]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/error region-unknown \/person\/id/);
  });

  it('validates against a named schema with --schema', async () => {
    const noKind = file('no-kind.json', variant((r) => delete r.kind));
    expect((await jiexu(['validate', noKind])).stdout).toMatch(/fatal unknown-kind/);
    const r = await jiexu(['validate', '--schema', 'contribution-record', noKind]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error required \/kind/);
  });

  it('exits 2 with a clean message for a missing file or an unknown schema (spawned)', async () => {
    const missing = spawnJiexu(['validate', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^jiexu: .*nope\.json: no such file\n$/);
    expect(missing.stderr).not.toMatch(/\s+at /);
    const both = await jiexu(['validate', '--json', file('fine.json', sample), path.join(dir, 'gone.json')]);
    expect(both.code).toBe(2);
    const report = JSON.parse(both.stdout);
    expect(report.files.map((f: any) => f.valid)).toEqual([true]);
    expect(report.unreadable).toEqual([expect.stringMatching(/gone\.json: no such file$/)]);
    const schema = await jiexu(['validate', '--schema', 'no-such', file('x.json', sample)]);
    expect(schema.code).toBe(2);
    expect(schema.stderr).toMatch(/unknown schema "no-such"/);
  });
});
