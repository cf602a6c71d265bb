/**
 * worksheets() (xlsx-sheets.ts: exceljs's parsers fed from the zip directory)
 * against the path it shortcuts, exceljs's own streaming reader unzipping the
 * workbook front to back: the same records and the same issues (codes,
 * positions, messages) on the bj-xlsx sample and on workbooks changed around
 * it (the fuzz suite's zip mutations, flips and cuts inside the sheets' and
 * shared strings' XML, the entries in other orders, data descriptors, a
 * formula cell). And what only the new path does right: text split between
 * two inflated chunks.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type ExcelJS from 'exceljs';
import { decode } from '../index.ts';
import { FIXTURES_DIR } from '../testing/expected.ts';
import { mutateWorkbook } from '../testing/workbook.ts';
import { readZip, writeZip, type ZipEntry } from '../testing/zip.ts';
import { rng, zipMutations } from '../fuzz/mutations.ts';
import type { WorkbookStream } from './xlsx-sheets.ts';

/** When set, worksheets() is exceljs's own reader (its unzip, its temporary files): the reference. */
const reference = vi.hoisted(() => ({ on: false }));
vi.mock('./xlsx-sheets.ts', async (original) => {
  const m = await original<typeof import('./xlsx-sheets.ts')>();
  return { ...m, worksheets: (path: string, reader: WorkbookStream) => (reference.on ? (reader as unknown as AsyncIterable<unknown>) : m.worksheets(path, reader)) };
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-xlsx-sheets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SAMPLE = fileURLToPath(new URL('bj-xlsx-110000.xlsx', FIXTURES_DIR));

async function read(path: string, asReference: boolean) {
  reference.on = asReference;
  try {
    const d = decode('bj-xlsx', path, { fileName: 'workbook.xlsx' }); // one name: provenance and issues name the file
    const records: unknown[] = [];
    for await (const r of d) records.push(r);
    return { records, issues: d.report.issues };
  } finally {
    reference.on = false;
  }
}

/**
 * A sheet's XML broken in several places: exceljs's parser keeps the last error of the chunk it was given
 * (lib/utils/parse-sax.js), so which one the fatal legacy-syntax names depends on the chunks: within 16 kB of the
 * first error now, within 64 kB before. Such a message is compared up to the parser's position.
 */
const XML_ERROR = /^(not a readable xlsx workbook: |不是可读取的 xlsx 工作簿：)\d+:\d+: .*$/;
const parserErrorsAlike = (issues: { code: string; message: { en: string; zh: string } }[]) =>
  issues.map((i) => (i.code === 'legacy-syntax' && XML_ERROR.test(i.message.en) ? { ...i, message: { en: i.message.en.replace(XML_ERROR, '$1(XML error)'), zh: i.message.zh.replace(XML_ERROR, '$1(XML error)') } } : i));

/** Both paths over one workbook: equal (XML errors up to their position, when `xmlErrors`), and how it ended. */
async function bothAgree(name: string, bytes: Buffer, xmlErrors = false): Promise<{ records: number; codes: string[] }> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const fast = await read(path, false);
  const slow = await read(path, true);
  if (xmlErrors) expect({ ...fast, issues: parserErrorsAlike(fast.issues) }, name).toEqual({ ...slow, issues: parserErrorsAlike(slow.issues) });
  else expect(fast, name).toEqual(slow);
  return { records: fast.records.length, codes: fast.issues.map((i) => i.code) };
}

/** The entry whose name matches, changed. */
const changed = (entries: ZipEntry[], name: RegExp, change: (data: Buffer) => Buffer): ZipEntry[] => entries.map((e) => (name.test(e.name) ? { ...e, data: change(e.data) } : e));

describe('worksheets() against exceljs reading the workbook itself', () => {
  it('the sample: the same records and issues', async () => {
    const r = await bothAgree('sample.xlsx', await readFile(SAMPLE));
    expect(r.records).toBe(13);
  });

  it('the fuzz suite zip mutations (flips, cuts, bombs, lying sizes, many entries)', async () => {
    const bytes = await readFile(SAMPLE);
    const variants = zipMutations(bytes, await readZip(SAMPLE), 36, 20261203);
    for (const [i, v] of variants.entries()) await bothAgree(`zip-${i}-${v.kind}.xlsx`, v.bytes);
  });

  it('flips and cuts inside the XML of the sheets and shared strings (valid zips: exceljs parses them)', async () => {
    const entries = await readZip(SAMPLE);
    const r = rng(11);
    const pick = (n: number): number => Math.floor(r() * n);
    const targets = [/sheet1\.xml$/, /sheet2\.xml$/, /sheet3\.xml$/, /sharedStrings\.xml$/, /workbook\.xml$/, /workbook\.xml\.rels$/];
    const outcomes = new Set<string>();
    for (let n = 0; n < 48; n++) {
      const target = targets[n % targets.length];
      const variant = changed(entries, target, (data) => {
        const b = Buffer.from(data);
        if (n % 4 === 3) return b.subarray(0, pick(b.length)); // cut
        // flips of a byte in the markup or a digit, a shared-string index or an amount
        for (let k = 0; k <= n % 3; k++) b[pick(b.length)] ^= 1 << pick(8);
        return b;
      });
      const got = await bothAgree(`xml-${n}.xlsx`, writeZip(variant), true);
      outcomes.add(got.records ? 'records' : (got.codes[0] ?? 'none'));
    }
    // both ends were reached: workbooks read, and workbooks exceljs could not parse
    expect(outcomes.has('records')).toBe(true);
    expect(outcomes.has('legacy-syntax')).toBe(true);
  });

  it('entries in other orders, and sizes in data descriptors', async () => {
    const entries = await readZip(SAMPLE);
    const first = (re: RegExp) => [...entries.filter((e) => re.test(e.name)), ...entries.filter((e) => !re.test(e.name))];
    // shared strings and relationships first: exceljs parses each sheet where it stands rather than after the last entry
    await bothAgree('directory-first.xlsx', writeZip(first(/sharedStrings|workbook\.xml|styles/)));
    // the rows sheet before the persons sheet: the two-pass read
    const twoPass = await bothAgree('rows-first.xlsx', writeZip(first(/sheet2\.xml$/)));
    expect(twoPass.records).toBe(13);
    await bothAgree('descriptors.xlsx', writeZip(entries.map((e) => ({ ...e, descriptor: true }))));
    // a sheet entry twice (the scan is then unsure), and one missing
    await bothAgree('sheet-twice.xlsx', writeZip([...entries, entries.find((e) => /sheet3\.xml$/.test(e.name))!]));
    await bothAgree('no-accounts.xlsx', writeZip(entries.filter((e) => !/sheet3\.xml$/.test(e.name))));
    await bothAgree('no-shared-strings.xlsx', writeZip(entries.filter((e) => !/sharedStrings/.test(e.name))));
  });

  it('a formula cell', async () => {
    const target = join(dir, 'formula-source.xlsx');
    await mutateWorkbook(SAMPLE, target, (wb: ExcelJS.Workbook) => {
      wb.getWorksheet('缴费明细')!.getCell('E3').value = { formula: 'E2*1', result: 9999 } as never;
    });
    const r = await bothAgree('formula.xlsx', await readFile(target));
    expect(r.codes).toContain('legacy-formula-cell');
  });
});

describe('worksheets() decodes text across inflated chunks', () => {
  it('reads a name split between two chunks as written (exceljs alone decodes each chunk apart: two U+FFFD)', async () => {
    const entries = await readZip(SAMPLE);
    const xml = entries.find((e) => /sharedStrings\.xml$/.test(e.name))!.data.toString('utf8');
    // a string of filler first, its length chosen so that 64 kB (and so every 16 kB) of inflated bytes end inside
    // the first character of 郝𠮷萍; every shared-string index in the sheets one up
    const head = xml.indexOf('<si>');
    const before = Buffer.byteLength(xml.slice(0, head)) + Buffer.byteLength('<si><t></t></si>');
    const name = Buffer.byteLength(xml.slice(head, xml.indexOf('郝𠮷萍')));
    const filler = 'x'.repeat(65536 - 1 - before - name);
    const grown = `${xml.slice(0, head)}<si><t>${filler}</t></si>${xml.slice(head)}`.replace(/uniqueCount="(\d+)"/, (_, n: string) => `uniqueCount="${Number(n) + 1}"`);
    expect(Buffer.from(grown).indexOf('郝𠮷萍') + 1).toBe(65536);
    const variant = entries.map((e) => {
      if (/sharedStrings\.xml$/.test(e.name)) return { ...e, data: Buffer.from(grown) };
      if (!/worksheets\/sheet\d+\.xml$/.test(e.name)) return e;
      return { ...e, data: Buffer.from(e.data.toString('utf8').replace(/(<c [^>]*t="s"[^>]*><v>)(\d+)(<\/v>)/g, (_, a: string, n: string, b: string) => `${a}${Number(n) + 1}${b}`)) };
    });
    const path = join(dir, 'split-name.xlsx');
    await writeFile(path, writeZip(variant));
    expect(await read(path, false)).toEqual(await read(SAMPLE, false));
  });
});
