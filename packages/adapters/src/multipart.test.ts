/**
 * Multi-part exports with a single-file framing: a folder of files (one per
 * region or year) is read part by part, every position and issue naming its
 * part; `recordsPerPart` writes a folder of parts, renamed into place only
 * when the whole run succeeded.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError, detectFormat, readRecords, writeRecords } from './index.ts';
import { essences } from './conformance/index.ts';
import { FIXTURES_DIR } from './testing/expected.ts';

const fixture = (f: string) => fileURLToPath(new URL(f, FIXTURES_DIR));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-parts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('multi-part exports', () => {
  it('recordsPerPart writes a folder of parts that reads back to the same records, each record naming its part', async () => {
    const { records } = await readRecords(fixture('zj-csv-330100.csv'));
    const out = join(dir, 'zj-parts');
    const { report } = await writeRecords(records, 'zj-csv', out, { writer: { recordsPerPart: 3 } });
    expect(report.valid).toBe(true);
    const parts = readdirSync(out);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]).toBe('zj-csv-0001.csv');
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(await detectFormat(out)).toBe('zj-csv');
    const back = await readRecords(out, { format: 'zj-csv' });
    expect(back.report.issues.filter((i) => i.severity !== 'information')).toEqual([]);
    expect(essences(back.records)).toEqual(essences(records));
    expect(back.records[back.records.length - 1].provenance.file).toBe(parts[parts.length - 1]);
    expect(back.records[0].contributions[0].at).not.toHaveProperty('file');
  });

  it('an issue in one part names that part and its line', async () => {
    const folder = join(dir, 'broken');
    await mkdir(folder);
    const text = readFileSync(fixture('zj-csv-330100.csv'), 'utf8');
    await writeFile(join(folder, 'a-2019.csv'), text);
    const lines = text.split('\r\n');
    lines[2] = lines[2].replace(',5800.00,', ',5800.0,');
    await writeFile(join(folder, 'b-2020.csv'), lines.join('\r\n'));
    const r = await readRecords(folder, { format: 'zj-csv' });
    expect(r.report.issues.find((i) => i.code === 'legacy-amount-not-exact')?.location).toMatchObject({ file: 'b-2020.csv', line: 3 });
  });

  it('a failed run leaves no folder, and an existing non-empty folder is refused', async () => {
    const { records } = await readRecords(fixture('zj-csv-330100.csv'));
    const out = join(dir, 'failed');
    const bad = records.map((r, i) => (i === records.length - 1 ? { ...r, scheme: '999' as typeof r.scheme } : r));
    const { report } = await writeRecords(bad, 'zj-csv', out, { writer: { recordsPerPart: 2 } });
    expect(report.valid).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    await expect(writeRecords(records, 'zj-csv', join(dir, 'broken'), { writer: { recordsPerPart: 2 } })).rejects.toThrow(AdapterError);
  });

  it('writer options are checked against the framing', async () => {
    await expect(writeRecords([], 'zj-csv', join(dir, 'x'), { writer: { pageSize: 3 } })).rejects.toThrow(/pageSize: is not a known property here; expected one of recordsPerPart/);
  });
});
