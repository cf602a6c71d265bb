/**
 * The zip check's scan of a workbook's identifier column (xlsx-scan.ts): it
 * says "together" for a person-ordered workbook (which then streams ungrouped),
 * and never for one whose persons' rows are apart, even when the raw cells
 * look contiguous (two shared-string entries of one text) or are written in a
 * way it does not read (it then leaves the rows to be grouped).
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, getAdapter, type ContributionRecord } from '../index.ts';
import type { SpreadsheetFraming } from '../mapping.ts';
import { Issues } from '../issues.ts';
import { resolveLimits } from '../limits.ts';
import { FIXTURES_DIR } from '../testing/expected.ts';
import { readZip, writeZip, type ZipEntry } from '../testing/zip.ts';
import { checkZip } from './zip-check.ts';
import { workbookScan, type WorkbookScan } from './xlsx-scan.ts';

const SAMPLE = fileURLToPath(new URL('bj-xlsx-110000.xlsx', FIXTURES_DIR));
const mapping = getAdapter('bj-xlsx').mapping;
const framing = mapping.framing as SpreadsheetFraming;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-xlsx-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scanOf(path: string): Promise<WorkbookScan> {
  const scan = workbookScan(framing);
  expect(await checkZip(path, resolveLimits(mapping.limits, undefined), new Issues('t'), scan)).toBe(true);
  return scan.result();
}

/** The sample with one entry's text changed. */
async function edited(name: string, change: (entries: Map<string, string>) => void): Promise<string> {
  const entries = await readZip(SAMPLE);
  const texts = new Map(entries.map((e) => [e.name, e.data.toString('utf8')]));
  change(texts);
  const out: ZipEntry[] = entries.map((e) => ({ name: e.name, data: Buffer.from(texts.get(e.name)!, 'utf8') }));
  const path = join(dir, name);
  await writeFile(path, writeZip(out));
  return path;
}

async function records(path: string, rowsInMemory?: number): Promise<{ records: ContributionRecord[]; codes: string[] }> {
  const d = decode('bj-xlsx', path, { rowsInMemory });
  const out: ContributionRecord[] = [];
  for await (const r of d) out.push(r);
  return { records: out, codes: d.report.issues.map((i) => i.code) };
}

/** The rows sheet's entry name and its id-column cells (A2, A3, …) as shared-string indices. */
const ROWS = 'xl/worksheets/sheet2.xml';
const idIndices = (sheet: string): number[] => [...sheet.matchAll(/<c r="A(\d+)" t="s"><v>(\d+)<\/v><\/c>/g)].filter((m) => m[1] !== '1').map((m) => Number(m[2]));

describe('the workbook scan', () => {
  it('finds the sample person-ordered, holds its accounts sheet, and the sample then streams ungrouped with its records unchanged', async () => {
    const scan = await scanOf(SAMPLE);
    expect(scan.personsTogether).toBe(true);
    expect(scan.accounts?.bytes.toString('utf8')).toContain('<sheetData>');
    const before = await readdir(tmpdir());
    const streamed = await records(SAMPLE, 1); // a threshold of one row: grouping would spill at once
    expect((await readdir(tmpdir())).filter((f) => f.startsWith('jiexu-group-') && !before.includes(f))).toEqual([]);
    expect(streamed.codes).not.toContain('legacy-person-not-contiguous');
    expect(streamed.records.length).toBeGreaterThan(1);
    expect(streamed.records.some((r) => r.account?.length)).toBe(true); // accounts (the sheet after the rows) attached
  });

  it('says apart when one person\'s rows come back under a second shared-string entry of the same text', async () => {
    let firstId = '';
    const path = await edited('twice.xlsx', (t) => {
      const sst = t.get('xl/sharedStrings.xml')!;
      const strings = [...sst.matchAll(/<si><t>([^<]*)<\/t><\/si>/g)].map((m) => m[1]);
      const sheet = t.get(ROWS)!;
      const ids = idIndices(sheet);
      firstId = strings[ids[0]];
      const last = ids.length + 1; // the last data row's number
      expect(ids[ids.length - 1]).not.toBe(ids[0]);
      t.set('xl/sharedStrings.xml', sst.replace('</sst>', `<si><t>${firstId}</t></si></sst>`));
      t.set(ROWS, sheet.replace(new RegExp(`<c r="A${last}" t="s"><v>\\d+</v></c>`), `<c r="A${last}" t="s"><v>${strings.length}</v></c>`));
    });
    expect((await scanOf(path)).personsTogether).toBe(false);
    const { codes, records: rs } = await records(path);
    expect(codes).not.toContain('legacy-person-not-contiguous');
    expect(rs.filter((r) => r.person.id === firstId && r.scheme === rs.find((x) => x.person.id === firstId)!.scheme)).toHaveLength(1);
  });

  it('leaves to grouping an identifier cell it does not read (a typed string) and a month-ordered sheet', async () => {
    const typed = await edited('typed.xlsx', (t) => {
      const sst = t.get('xl/sharedStrings.xml')!;
      const strings = [...sst.matchAll(/<si><t>([^<]*)<\/t><\/si>/g)].map((m) => m[1]);
      t.set(ROWS, t.get(ROWS)!.replace(/<c r="A3" t="s"><v>(\d+)<\/v><\/c>/, (_m, i: string) => `<c r="A3" t="str"><v>${strings[Number(i)]}</v></c>`));
    });
    expect((await scanOf(typed)).personsTogether).toBe(false);
    const apart = await edited('apart.xlsx', (t) => {
      const sheet = t.get(ROWS)!;
      const first = idIndices(sheet)[0];
      const ids = idIndices(sheet);
      const last = ids.length + 1;
      t.set(ROWS, sheet.replace(new RegExp(`<c r="A${last}" t="s"><v>\\d+</v></c>`), `<c r="A${last}" t="s"><v>${first}</v></c>`));
    });
    expect((await scanOf(apart)).personsTogether).toBe(false);
  });
});
