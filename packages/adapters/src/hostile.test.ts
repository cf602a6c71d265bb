/**
 * Hostile and unusual input is refused early, each refusal with its own code
 * and position: xlsx bombs and lying zip directories, formula cells, deep or
 * attribute-laden XML, content gd-xml does not have, control characters in
 * values, truncated last lines and CR-only line ends.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, type Limits } from './index.ts';
import { FIXTURES_DIR } from './testing/expected.ts';
import { mutateWorkbook } from './testing/workbook.ts';
import { readZip, writeZip } from './testing/zip.ts';
import { bombEntries, deepenXml } from './fuzz/mutations.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixture = (f: string): string => fileURLToPath(new URL(f, FIXTURES_DIR));

async function run(format: string, name: string, bytes: Buffer | string, limits?: Partial<Limits>) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const d = decode(format, path, { limits });
  let records = 0;
  for await (const _ of d) records++;
  return { records, report: d.report, codes: d.report.issues.map((i) => i.code) };
}

const issueOf = (r: Awaited<ReturnType<typeof run>>, code: string) => {
  const i = r.report.issues.find((x) => x.code === code);
  if (!i) throw new Error(`no ${code} among ${r.codes.join(', ')}`);
  return i;
};

describe('bj-xlsx as a zip', () => {
  it('a bomb (a sheet inflating 1000 times) is refused from the directory, before inflating', async () => {
    const entries = await readZip(fixture('bj-xlsx-110000.xlsx'));
    const sheet = entries.find((e) => /worksheets\/sheet2\.xml$/.test(e.name))!;
    const started = Date.now();
    const r = await run('bj-xlsx', 'bomb.xlsx', writeZip(bombEntries(entries, 64 << 20, /worksheets\/sheet2\.xml$/)));
    // a guard against inflating first (that took 51 s and 1.8 GB), not a timing: the figure is measured by hand on a quiet machine (docs/adapters.md)
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(issueOf(r, 'legacy-xlsx-ratio')).toMatchObject({ severity: 'fatal', location: { path: sheet.name } });
    expect(r.records).toBe(0);
  });

  it('a workbook larger uncompressed than the limit is refused (--max-xlsx-size)', async () => {
    const r = await run('bj-xlsx', 'big.xlsx', await readFile(fixture('bj-xlsx-110000.xlsx')), { xlsxUncompressed: 10_000 });
    expect(issueOf(r, 'legacy-xlsx-too-large').severity).toBe('fatal');
  });

  it('too many entries are refused (--max-xlsx-entries)', async () => {
    const r = await run('bj-xlsx', 'many.xlsx', await readFile(fixture('bj-xlsx-110000.xlsx')), { xlsxEntries: 3 });
    expect(issueOf(r, 'legacy-xlsx-entries').severity).toBe('fatal');
  });

  it('a directory that understates an entry is caught while inflating', async () => {
    const entries = await readZip(fixture('bj-xlsx-110000.xlsx'));
    const sheet = entries.find((e) => /worksheets\/sheet2\.xml$/.test(e.name))!;
    sheet.declaredSize = 100;
    const r = await run('bj-xlsx', 'liar.xlsx', writeZip(entries));
    expect(issueOf(r, 'legacy-syntax')).toMatchObject({ severity: 'fatal', location: { path: sheet.name } });
  });

  // exceljs reads a zip front to back by its local headers: one that disagrees with the directory made it read other
  // entries than those checked, or wait for bytes that never come (past 30 s with the event loop kept busy)
  /** The offset of the entry's local header: its name's first occurrence (local headers come before the directory), less the 30 bytes before it. */
  const localHeader = (bytes: Buffer, entry: string): number => bytes.indexOf(Buffer.from(entry)) - 30;
  it.each([
    ['a name', 30 + 4, 'names "xl/wnrksheets/sheet2.xml", the directory "xl/worksheets/sheet2.xml"'],
    ['the compressed size', 18, 'gives compressed size 18908, the directory 18909'],
    ['the flags (sizes after the data)', 6, 'has flags 8, the directory 0'],
    ['the compression method', 8, 'has compression method 9, the directory 8'],
  ])('a local header that disagrees with the directory in %s is refused at its entry before exceljs reads it', async (_what, field, why) => {
    const bytes = await readFile(fixture('bj-xlsx-110000.xlsx'));
    const at = localHeader(bytes, 'xl/worksheets/sheet2.xml');
    expect(bytes.readUInt32LE(at)).toBe(0x04034b50);
    const flipped = Buffer.from(bytes);
    flipped[at + field] ^= field === 6 ? 0x08 : 1;
    const r = await run('bj-xlsx', 'local-header.xlsx', flipped);
    const i = issueOf(r, 'legacy-syntax');
    expect(i).toMatchObject({ severity: 'fatal', location: { path: 'xl/worksheets/sheet2.xml' } });
    expect(i.message.en).toContain(`its local header at byte ${at} ${why}`);
    expect(i.message.zh).toContain(`其本地文件头（第 ${at} 字节）`);
    expect(r.records).toBe(0);
  });

  it('a local header not where the entry before it ends is refused (bytes slipped in between)', async () => {
    const entries = await readZip(fixture('bj-xlsx-110000.xlsx'));
    const bytes = writeZip(entries);
    const at = localHeader(bytes, 'xl/worksheets/sheet2.xml');
    // 4 bytes inserted before sheet2's local header, every offset after it in the directory moved along: only the gap is wrong
    const moved = Buffer.concat([bytes.subarray(0, at), Buffer.alloc(4), bytes.subarray(at)]);
    const end = moved.length - 22;
    const dirAt = moved.readUInt32LE(end + 16) + 4;
    moved.writeUInt32LE(dirAt, end + 16);
    for (let c = dirAt; moved.readUInt32LE(c) === 0x02014b50; c += 46 + moved.readUInt16LE(c + 28)) if (moved.readUInt32LE(c + 42) >= at) moved.writeUInt32LE(moved.readUInt32LE(c + 42) + 4, c + 42);
    const r = await run('bj-xlsx', 'gap.xlsx', moved);
    expect(issueOf(r, 'legacy-syntax')).toMatchObject({ severity: 'fatal', location: { path: 'xl/worksheets/sheet2.xml' } });
    expect(issueOf(r, 'legacy-syntax').message.en).toContain('is 4 bytes after the end of the entry before it');
  });

  it('bytes between the last entry and the directory are refused (a front-to-back reader would meet them)', async () => {
    const entries = await readZip(fixture('bj-xlsx-110000.xlsx'));
    const bytes = writeZip(entries);
    const end = bytes.length - 22;
    const dirAt = bytes.readUInt32LE(end + 16);
    const moved = Buffer.concat([bytes.subarray(0, dirAt), Buffer.from('junk'), bytes.subarray(dirAt)]);
    moved.writeUInt32LE(dirAt + 4, moved.length - 22 + 16);
    const r = await run('bj-xlsx', 'tail.xlsx', moved);
    expect(issueOf(r, 'legacy-syntax')).toMatchObject({ severity: 'fatal', location: { path: entries[entries.length - 1].name } });
    expect(issueOf(r, 'legacy-syntax').message.en).toContain(`the central directory does not follow the last entry (at byte ${dirAt})`);
  });

  it('sizes in data descriptors (as streaming writers put them) are read as the directory says', async () => {
    const entries = await readZip(fixture('bj-xlsx-110000.xlsx'));
    const plain = await run('bj-xlsx', 'plain.xlsx', writeZip(entries));
    const r = await run('bj-xlsx', 'descriptors.xlsx', writeZip(entries.map((e) => ({ ...e, descriptor: true }))));
    expect(r.codes).toEqual(plain.codes);
    expect(r.report.valid).toBe(true);
    expect(r.records).toBe(plain.records);
    expect(r.records).toBeGreaterThan(0);
  });

  it('a formula cell is refused at its cell, not read by its cached value', async () => {
    const target = join(dir, 'formula.xlsx');
    await mutateWorkbook(fixture('bj-xlsx-110000.xlsx'), target, (wb) => {
      wb.getWorksheet('缴费明细')!.getCell('E3').value = { formula: 'E2*1', result: 9999 } as never;
    });
    const d = decode('bj-xlsx', target);
    for await (const _ of d);
    const i = d.report.issues.find((x) => x.code === 'legacy-formula-cell');
    expect(i).toMatchObject({ severity: 'error', location: { sheet: '缴费明细', row: 3, field: '缴费基数' } });
  });
});

describe('gd-xml', () => {
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n<InsuranceExport xmlns="urn:gd:si:export:2.1" region="440300" generated="2026-03-01T10:00:00+08:00">\n';
  const person = '<Person idNo="41152519680302863X" name="郝萍" gender="M" birthDate="1968-03-02">';
  const period = '<Period from="2015-08" to="2015-10" base="6123.45" employer="857.28" individual="489.88" status="normal" employerId="914403003MMPU13U61"/>';
  const account = '<Account year="2015" contributed="2449.40" interest="0.00" balance="2449.40"/>';
  const doc = (scheme: string, personTag = person) => `${head}${personTag}<Scheme code="110">${scheme}</Scheme></Person>\n</InsuranceExport>\n`;

  it('depth 100,000 is refused at the depth limit (in time linear in the bytes read)', async () => {
    const d = 100_000;
    const started = Date.now();
    const deep = deepenXml(Buffer.from(`${head}</InsuranceExport>\n`), d);
    expect(deep.line).toBe(2); // nested just after the root's start tag
    const r = await run('gd-xml', 'deep.xml', deep.bytes);
    // a guard against the old quadratic walk (past 240 s), not a timing: CI shares its machine
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(issueOf(r, 'legacy-xml-too-deep')).toMatchObject({ severity: 'fatal', location: { line: deep.line } });
  });

  it('a run of start tags without their ">" is refused in time linear in the bytes (the person-order pre-scan too)', async () => {
    // 1 MiB of `<Person ` and of `<Person idNo="`: the pre-scan's pattern scanned from every one of them to the end of the text
    for (const unit of ['<Person ', '<Person idNo="']) {
      const started = Date.now();
      const r = await run('gd-xml', 'open-tags.xml', `${head}${unit.repeat((1 << 20) / unit.length)}`);
      // a guard against the quadratic scan (1.2 s at 16,000 tags, minutes at 1 MiB), not a timing: CI shares its machine
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(r.report.valid).toBe(false);
      expect(r.records).toBe(0);
    }
  });

  it('an element with too many attributes is refused (--max-xml-attributes)', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ` x${i}="1"`).join('');
    const r = await run('gd-xml', 'attrs.xml', doc(period.replace('/>', `${many}/>`)));
    expect(issueOf(r, 'legacy-xml-attributes')).toMatchObject({ severity: 'error', location: { line: 3 } });
  });

  it.each([
    ['a comment', `<!-- note -->${period}`],
    ['a CDATA section', `<![CDATA[x]]>${period}`],
    ['a character reference', period.replace('base="6123.45"', 'base="&#54;123.45"')],
    ['text content', `${period}text`],
    ['text inside a Period', period.replace('/>', '>text</Period>')],
    ['an element inside a Period', period.replace('/>', '><Extra x="1"/></Period>')],
    ['a comment inside a Period', period.replace('/>', '><!-- note --></Period>')],
    ['a Period after an Account', `${period}${account}${period.replace('2015-08', '2015-11').replace('2015-10', '2015-12')}`],
  ])('%s is reported at its position', async (_name, scheme) => {
    const r = await run('gd-xml', 'content.xml', doc(scheme));
    expect(issueOf(r, 'legacy-xml-unexpected')).toMatchObject({ severity: 'error', location: { line: 3 } });
    expect(r.report.valid).toBe(false);
  });

  it('a control character in a code is refused at its field', async () => {
    const r = await run('gd-xml', 'control.xml', doc(period, person.replace('>', ' hukouRegion="&#9;40121">')));
    expect(r.report.valid).toBe(false);
    expect(r.report.issues.some((i) => i.code === 'legacy-field-invalid' && i.location?.field === 'hukouRegion')).toBe(true);
  });
});

describe('delimited line ends', () => {
  it('a file cut before its final line feed is reported (ln-jb, zj-csv)', async () => {
    for (const [format, file] of [['ln-jb', 'ln-jb-210100.txt'], ['zj-csv', 'zj-csv-330100.csv']]) {
      const bytes = await readFile(fixture(file));
      const cut = bytes.subarray(0, bytes.length - (format === 'zj-csv' ? 2 : 1));
      const r = await run(format, `cut-${file}`, cut);
      const i = issueOf(r, 'legacy-line-incomplete');
      expect(i.severity).toBe('error');
      expect(i.location?.line).toBe(bytes.toString('latin1').split('\n').length - 1);
    }
  });

  it('CR-only line ends get the line-end warning', async () => {
    const bytes = await readFile(fixture('ln-jb-210100.txt'));
    const r = await run('ln-jb', 'cr.txt', Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r'), 'latin1'));
    expect(issueOf(r, 'legacy-line-end')).toMatchObject({ severity: 'warning', location: { line: 1 } });
  });
});
