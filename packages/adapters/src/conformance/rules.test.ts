/** The conformance rules accept the sample exports and catch each kind of violation. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { getAdapter } from '../index.ts';
import { FIXTURES_DIR } from '../testing/expected.ts';
import { checkDelimited, checkFixed, checkSpreadsheet, checkXml } from './rules.ts';

const bytes = (f: string) => readFileSync(new URL(f, FIXTURES_DIR));
const mapping = (f: string) => getAdapter(f).mapping;

describe('fixed-width rules', () => {
  const file = bytes('jx-fixed-360700.txt');
  it('accept the sample', () => expect(checkFixed(file, mapping('jx-fixed'))).toEqual([]));
  it('catch a trailer sum that disagrees', () => {
    const bad = Buffer.from(file);
    const t = bad.length - 122;
    bad.write('9', t + 35, 'latin1');
    expect(checkFixed(bad, mapping('jx-fixed')).join()).toMatch(/trailer.employerFenSum/);
  });
  it('catch a monthly record after an account record', () => {
    const recs: Buffer[] = [];
    for (let i = 0; i < file.length; i += 122) recs.push(file.subarray(i, i + 122));
    const firstA = recs.findIndex((r) => r[0] === 0x41);
    [recs[firstA - 1], recs[firstA]] = [recs[firstA], recs[firstA - 1]];
    expect(checkFixed(Buffer.concat(recs), mapping('jx-fixed')).join()).toMatch(/follows an account record/);
  });
  it('catch a bare LF', () => {
    expect(checkFixed(Buffer.from(file.toString('latin1').replace('\r\n', '\n '), 'latin1'), mapping('jx-fixed')).join()).toMatch(/line end/);
  });
});

describe('delimited rules', () => {
  const text = bytes('zj-csv-330200.csv').toString('utf8');
  const check = (t: string) => checkDelimited(Buffer.from(t, 'utf8'), mapping('zj-csv'));
  it('accept the sample', () => expect(check(text)).toEqual([]));
  it('catch a one-decimal amount', () => expect(check(text.replace(',5800.00,', ',5800.0,')).join()).toMatch(/two decimals/));
  it('catch quoting without need and a needed quote missing', () => {
    expect(check(text.replace(',男,', ',"男",')).join()).toMatch(/quoted without need/);
    expect(check(text.replace('"安居物业服务有限公司,南昌分部(913302006B25ME4N44)"', '安居物业服务有限公司,南昌分部(913302006B25ME4N44)')).join()).toMatch(/has 13 fields/);
  });
  it('catch LF line ends and a missing BOM', () => {
    expect(check(text.replaceAll('\r\n', '\n')).join()).toMatch(/line/);
    expect(check(text.replace(/^\uFEFF/, '')).join()).toMatch(/byte order mark/);
  });
  it('catch runs left unmerged', () => {
    const lines = text.split('\r\n');
    const i = lines.findIndex((l) => /,2022\.04,2022\.11,/.test(l));
    const split = [lines[i].replace(',2022.04,2022.11,', ',2022.04,2022.06,'), lines[i].replace(',2022.04,2022.11,', ',2022.07,2022.11,')];
    lines.splice(i, 1, ...split);
    expect(check(lines.join('\r\n')).join()).toMatch(/not merged/);
  });
});

describe('xml rules', () => {
  const text = bytes('gd-xml-440300.xml').toString('utf8');
  const check = (t: string) => checkXml(Buffer.from(t, 'utf8'), mapping('gd-xml'));
  it('accept the sample', () => expect(check(text)).toEqual([]));
  it('catch a run left unmerged and an inexact amount', () => {
    const run = '<Period from="2016-01" to="2016-08" base="6123.45" employer="857.28" individual="489.88" status="normal" employerId="914403003MMPU13U61"/>';
    expect(text).toContain(run);
    const split = `${run.replace('to="2016-08"', 'to="2016-03"')}\n      ${run.replace('from="2016-01"', 'from="2016-04"')}`;
    expect(check(text.replace(run, split)).join()).toMatch(/not merged/);
    expect(check(text.replace('base="6123.45"', 'base="6123.450"')).join()).toMatch(/two decimals/);
  });
  it('catch a DOCTYPE', () => expect(check(text.replace('<InsuranceExport', '<!DOCTYPE x>\n<InsuranceExport')).join()).toMatch(/DOCTYPE/));
});

describe('spreadsheet rules', () => {
  const path = fileURLToPath(new URL('bj-xlsx-110000.xlsx', FIXTURES_DIR));
  it('accept the sample', async () => expect(await checkSpreadsheet(path, mapping('bj-xlsx'))).toEqual([]));
  it('catch a numeric identifier cell and an amount with three decimals', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jiexu-rules-'));
    try {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path);
      wb.getWorksheet('缴费明细')!.getCell('B2').value = 110000;
      wb.getWorksheet('缴费明细')!.getCell('E3').value = 1.005;
      const out = join(dir, 'bad.xlsx');
      await wb.xlsx.writeFile(out);
      const v = (await checkSpreadsheet(out, mapping('bj-xlsx'))).join('\n');
      expect(v).toMatch(/B2 参保地区划 is not a text cell/);
      expect(v).toMatch(/E3 缴费基数 1.005 has more than two decimals/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

