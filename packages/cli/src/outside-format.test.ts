/**
 * A format declared in a temporary folder outside the repository, with a
 * framing of its own that imports `@jiexu/adapters` by name (no install, no
 * symlink, no package.json), loaded by the real `jiexu` command with
 * --formats-dir and JIEXU_FORMATS: listed, converted to canonical and back.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../scripts/jiexu-from-source.mjs', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./__fixtures__/outside-format/', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

let dir: string;
let formatDir: string;
const jiexu = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, JIEXU_FORMATS: '', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-outside-'));
  expect(dir.startsWith(REPO)).toBe(false);
  formatDir = join(dir, 'formats', 'xt-tagged');
  cpSync(FIXTURE, formatDir, { recursive: true });
  expect(existsSync(join(dir, 'node_modules'))).toBe(false);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a format with its own framing, outside the repository', () => {
  it('is listed by jiexu formats --formats-dir (a folder of format folders)', () => {
    const r = jiexu(['formats', '--json', '--formats-dir', join(dir, 'formats')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { name: string }[]).map((f) => f.name)).toContain('xt-tagged');
  });

  it('converts its sample to canonical and back to equal records (--formats-dir, then JIEXU_FORMATS)', () => {
    const sample = join(formatDir, 'sample.tag');
    const a = jiexu(['convert', sample, '--formats-dir', formatDir, '--from', 'xt-tagged', '--to', 'canonical', '-o', 'a.jsonl']);
    expect(a.stderr).toMatch(/converted 2 records/);
    expect(a.code).toBe(0);
    const records = readFileSync(join(dir, 'a.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => [r.person.name, r.scheme, r.contributions.length])).toEqual([['郝𠮷萍', '110', 3], ['郝𠮷萍', '210', 1]]);
    expect(records[0].contributions[2]).toMatchObject({ month: '2014-07', status: 'backpaid', employerFen: 116000 });

    const back = jiexu(['convert', 'a.jsonl', '--from', 'canonical', '--to', 'xt-tagged', '-o', 'back.tag'], { JIEXU_FORMATS: formatDir });
    expect(back.code).toBe(0);
    const again = jiexu(['convert', 'back.tag', '--to', 'canonical', '-o', 'b.jsonl'], { JIEXU_FORMATS: formatDir });
    expect(again.code).toBe(0);
    const strip = (t: string) => t.trim().split('\n').map((l) => { const r = JSON.parse(l); delete r.provenance; for (const c of r.contributions) delete c.at; return r; });
    expect(strip(readFileSync(join(dir, 'b.jsonl'), 'utf8'))).toEqual(strip(readFileSync(join(dir, 'a.jsonl'), 'utf8')));
  });

  it('reports the issue codes it declares (x-<format>-…), listed with their labels by jiexu formats --json', async () => {
    const bad = join(dir, 'bad-line.tag');
    await writeFile(bad, `${readFileSync(join(formatDir, 'sample.tag'), 'utf8')}Q|what\n`);
    const r = jiexu(['convert', bad, '--formats-dir', formatDir, '--from', 'xt-tagged', '--to', 'canonical', '-o', 'bad.jsonl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x-xt-tagged-tag-unknown/);
    expect(r.stderr).toMatch(/line 6|:6/);
    expect(existsSync(join(dir, 'bad.jsonl'))).toBe(false);
    const f = jiexu(['formats', '--json', '--formats-dir', formatDir]);
    expect((JSON.parse(f.stdout) as { name: string; issueCodes?: unknown }[]).find((x) => x.name === 'xt-tagged')?.issueCodes).toEqual([{ code: 'x-xt-tagged-tag-unknown', zh: '未知的行标记', en: 'Unknown line tag' }]);
  });

  it('a framing written in TypeScript (framing.ts) loads through the jiexu command run from its sources (on tsx)', async () => {
    const ts = join(dir, 'ts-format');
    cpSync(FIXTURE, ts, { recursive: true });
    renameSync(join(ts, 'framing.mjs'), join(ts, 'framing.ts'));
    const r = jiexu(['convert', join(ts, 'sample.tag'), '--formats-dir', ts, '--to', 'canonical', '-o', 'ts.jsonl']);
    expect(r.stderr).toMatch(/converted 2 records \(xt-tagged → canonical\)/);
    expect(r.code).toBe(0);
  });

  it('a broken mapping exits 2 with one line naming the file and the pointer', async () => {
    const bad = join(dir, 'bad');
    cpSync(FIXTURE, bad, { recursive: true });
    const m = JSON.parse(readFileSync(join(bad, 'mapping.json'), 'utf8'));
    m.name = 'xt-bad';
    delete m.issueCodes;
    m.framing.separatr = m.framing.separator;
    await writeFile(join(bad, 'mapping.json'), JSON.stringify(m));
    const r = jiexu(['formats', '--formats-dir', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`jiexu: ${join(bad, 'mapping.json').replace(`${dir}/`, '')}: /framing/separatr: is not a known property here; expected one of kind, separator, person, row`);
  });
});
