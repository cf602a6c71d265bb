/**
 * Malformed input of every format: each problem reported with its own code and
 * its position (line and field, XML path, sheet and row), nothing passed on silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Issue } from '@jiexu/standard';
import { detectFormat, readRecords, writeRecords } from './index.ts';
import { FIXTURES_DIR } from './testing/expected.ts';
import { mutateWorkbook } from './testing/workbook.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES_DIR));

async function read(name: string, bytes: Buffer | string, format: string) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return readRecords(path, { format });
}

function find(issues: Issue[], code: string): Issue {
  const i = issues.find((x) => x.code === code);
  if (!i) throw new Error(`no ${code} among ${issues.map((x) => x.code).join(', ')}`);
  return i;
}

/** jx-fixed lines as GB18030 byte buffers without their CR LF. */
function jxLines(): Buffer[] {
  const b = fixture('jx-fixed-360100.txt');
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += 122) out.push(b.subarray(i, i + 120));
  return out;
}
const jxFile = (lines: Buffer[]): Buffer => Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\r\n')]));
function patch(line: Buffer, start: number, text: string): Buffer {
  const copy = Buffer.from(line);
  copy.write(text, start - 1, 'latin1');
  return copy;
}

describe('jx-fixed', () => {
  it('an amount that is not whole fen: line and field', async () => {
    const lines = jxLines();
    lines[2] = patch(lines[2], 65, '00001160O0');
    const { report } = await read('amount.txt', jxFile(lines), 'jx-fixed');
    const i = find(report.issues, 'legacy-amount-not-exact');
    expect(i.location).toMatchObject({ file: 'amount.txt', line: 3, field: '单位缴费' });
    expect(report.valid).toBe(false);
  });

  it('a record of the wrong length', async () => {
    const lines = jxLines();
    lines[3] = lines[3].subarray(0, 119);
    const { report } = await read('length.txt', jxFile(lines), 'jx-fixed');
    expect(find(report.issues, 'legacy-record-length').location).toMatchObject({ line: 4 });
  });

  it('account records after a record of the wrong length are still read', async () => {
    const lines = jxLines();
    lines[1] = lines[1].subarray(0, 110);
    const { records, report } = await read('shifted.txt', jxFile(lines), 'jx-fixed');
    expect(find(report.issues, 'legacy-record-length').location).toMatchObject({ line: 2 });
    const years = jxLines().filter((l) => l[0] === 0x41).length;
    expect(records.find((r) => r.scheme === '110')?.account?.length).toBe(years);
  });

  it('a trailer that disagrees with the body (a record lost)', async () => {
    const lines = jxLines();
    lines.splice(4, 1);
    const { report } = await read('trailer.txt', jxFile(lines), 'jx-fixed');
    const i = find(report.issues, 'legacy-trailer-mismatch');
    expect(i.location).toMatchObject({ line: lines.length, field: 'D记录数' });
  });

  it('a missing trailer', async () => {
    const { report } = await read('no-trailer.txt', jxFile(jxLines().slice(0, -1)), 'jx-fixed');
    find(report.issues, 'legacy-trailer-missing');
  });

  it('a month twice, a region other than the header’s, an unknown scheme code, a wrong ID check character', async () => {
    const lines = jxLines();
    const dup = Buffer.from(lines[2]);
    lines.splice(3, 0, dup); // line 4 repeats line 3's month
    lines[5] = patch(lines[5], 41, '360700');
    lines[6] = patch(lines[6], 47, '09');
    lines[7] = patch(lines[7], 19, lines[7][18] === 0x58 ? '0' : 'X');
    const { records, report } = await read('mixed.txt', jxFile(lines), 'jx-fixed');
    expect(find(report.issues, 'month-duplicate').location).toMatchObject({ line: 4 });
    expect(find(report.issues, 'legacy-region-mismatch').location).toMatchObject({ line: 6, field: '统筹地区' });
    expect(find(report.issues, 'legacy-code-unknown').location).toMatchObject({ line: 7, field: '险种' });
    expect(find(report.issues, 'citizen-id-check').location).toMatchObject({ line: 8, field: '公民身份号码' });
    // the region-mismatched month is kept, in a record of its own region
    expect(records.some((r) => r.region === '360700')).toBe(true);
  });

  it('a UTF-8 file is recognised as being in the wrong encoding', async () => {
    const text = iconv.decode(fixture('jx-fixed-360100.txt'), 'gb18030');
    const { records, report } = await read('utf8.txt', Buffer.from(text, 'utf8'), 'jx-fixed');
    const i = find(report.issues, 'legacy-encoding');
    expect(i.severity).toBe('fatal');
    expect(i.message.en).toMatch(/UTF-8/);
    expect(records).toEqual([]);
  });

  it('a file far larger than its trailer says is refused without reading it', async () => {
    const lines = jxLines();
    const body = Array.from({ length: 30_000 }, () => lines[1]);
    const trailer = patch(lines[lines.length - 1], 2, '00000000010000000000');
    const { records, report } = await read('large.txt', jxFile([lines[0], ...body, trailer]), 'jx-fixed');
    expect(find(report.issues, 'legacy-file-too-large').severity).toBe('fatal');
    expect(records).toEqual([]);
  });

  it('a line with no line end for far longer than a record is refused', async () => {
    const { report } = await read('noeol.txt', Buffer.concat([jxFile(jxLines().slice(0, 1)), Buffer.alloc(5000, 0x44)]), 'jx-fixed');
    expect(report.issues.some((i) => i.code === 'legacy-record-length')).toBe(true);
  });
});

describe('zj-csv', () => {
  const text = fixture('zj-csv-330100.csv').toString('utf8');
  it('an amount without exactly two decimals: line and field', async () => {
    const lines = text.split('\r\n');
    lines[2] = lines[2].replace(',5800.00,', ',5800.0,');
    const { report } = await read('amount.csv', lines.join('\r\n'), 'zj-csv');
    expect(find(report.issues, 'legacy-amount-not-exact').location).toMatchObject({ line: 3, field: '月缴费基数(元)' });
  });

  it('an employer code with a wrong check character', async () => {
    const lines = text.split('\r\n');
    lines[4] = lines[4].replace(/\(([0-9A-Z]{17})([0-9A-Z])\)$/, (_m, a: string, c: string) => `(${a}${c === '0' ? '1' : '0'})`);
    const { report } = await read('uscc.csv', lines.join('\r\n'), 'zj-csv');
    expect(find(report.issues, 'uscc-check').location).toMatchObject({ line: 5, field: '单位名称' });
  });

  it('an employer field without the code in parentheses (hook error)', async () => {
    const lines = text.split('\r\n');
    lines[2] = lines[2].replace(/\([0-9A-Z]{18}\)$/, '');
    const { report } = await read('hook.csv', lines.join('\r\n'), 'zj-csv');
    expect(find(report.issues, 'legacy-field-invalid').location).toMatchObject({ line: 3, field: '单位名称' });
  });

  it('a GB18030 file is recognised as being in the wrong encoding', async () => {
    const { report } = await read('gbk.csv', iconv.encode(text.replace(/^\uFEFF/, ''), 'gb18030'), 'zj-csv');
    expect(find(report.issues, 'legacy-encoding').message.en).toMatch(/not UTF-8|not valid UTF-8/);
  });

  it('a foreign header is refused', async () => {
    const { report } = await read('header.csv', text.replace('证件号码', '身份证号'), 'zj-csv');
    expect(find(report.issues, 'legacy-header-mismatch').location).toMatchObject({ line: 1 });
  });

  it('an unterminated quote is a syntax error with its line', async () => {
    const { report } = await read('quote.csv', `${text}"41152519680302863X,x\r\n`, 'zj-csv');
    expect(report.issues.some((i) => i.severity === 'fatal' && i.location?.line !== undefined)).toBe(true);
  });
});

describe('ln-jb', () => {
  const bytes = fixture('ln-jb-210100.txt');
  it('a pooling region other than the file’s: line and field', async () => {
    const lines = iconv.decode(bytes, 'cp936').split('\n');
    lines[9] = lines[9].replace('|210100|', '|210200|');
    const { report } = await read('region.txt', iconv.encode(lines.join('\n'), 'cp936'), 'ln-jb');
    expect(find(report.issues, 'legacy-region-mismatch').location).toMatchObject({ line: 10, field: 'AAB301' });
  });

  it("a person's name differing between rows is reported, not passed over", async () => {
    const lines = iconv.decode(bytes, 'cp936').split('\n');
    lines[6] = lines[6].replace('|高强兰|', '|高强|');
    const { report } = await read('name.txt', iconv.encode(lines.join('\n'), 'cp936'), 'ln-jb');
    expect(find(report.issues, 'legacy-person-inconsistent').location).toMatchObject({ line: 7, field: 'AAC003' });
  });

  it('a UTF-8 file is recognised as being in the wrong encoding', async () => {
    const { report } = await read('utf8.txt', Buffer.from(iconv.decode(bytes, 'cp936'), 'utf8'), 'ln-jb');
    expect(find(report.issues, 'legacy-encoding').message.en).toMatch(/UTF-8, not GBK/);
  });

  it('bytes invalid in code page 936 inside a name: line and field', async () => {
    const lines = iconv.decode(bytes, 'cp936').split('\n');
    const parts = lines.map((l) => iconv.encode(`${l}\n`, 'cp936'));
    const bad = Buffer.from(parts[3]);
    bad[19] = 0xff; // first byte of the name
    parts[3] = bad;
    const { report } = await read('bytes.txt', Buffer.concat(parts.slice(0, -1)), 'ln-jb');
    expect(find(report.issues, 'legacy-encoding').location).toMatchObject({ line: 4, field: 'AAC003' });
  });

  it('a line with a field too many', async () => {
    const lines = iconv.decode(bytes, 'cp936').split('\n');
    lines[5] += '|1';
    const { report } = await read('fields.txt', iconv.encode(lines.join('\n'), 'cp936'), 'ln-jb');
    expect(find(report.issues, 'legacy-record-length').location).toMatchObject({ line: 6 });
  });
});

describe('gd-xml', () => {
  const text = fixture('gd-xml-440300.xml').toString('utf8');
  it('a DOCTYPE (entities) is refused', async () => {
    const evil = text.replace('<InsuranceExport', '<!DOCTYPE InsuranceExport [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n<InsuranceExport').replace('name="黄然英"', 'name="&b;"');
    const { records, report } = await read('dtd.xml', evil, 'gd-xml');
    expect(find(report.issues, 'legacy-xml-dtd').severity).toBe('fatal');
    expect(records).toEqual([]);
  });

  it('an amount without two decimals: XML path and attribute', async () => {
    const { report } = await read('amount.xml', text.replace('base="6123.45"', 'base="6123.4"'), 'gd-xml');
    const i = find(report.issues, 'legacy-amount-not-exact');
    expect(i.location).toMatchObject({ path: '/InsuranceExport/Person[1]/Scheme[1]/Period[1]', field: 'base', line: 5 });
  });

  it('not well-formed: line and column', async () => {
    const { report } = await read('broken.xml', text.replace('</Scheme>', '</Schema>'), 'gd-xml');
    const i = find(report.issues, 'legacy-xml-syntax');
    expect(i.location?.line).toBeGreaterThan(1);
  });

  it('an element the format does not have is reported, not skipped silently', async () => {
    const { report } = await read('extra.xml', text.replace('<Account ', '<Bonus amount="1.00"/><Account '), 'gd-xml');
    expect(find(report.issues, 'legacy-xml-unexpected').location?.path).toMatch(/\/Bonus\[1\]$/);
  });

  it('a GB18030 file is recognised as being in the wrong encoding', async () => {
    const { report } = await read('gbk.xml', iconv.encode(text, 'gb18030'), 'gd-xml');
    find(report.issues, 'legacy-encoding');
  });
});

describe('bj-xlsx', () => {
  async function mutate(name: string, change: (wb: ExcelJS.Workbook) => void) {
    const path = join(dir, name);
    await mutateWorkbook(fileURLToPath(new URL('bj-xlsx-110000.xlsx', FIXTURES_DIR)), path, change);
    return readRecords(path, { format: 'bj-xlsx' });
  }

  it('an amount with more than two decimals: sheet, row and field', async () => {
    const { report } = await mutate('amount.xlsx', (wb) => {
      wb.getWorksheet('缴费明细')!.getCell('E5').value = 4280.123;
    });
    expect(find(report.issues, 'legacy-amount-not-exact').location).toMatchObject({ sheet: '缴费明细', row: 5, field: '缴费基数' });
  });

  it('an identifier stored as a number cell', async () => {
    const { report } = await mutate('number-id.xlsx', (wb) => {
      wb.getWorksheet('缴费明细')!.getCell('I3').value = 911100002;
    });
    expect(find(report.issues, 'legacy-field-invalid').location).toMatchObject({ sheet: '缴费明细', row: 3, field: '单位统一社会信用代码' });
  });

  it('a person missing from 人员信息', async () => {
    const { report } = await mutate('person.xlsx', (wb) => {
      wb.getWorksheet('人员信息')!.spliceRows(2, 1);
    });
    expect(find(report.issues, 'legacy-person-unknown').location).toMatchObject({ sheet: '缴费明细', row: 2 });
  });

  it('not a workbook at all', async () => {
    const { report } = await read('zip.xlsx', Buffer.from('PK\u0003\u0004 not really'), 'bj-xlsx');
    expect(report.issues.some((i) => i.severity === 'fatal')).toBe(true);
  });
});

describe('writing refuses what the format cannot hold, leaving no file', () => {
  it('a name over 20 GB18030 bytes in jx-fixed names the record', async () => {
    const { records } = await readRecords(fileURLToPath(new URL('jx-fixed-360100.txt', FIXTURES_DIR)));
    const long = records.map((r, i) => (i === 2 ? { ...r, person: { ...r.person, name: '欧阳娜娜娜娜娜娜娜娜娜' } } : r));
    const out = join(dir, 'long-name.txt');
    const { report } = await writeRecords(long, 'jx-fixed', out);
    const i = find(report.issues, 'legacy-field-too-large');
    expect(i.message.en).toMatch(/^record 3 /);
    expect(i.location).toMatchObject({ field: '姓名' });
    expect(existsSync(out)).toBe(false);
  });

  it('a scheme jx-fixed has no code for', async () => {
    const { records } = await readRecords(fileURLToPath(new URL('gd-xml-440300.xml', FIXTURES_DIR)));
    const out = join(dir, 'scheme.txt');
    const { report } = await writeRecords(records.map((r) => ({ ...r, scheme: '170' as const, account: undefined })), 'jx-fixed', out);
    expect(find(report.issues, 'legacy-code-unknown').location).toMatchObject({ field: '险种' });
    expect(existsSync(out)).toBe(false);
  });

  it('a control character in a fixed-width or XML field', async () => {
    const { records } = await readRecords(fileURLToPath(new URL('jx-fixed-360100.txt', FIXTURES_DIR)));
    const broken = records.map((r) => ({ ...r, person: { ...r.person, name: '郝\n萍' } }));
    const jx = await writeRecords(broken, 'jx-fixed', join(dir, 'ctl.txt'));
    expect(find(jx.report.issues, 'legacy-field-invalid').location).toMatchObject({ field: '姓名' });
    const gd = await writeRecords(records.map((r) => ({ ...r, person: { ...r.person, name: '郝\u0001萍' } })), 'gd-xml', join(dir, 'ctl.xml'));
    expect(find(gd.report.issues, 'legacy-field-invalid').location).toMatchObject({ field: 'name' });
    expect(existsSync(join(dir, 'ctl.txt')) || existsSync(join(dir, 'ctl.xml'))).toBe(false);
  });

  it('a name code page 936 cannot hold is written with ? and reported', async () => {
    const { records } = await readRecords(fileURLToPath(new URL('zj-csv-330200.csv', FIXTURES_DIR)));
    const out = join(dir, 'damaged.txt');
    const { report } = await writeRecords(records, 'ln-jb', out, { region: '330200' });
    expect(report.valid).toBe(true);
    expect(find(report.issues, 'legacy-name-damaged').severity).toBe('warning');
    expect(iconv.decode(readFileSync(out), 'cp936')).toContain('|郝?萍|');
  });
});

describe('detecting a format by content', () => {
  it.each(['jx-fixed-360100.txt', 'gd-xml-441900.xml', 'zj-csv-330100.csv', 'ln-jb-210100.txt', 'bj-xlsx-110000.xlsx'])('%s, renamed without extension', async (file) => {
    const path = join(dir, `detect-${file.replace(/\..*$/, '')}`);
    await writeFile(path, fixture(file));
    expect(await detectFormat(path)).toBe(file.replace(/-[0-9]{6}\..*$/, ''));
  });
});

describe('canonical JSON Lines', () => {
  it('a record breaking the schema is reported with its line and pointer, never encoded', async () => {
    const { records } = await readRecords(fileURLToPath(new URL('jx-fixed-360100.txt', FIXTURES_DIR)));
    const lines = records.map((r) => JSON.stringify(r));
    const bad = JSON.parse(lines[1]) as { contributions: { baseFen: number }[] };
    bad.contributions[3].baseFen = 4280.1;
    lines[1] = JSON.stringify(bad);
    lines[3] = '{"kind": "contribution-record",';
    const { records: read2, report } = await read('records.jsonl', `${lines.join('\n')}\n`, 'canonical');
    expect(report.issues.find((i) => i.pointer === '/contributions/3/baseFen')?.location).toMatchObject({ line: 2 });
    expect(find(report.issues, 'canonical-json-invalid').location).toMatchObject({ line: 4 });
    expect(read2.length).toBe(records.length - 2);
  });
});

describe('hostile sizes', () => {
  it('an XML attribute of megabytes is refused', async () => {
    const text = fixture('gd-xml-440300.xml').toString('utf8').replace('name="郝𠮷萍"', `name="${'郝'.repeat(3 << 20)}"`);
    const { records, report } = await read('huge.xml', text, 'gd-xml');
    expect(find(report.issues, 'legacy-record-too-large').severity).toBe('fatal');
    expect(records).toEqual([]);
  });

  it('a CSV row of megabytes is refused', async () => {
    const text = `${fixture('zj-csv-330100.csv').toString('utf8')}"${'华'.repeat(1 << 20)}",x\r\n`;
    const { report } = await read('huge.csv', text, 'zj-csv');
    expect(find(report.issues, 'legacy-record-too-large').severity).toBe('fatal');
  });
});
