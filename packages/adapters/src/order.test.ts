/**
 * Any row order: every sample, rewritten in month order (rows of all people
 * interleaved, as systems export 缴费明细 sorted by 费款所属期), converts to
 * exactly the records of the person-ordered file — with the rows sorted in
 * memory and with a tiny threshold that spills runs to temporary files and
 * merges them; the person-ordered files themselves stream ungrouped (the
 * contiguity scan says so). Positions (`at`) differ between the two files and are left out
 * of the comparison; nothing else is.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, getAdapter, type ContributionRecord } from './index.ts';
import { personContiguous } from './contiguity.ts';
import { mutateWorkbook } from './testing/workbook.ts';
import { FIXTURES_DIR } from './testing/expected.ts';
import { liveTemps } from './temp.ts';
import { tempFoldersMadeBy } from './testing/private-tmp.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-order-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixture = (f: string): string => fileURLToPath(new URL(f, FIXTURES_DIR));
const stableSortBy = <T>(xs: T[], key: (x: T) => string): T[] =>
  xs.map((x, i) => [x, i] as const).sort((a, b) => (key(a[0]) < key(b[0]) ? -1 : key(a[0]) > key(b[0]) ? 1 : a[1] - b[1])).map(([x]) => x);

/** Delimited text: the header line kept, the data lines sorted by the month field (stable). */
function delimitedByMonth(bytes: Buffer, eol: string, encoding: string, monthField: number, delimiter: string): Buffer {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const lines = iconv.decode(bytes.subarray(bom ? 3 : 0), encoding).split(eol);
  const last = lines.pop();
  expect(last).toBe('');
  const [header, ...rows] = lines;
  const month = (l: string): string => (parse(l, { delimiter, quote: delimiter === '|' ? false : '"', relax_quotes: true }) as string[][])[0][monthField];
  const sorted = stableSortBy(rows, month);
  expect(sorted).not.toEqual(rows);
  return Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), iconv.encode([header, ...sorted].join(eol) + eol, encoding)]);
}

/** jx-fixed: D records interleaved by 费款所属期 (bytes 49–54), header, A records and trailer where they were. */
function fixedByMonth(bytes: Buffer): Buffer {
  const lineLen = 122;
  const lines: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += lineLen) lines.push(bytes.subarray(i, i + lineLen));
  const d = lines.filter((l) => l[0] === 0x44);
  // by month; and where the people's months do not overlap (so month order keeps them apart), dealt round-robin
  const byMonth = stableSortBy(d, (l) => l.toString('latin1', 48, 54));
  const people = new Map<string, Buffer[]>();
  for (const l of byMonth) people.set(l.toString('latin1', 1, 19), [...(people.get(l.toString('latin1', 1, 19)) ?? []), l]);
  const sorted: Buffer[] = [];
  for (let i = 0; sorted.length < byMonth.length; i++) for (const rows of people.values()) if (rows[i]) sorted.push(rows[i]);
  expect(sorted).not.toEqual(d);
  let k = 0;
  return Buffer.concat(lines.map((l) => (l[0] === 0x44 ? sorted[k++] : l)));
}

/** gd-xml: each Period (and Account) in a Person/Scheme of its own, Periods sorted by `from`, then the Accounts. */
function xmlByMonth(text: string): string {
  const out: { key: string; xml: string }[] = [];
  let person = '';
  let scheme = '';
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.startsWith('<Person ')) person = t;
    else if (t.startsWith('<Scheme ')) scheme = t;
    else if (t.startsWith('<Period ') || t.startsWith('<Account ')) {
      const key = t.startsWith('<Period ') ? /from="([^"]*)"/.exec(t)![1] : `~${/year="([^"]*)"/.exec(t)![1]}`;
      out.push({ key, xml: `  ${person}\n    ${scheme}\n      ${t}\n    </Scheme>\n  </Person>` });
    }
  }
  const head = text.slice(0, text.indexOf('\n', text.indexOf('<InsuranceExport')) + 1);
  return `${head}${stableSortBy(out, (o) => o.key).map((o) => o.xml).join('\n')}\n</InsuranceExport>\n`;
}

async function xlsxByMonth(source: string, target: string): Promise<void> {
  await mutateWorkbook(source, target, (wb: ExcelJS.Workbook) => {
    const ws = wb.getWorksheet('缴费明细')!;
    const rows: ExcelJS.CellValue[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as ExcelJS.CellValue[]).slice(1));
    });
    const key = (r: ExcelJS.CellValue[]): string => (r[3] instanceof Date ? r[3].toISOString() : String(r[3]));
    const sorted = stableSortBy(rows, key);
    expect(sorted).not.toEqual(rows);
    sorted.forEach((values, i) => {
      const row = ws.getRow(i + 2);
      values.forEach((v, c) => {
        row.getCell(c + 1).value = v;
      });
    });
  });
}

/** Records without positions, in a fixed order, with the report's issue codes. */
async function read(format: string, path: string, rowsInMemory?: number): Promise<{ records: unknown[]; codes: string[]; valid: boolean }> {
  const d = decode(format, path, { rowsInMemory });
  const records: ContributionRecord[] = [];
  for await (const r of d) records.push(r);
  const strip = (r: ContributionRecord): unknown => {
    const { at: _at, ...provenance } = r.provenance;
    const out = { ...r, provenance, contributions: r.contributions.map(({ at: _a, ...c }) => c) };
    if (r.account) out.account = r.account.map((a) => ({ ...a, at: undefined }));
    return out;
  };
  const key = (r: ContributionRecord): string => `${r.person.id}|${r.scheme}|${r.region}`;
  return { records: stableSortBy(records, key).map(strip), codes: d.report.issues.map((i) => i.code).sort(), valid: d.report.valid };
}

const samples = [
  { file: 'ln-jb-210100.txt', format: 'ln-jb', make: (b: Buffer) => delimitedByMonth(b, '\n', 'cp936', 6, '|') },
  { file: 'zj-csv-330100.csv', format: 'zj-csv', make: (b: Buffer) => delimitedByMonth(b, '\r\n', 'utf-8', 5, ',') },
  { file: 'zj-csv-330200.csv', format: 'zj-csv', make: (b: Buffer) => delimitedByMonth(b, '\r\n', 'utf-8', 5, ',') },
  { file: 'jx-fixed-360100.txt', format: 'jx-fixed', make: fixedByMonth },
  { file: 'jx-fixed-360700.txt', format: 'jx-fixed', make: fixedByMonth },
  { file: 'gd-xml-440300.xml', format: 'gd-xml', make: (b: Buffer) => Buffer.from(xmlByMonth(b.toString('utf8'))) },
  { file: 'gd-xml-441900.xml', format: 'gd-xml', make: (b: Buffer) => Buffer.from(xmlByMonth(b.toString('utf8'))) },
  { file: 'bj-xlsx-110000.xlsx', format: 'bj-xlsx', make: undefined },
];

describe.each(samples)('$file in month order', ({ file, format, make }) => {
  it('converts to exactly the records of the person-ordered file, in memory and spilled to temporary runs', async () => {
    await mkdir(join(dir, 'month'), { recursive: true });
    const target = join(dir, 'month', file); // same name: provenance.file is compared too
    if (make) await writeFile(target, make(await readFile(fixture(file))));
    else await xlsxByMonth(fixture(file), target);
    const original = await read(format, fixture(file));
    expect(original.valid).toBe(true);
    expect(original.records.length).toBeGreaterThan(1);
    const inMemory = await read(format, target);
    expect(inMemory).toEqual(original);
    const { result: spilled, left } = await tempFoldersMadeBy('jiexu-group-', () => read(format, target, 7));
    expect(spilled).toEqual(original);
    expect(left).toEqual([]);
    expect(liveTemps()).toEqual([]);
    // the cheap scan that lets person-ordered files stream: never "together" for the month-ordered copy
    const mapping = getAdapter(format).mapping;
    const people = new Set(original.records.map((r) => (r as ContributionRecord).person.id));
    if (people.size > 1) expect(await personContiguous(target, mapping)).toBe(false);
    if (format === 'jx-fixed' || format === 'ln-jb' || format === 'gd-xml') expect(await personContiguous(fixture(file), mapping)).toBe(true);
  });
});
