/**
 * `jiexu convert`, `jiexu formats` and `jiexu validate --format`: every sample
 * converts to canonical and back; malformed input exits 1 naming the position
 * and leaves no output; several regions into a one-region format need --region.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formats } from '@jiexu/adapters';
import { ENGLISH, runCli } from '../testing/run-cli.ts';
import { mutateWorkbook } from '../../../adapters/src/testing/workbook.ts';

const FIXTURES = fileURLToPath(new URL('../../../adapters/src/__fixtures__/', import.meta.url));
const fixture = (f: string) => join(FIXTURES, f);

const jiexu = (args: string[]) => runCli(args, ENGLISH);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-convert-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('jiexu formats', () => {
  it('lists every adapter format and canonical', async () => {
    const r = await jiexu(['formats', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { name: string }[]).map((f) => f.name)).toEqual(formats.map((f) => f.name));
    const human = await jiexu(['formats']);
    for (const f of formats) expect(human.stdout).toContain(f.name);
    expect(human.stdout).toContain('canonical');
  });
});

describe('jiexu convert', () => {
  it.each(['jx-fixed-360100.txt', 'gd-xml-440300.xml', 'zj-csv-330200.csv', 'ln-jb-210100.txt', 'bj-xlsx-110000.xlsx'])('%s → canonical → its format → canonical gives the same records', async (file) => {
    const format = file.replace(/-[0-9]{6}\..*$/, '');
    const a = join(dir, `${file}.jsonl`);
    const legacy = join(dir, `again-${file}`);
    const b = join(dir, `${file}.again.jsonl`);
    expect((await jiexu(['convert', fixture(file), '--to', 'canonical', '-o', a])).code).toBe(0);
    expect((await jiexu(['convert', a, '--from', 'canonical', '--to', format, '-o', legacy])).code).toBe(0);
    expect((await jiexu(['convert', legacy, '--from', format, '--to', 'canonical', '-o', b])).code).toBe(0);
    const strip = (t: string) => t.trim().split('\n').map((l) => JSON.stringify(JSON.parse(l), (k, v) => (k === 'at' || k === 'file' || k === 'exportedAt' ? undefined : v)));
    expect(strip(readFileSync(b, 'utf8'))).toEqual(strip(readFileSync(a, 'utf8')));
  });

  it('writes canonical JSONL to stdout with -o -', async () => {
    const r = await jiexu(['convert', fixture('jx-fixed-360100.txt'), '--from', 'jx-fixed', '--to', 'canonical', '-o', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(Array(5).fill('contribution-record'));
  });

  it('malformed input: exit 1, the position named, no output file', async () => {
    const bad = join(dir, 'bad.csv');
    const text = readFileSync(fixture('zj-csv-330100.csv'), 'utf8').split('\r\n');
    text[3] = text[3].replace(',812.00,', ',812.1,');
    await writeFile(bad, text.join('\r\n'));
    const out = join(dir, 'bad-out.txt');
    const r = await jiexu(['convert', bad, '--from', 'zj-csv', '--to', 'jx-fixed', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:4: error legacy-amount-not-exact \[单位月缴费\(元\)\]/);
    expect(existsSync(out)).toBe(false);
  });

  it('a file in the wrong encoding is recognised as such (exit 1)', async () => {
    const utf8 = join(dir, 'utf8-ln.txt');
    await writeFile(utf8, new TextDecoder('gbk').decode(readFileSync(fixture('ln-jb-210100.txt'))), 'utf8');
    const r = await jiexu(['convert', utf8, '--from', 'ln-jb', '--to', 'canonical', '-o', join(dir, 'never.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fatal legacy-encoding.*UTF-8, not GBK/);
    expect(existsSync(join(dir, 'never.jsonl'))).toBe(false);
  });

  it('records of several regions into a one-region format need --region (exit 2, nothing written), then convert', async () => {
    const all = join(dir, 'two-regions.jsonl');
    const parts: string[] = [];
    for (const f of ['zj-csv-330100.csv', 'zj-csv-330200.csv']) {
      const r = await jiexu(['convert', fixture(f), '--to', 'canonical', '-o', '-']);
      parts.push(r.stdout);
    }
    await writeFile(all, parts.join(''));
    const out = join(dir, 'one.csv');
    const refused = await jiexu(['convert', all, '--from', 'canonical', '--to', 'zj-csv', '-o', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--region/);
    expect(existsSync(out)).toBe(false);
    const ok = await jiexu(['convert', all, '--from', 'canonical', '--to', 'zj-csv', '-o', out, '--region', '330200']);
    expect(ok.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\r\n').slice(1, -1).every((l) => l.split(',')[3] === '330200')).toBe(true);
  });

  it('--strict turns the damaged-name warning into an error', async () => {
    const lenient = await jiexu(['convert', fixture('ln-jb-210100.txt'), '--to', 'canonical', '-o', join(dir, 'ln.jsonl')]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/warning legacy-name-damaged/);
    const strict = await jiexu(['convert', fixture('ln-jb-210100.txt'), '--to', 'canonical', '-o', join(dir, 'ln-strict.jsonl'), '--strict']);
    expect(strict.code).toBe(1);
    expect(existsSync(join(dir, 'ln-strict.jsonl'))).toBe(false);
  });

  it('usage errors exit 2', async () => {
    expect((await jiexu(['convert', fixture('ln-jb-210100.txt'), '--to', 'nope', '-o', join(dir, 'x')])).code).toBe(2);
    expect((await jiexu(['convert', join(dir, 'missing.txt'), '--to', 'canonical', '-o', join(dir, 'x')])).code).toBe(2);
    expect((await jiexu(['convert', fixture('ln-jb-210100.txt'), '--to', 'jx-fixed', '-o', join(dir, 'x'), '--region', '36'])).code).toBe(2);
    const unwritable = await jiexu(['convert', fixture('ln-jb-210100.txt'), '--to', 'canonical', '-o', join(dir, 'no-such-dir', 'x.jsonl')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/cannot write .*ENOENT/);
  });
});

describe('jiexu validate --format', () => {
  const latin1 = (f: string) => readFileSync(fixture(f)).toString('latin1');
  it.each([
    ['jx-fixed', 'jx-fixed-360700.txt', (t: string) => t.replace(/^(D.{63})0/m, '$1O'), /:2: error legacy-amount-not-exact \[单位缴费\]/],
    ['ln-jb', 'ln-jb-210100.txt', (t: string) => t.replace('|4606.31|', '|4606.3|'), /:2: error legacy-amount-not-exact \[AAE180\]/],
    ['zj-csv', 'zj-csv-330200.csv', (t: string) => t.replace(',5800.00,', ',5800,'), /:2: error legacy-amount-not-exact/],
    ['gd-xml', 'gd-xml-440300.xml', (t: string) => t.replace('status="normal"', 'status="ok"'), /:5:\d+:\/InsuranceExport\/Person\[1\]\/Scheme\[1\]\/Period\[1\]: error legacy-code-unknown \[status\]/],
  ])('%s: a malformed file exits 1 and names the position', async (format, file, spoil, where) => {
    const bad = join(dir, `bad-${file}`);
    await writeFile(bad, Buffer.from(spoil(latin1(file)), 'latin1'));
    const r = await jiexu(['validate', '--format', format, bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(where);
  });

  it('bj-xlsx: a malformed workbook exits 1 and names the sheet, row and field', async () => {
    const bad = join(dir, 'bad-bj-xlsx-110000.xlsx');
    await mutateWorkbook(fixture('bj-xlsx-110000.xlsx'), bad, (wb) => {
      wb.getWorksheet('缴费明细')!.getCell('E5').value = 4280.123;
    });
    const r = await jiexu(['validate', '--format', 'bj-xlsx', bad, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { issues: { code: string; location: Record<string, unknown> }[] }[] };
    const issue = report.files[0].issues.find((i) => i.code === 'legacy-amount-not-exact')!;
    expect(issue.location).toMatchObject({ sheet: '缴费明细', row: 5, field: '缴费基数' });
  });

  it('exit 0 for a sample, 1 for a malformed file with its position', async () => {
    const ok = await jiexu(['validate', '--format', 'gd-xml', fixture('gd-xml-441900.xml')]);
    expect(ok.code).toBe(0);
    const bad = join(dir, 'bad.xml');
    await writeFile(bad, readFileSync(fixture('gd-xml-441900.xml'), 'utf8').replace('employer="857.28"', 'employer="857.285"'));
    const r = await jiexu(['validate', '--format', 'gd-xml', bad, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { issues: { code: string; location: { path?: string; field?: string } }[] }[] };
    const issue = report.files[0].issues.find((i) => i.code === 'legacy-amount-not-exact')!;
    expect(issue.location).toMatchObject({ path: '/InsuranceExport/Person[1]/Scheme[1]/Period[1]', field: 'employer' });
  });
});
