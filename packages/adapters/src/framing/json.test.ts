/**
 * The json framing on the sc-json reference export (docs/adapters/sc-json):
 * pages in sequence, totals, continuations across pages merged or refused,
 * JSON types kept; and the document and JSON Lines layouts.
 */
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFormat, readRecords, writeRecords } from '../index.ts';
import { essences } from '../conformance/index.ts';

const DIR = new URL('../../../../docs/adapters/sc-json/', import.meta.url);
const SAMPLE = fileURLToPath(new URL('sc-json-510100/', DIR));

let dir: string;
beforeAll(async () => {
  addFormat(DIR);
  dir = await mkdtemp(join(tmpdir(), 'jiexu-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the sample pages, changed by `edit(pages)` (parsed page documents by file name). */
function variant(edit: (pages: Map<string, any>) => void): string {
  const out = join(dir, `v-${Math.random().toString(36).slice(2)}`);
  cpSync(SAMPLE, out, { recursive: true });
  const pages = new Map(readdirSync(out).map((f) => [f, JSON.parse(readFileSync(join(out, f), 'utf8'))]));
  edit(pages);
  rmSync(out, { recursive: true });
  cpSync(SAMPLE, out, { recursive: true });
  for (const f of readdirSync(out)) if (!pages.has(f)) rmSync(join(out, f));
  for (const [f, doc] of pages) writeFileSync(join(out, f), JSON.stringify(doc));
  return out;
}
const issue = async (path: string, code: string) => (await readRecords(path, { format: 'sc-json' })).report.issues.find((i) => i.code === code);

describe('json framing, pages', () => {
  it('reads the sample: a person continued on the next page is merged into one record', async () => {
    const r = await readRecords(SAMPLE, { format: 'sc-json' });
    expect(r.report.issues).toEqual([]);
    const li = r.records.filter((x) => x.person.name === '李雪');
    expect(li.map((x) => [x.scheme, x.contributions.length])).toEqual([['110', 30], ['310', 30]]);
    expect(r.records.find((x) => x.person.name === '张𠮷')).toBeDefined();
    expect(r.records[0].provenance).toMatchObject({ file: 'page-0001.json', at: { path: '/persons/0/insurances/0/payments/0' } });
  });

  it('writes pages of the mapping\'s page size that read back to equal records, and --writer-option pageSize changes it', async () => {
    const { records } = await readRecords(SAMPLE, { format: 'sc-json' });
    const out = join(dir, 'pages-out');
    expect((await writeRecords(records, 'sc-json', out, { exportedAt: '2025-11-20T09:30:00+08:00' })).report.issues).toEqual([]);
    expect(readdirSync(out)).toEqual(readdirSync(SAMPLE));
    for (const f of readdirSync(out)) expect(JSON.parse(readFileSync(join(out, f), 'utf8'))).toEqual(JSON.parse(readFileSync(join(SAMPLE, f), 'utf8')));
    const small = join(dir, 'pages-small');
    await writeRecords(records, 'sc-json', small, { writer: { pageSize: 7 } });
    expect(readdirSync(small)).toHaveLength(Math.ceil(104 / 7));
    expect(essences((await readRecords(small, { format: 'sc-json' })).records)).toEqual(essences(records));
  });

  it('one page given as a file reads as a folder of one: positions name it in provenance only', async () => {
    const r = await readRecords(join(SAMPLE, 'page-0003.json'), { format: 'sc-json' });
    expect(r.report.issues.find((i) => i.code === 'legacy-part-missing')).toMatchObject({ severity: 'error' });
    for (const rec of r.records) for (const c of rec.contributions) expect(c.at).not.toHaveProperty('file');
    expect(r.records[0].provenance.file).toBe('page-0003.json');
  });

  it('a missing page is an error naming it', async () => {
    const path = variant((p) => p.delete('page-0002.json'));
    expect(await issue(path, 'legacy-part-missing')).toMatchObject({ severity: 'error', location: { file: 'page-0003.json' }, message: { en: expect.stringMatching(/page 2 is missing/) } });
  });

  it('a last page missing, and totals that disagree', async () => {
    expect(await issue(variant((p) => p.delete('page-0003.json')), 'legacy-part-missing')).toMatchObject({ severity: 'error', message: { en: expect.stringMatching(/page 3 is missing/) } });
    expect(await issue(variant((p) => (p.get('page-0001.json').totalPayments = 105)), 'legacy-trailer-mismatch')).toMatchObject({ severity: 'error', location: { file: 'page-0002.json' }, message: { en: 'totalPayments is 104 here but 105 on the first page' } });
    expect(await issue(variant((p) => { for (const d of p.values()) d.totalPayments = 105; }), 'legacy-trailer-mismatch')).toMatchObject({ severity: 'error', message: { en: 'totalPayments says 105 rows, the export holds 104' } });
  });

  it('a continuation with another name is refused, with the page and path', async () => {
    const path = variant((p) => (p.get('page-0002.json').persons[0].name = '李雪梅'));
    const r = await readRecords(path, { format: 'sc-json' });
    expect(r.report.issues.find((i) => i.code === 'legacy-person-continued')).toMatchObject({ severity: 'error', location: { file: 'page-0002.json', path: '/persons/0' } });
    expect(r.report.valid).toBe(false);
  });

  it('JSON types are kept: an amount the format gives as a string refuses a number', async () => {
    const path = variant((p) => (p.get('page-0001.json').persons[0].insurances[0].payments[1].base = 5000));
    expect(await issue(path, 'legacy-field-invalid')).toMatchObject({ severity: 'error', location: { file: 'page-0001.json', path: '/persons/0/insurances/0/payments/1', field: 'base' } });
  });
});

describe('json framing, document and JSON Lines layouts', () => {
  it.each(['document', 'lines'])('%s: writes and reads back equal records', async (layout) => {
    const m = JSON.parse(readFileSync(new URL('mapping.json', DIR), 'utf8'));
    m.name = `xt-json-${layout}`;
    m.framing.layout = layout;
    delete m.framing.pages;
    delete m.writer;
    if (layout === 'lines') {
      delete m.framing.document;
      delete m.framing.totalRows;
      delete m.framing.persons.path;
      m.framing.persons.fields.push({ name: 'areaCode', as: 'region', type: 'text' });
    }
    const fdir = join(dir, m.name);
    await mkdir(fdir);
    await writeFile(join(fdir, 'mapping.json'), JSON.stringify(m));
    addFormat(fdir);
    const { records } = await readRecords(SAMPLE, { format: 'sc-json' });
    const out = join(dir, `out-${layout}.json`);
    expect((await writeRecords(records, m.name, out)).report.issues).toEqual([]);
    const text = readFileSync(out, 'utf8');
    if (layout === 'lines') expect(text.trim().split('\n')).toHaveLength(3);
    const back = await readRecords(out, { format: m.name });
    expect(back.report.issues).toEqual([]);
    expect(essences(back.records)).toEqual(essences(records));
  });
});
