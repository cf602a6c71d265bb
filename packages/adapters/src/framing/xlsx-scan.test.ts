/**
 * The zip check's scan of a workbook's identifier column (xlsx-scan.ts): it
 * says "together" for a person-ordered workbook (which then streams ungrouped),
 * and never for one whose persons' rows are apart, even when the raw cells
 * look contiguous (two shared-string entries of one text) or are written in a
 * way it does not read (it then leaves the rows to be grouped).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, getAdapter, type ContributionRecord } from '../index.ts';
import type { SpreadsheetFraming } from '../mapping.ts';
import { Issues } from '../issues.ts';
import { resolveLimits } from '../limits.ts';
import { FIXTURES_DIR } from '../testing/expected.ts';
import { tempFoldersMadeBy } from '../testing/private-tmp.ts';
import { readZip, writeZip, type ZipEntry } from '../testing/zip.ts';
import { checkZip } from './zip-check.ts';
import { find, workbookScan, type WorkbookScan } from './xlsx-scan.ts';

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
    const { result: streamed, left } = await tempFoldersMadeBy('jiexu-group-', () => records(SAMPLE, 1)); // a threshold of one row: grouping would spill at once
    expect(left).toEqual([]);
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

describe('the scan\'s byte search (find) and its repeated-cell shortcut', () => {
  it('find gives what Buffer.indexOf gives, over random bytes rich in the needles\' bytes', () => {
    const needles = ['<c r="A', '<row', '<', 'ab', '<c r="AB'].map((s) => Buffer.from(s, 'latin1'));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'<c r="A1 rowab>/'.split(''), '<row', '<c r="A', '<c r="'), { maxLength: 60 }), fc.nat(80), (parts, from) => {
        const buf = Buffer.from(parts.join(''), 'latin1');
        for (const n of needles) expect(find(buf, n, from), `${buf.toString('latin1')} ${n.toString('latin1')} ${from}`).toBe(buf.indexOf(n, from));
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  /**
   * A rows sheet of identifier cells in the layouts the scan reads (shared strings with or without a
   * style, the shortcut's plain `t="s"`, inline text), fed in chunks of random sizes, against the rule
   * written out: together when each raw cell value's rows are together and no text comes back after
   * another text.
   */
  it('answers as the rule does, whatever the chunks and however the cells are written', () => {
    const TEXTS = ['110', '220', '330', '110'];
    const entries = (sheet: string): [string, string][] => [
      ['xl/workbook.xml', '<workbook><sheets><sheet name="缴费明细" sheetId="1" r:id="rId1"/></sheets></workbook>'],
      ['xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'],
      ['xl/worksheets/sheet1.xml', sheet],
      ['xl/sharedStrings.xml', `<sst>${TEXTS.map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`],
    ];
    const cell = fc.record({ token: fc.nat(3), layout: fc.constantFrom('plain', 'plain', 'plain', 'styled', 'styled-first', 'inline') });
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 10 }), (cells, sizes) => {
        const rows = cells.map(({ token, layout }, k) => {
          const r = `A${k + 2}`;
          const id = layout === 'plain' ? `<c r="${r}" t="s"><v>${token}</v></c>` : layout === 'styled' ? `<c r="${r}" t="s" s="3"><v>${token}</v></c>` : layout === 'styled-first' ? `<c r="${r}" s="3" t="s"><v>${token}</v></c>` : `<c r="${r}" t="inlineStr"><is><t>${TEXTS[token]}</t></is></c>`;
          return `<row r="${k + 2}">${id}<c r="B${k + 2}"><v>1</v></c></row>`;
        });
        const sheet = `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>${rows.join('')}</sheetData></worksheet>`;
        const scan = workbookScan({ kind: 'spreadsheet', rows: { sheet: '缴费明细', fields: [{ name: 'id', as: 'person.id', type: 'text' }] } } as unknown as SpreadsheetFraming);
        for (const [name, text] of entries(sheet)) {
          const sink = scan.open(name);
          if (!sink) continue;
          const bytes = Buffer.from(text, 'utf8');
          for (let pos = 0, k = 0; pos < bytes.length; k++) {
            sink.data(bytes.subarray(pos, pos + sizes[k % sizes.length]));
            pos += sizes[k % sizes.length];
          }
          sink.end();
        }
        // the rule: raw values (index or inline text) in runs, none back after another; the runs' texts likewise
        const raw = ['iid', ...cells.map((c) => (c.layout === 'inline' ? `i${TEXTS[c.token]}` : `s${c.token}`))];
        const runs = raw.filter((t, k) => k === 0 || t !== raw[k - 1]);
        const texts = runs.map((t) => (t[0] === 's' ? TEXTS[Number(t.slice(1))] : t.slice(1))).filter((t, k, a) => k === 0 || t !== a[k - 1]);
        expect(scan.result().personsTogether, sheet).toBe(new Set(runs).size === runs.length && new Set(texts).size === texts.length);
      }),
      { seed: 12, numRuns: 1500 },
    );
  });
});
