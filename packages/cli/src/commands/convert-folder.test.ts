/**
 * `jiexu convert` with folders: a paged export (docs/adapters/sc-json) read
 * as a folder, written back as pages with --writer-option pageSize; a bad
 * writer option is a usage error; nothing is left behind on failure.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const FORMAT = fileURLToPath(new URL('../../../../docs/adapters/sc-json/', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-convert-folder-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('jiexu convert with folders', () => {
  it('a paged export → canonical → pages of another size', async () => {
    const a = await runCli(['convert', join(FORMAT, 'sc-json-510100'), '--formats-dir', FORMAT, '--to', 'canonical', '-o', join(dir, 'a.jsonl')]);
    expect(a.stderr).toMatch(/converted 5 records \(sc-json → canonical\)/);
    expect(a.code).toBe(0);
    const b = await runCli(['convert', join(dir, 'a.jsonl'), '--formats-dir', FORMAT, '--to', 'sc-json', '--writer-option', 'pageSize=25', '-o', join(dir, 'pages')]);
    expect(b.code).toBe(0);
    expect(readdirSync(join(dir, 'pages'))).toEqual(['page-0001.json', 'page-0002.json', 'page-0003.json', 'page-0004.json', 'page-0005.json']);
    const c = await runCli(['validate', '--formats-dir', FORMAT, '--format', 'sc-json', join(dir, 'pages')]);
    expect(c.code).toBe(0);
  });

  it('validate names the page an issue is in (the folder for issues of the whole export)', async () => {
    const pages = join(dir, 'broken');
    cpSync(join(FORMAT, 'sc-json-510100'), pages, { recursive: true });
    writeFileSync(join(pages, 'page-0002.json'), readFileSync(join(pages, 'page-0002.json'), 'utf8').replace('"2016-12"', '"2016-13"'));
    writeFileSync(join(pages, 'page-0003.json'), readFileSync(join(pages, 'page-0003.json'), 'utf8').replace('"total": 3', '"total": 4'));
    const r = await runCli(['validate', '--formats-dir', FORMAT, '--format', 'sc-json', '--json', pages]);
    expect(r.code).toBe(1);
    const issues = JSON.parse(r.stdout).files[0].issues as { code: string; location: { file: string; field?: string } }[];
    expect(issues.find((i) => i.location.field === 'period')?.location.file).toBe(join(pages, 'page-0002.json'));
    expect(issues.filter((i) => i.code === 'legacy-part-missing').map((i) => i.location.file)).toContain(join(pages, 'page-0003.json'));
    expect(issues.every((i) => i.location.file === pages || i.location.file.startsWith(`${pages}/page-`))).toBe(true);
  });

  it('a writer option the format does not take exits 2 and writes nothing', async () => {
    const r = await runCli(['convert', join(dir, 'a.jsonl'), '--formats-dir', FORMAT, '--to', 'sc-json', '--writer-option', 'pagesize=25', '-o', join(dir, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/pagesize: is not a known property here; expected one of recordsPerPart, pageSize/);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });

  it('recordsPerPart splits a single-file format into parts', async () => {
    const r = await runCli(['convert', join(dir, 'a.jsonl'), '--to', 'zj-csv', '--writer-option', 'recordsPerPart=2', '-o', join(dir, 'zj')]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'zj'))).toEqual(['zj-csv-0001.csv', 'zj-csv-0002.csv']); // 2 records a part at most, a person's records kept together
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
