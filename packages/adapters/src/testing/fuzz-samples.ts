/**
 * The fuzz suite's samples (src/fuzz/): what it mutates and how a variant is read: every sample of
 * every built-in format, and the formats declared outside the package
 * (docs/adapters: hb-tsv by mapping alone, ah-dbf with the dbf framing, sc-json
 * a folder of JSON pages), each with its variants from a fixed seed.
 */
import { readdirSync, statSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdapterError, addFormat, decode, formats, getAdapter, type ContributionRecord } from '../index.ts';
import { FIXTURES_DIR } from './expected.ts';
import { readZip } from './zip.ts';
import { mutateWorkbook } from './workbook.ts';
import { dbfMutations, textMutations, zipMutations, type Variant } from '../fuzz/mutations.ts';

export const LONG = process.env.JIEXU_FUZZ === 'long';

const DOCS = new URL('../../../../docs/adapters/', import.meta.url);
export const OUTSIDE_DIRS = ['hb-tsv', 'ah-dbf', 'sc-json'].map((name) => fileURLToPath(new URL(`${name}/`, DOCS)));
for (const d of OUTSIDE_DIRS) if (!formats.some((f) => `${d}`.endsWith(`/${f.name}/`))) addFormat(d);

export interface Sample {
  file: string;
  format: string;
  /** The sample file, or folder of parts. */
  source: string;
  folder: boolean;
}

export const samples: Sample[] = [
  ...readdirSync(fileURLToPath(FIXTURES_DIR)).map((file) => ({ file, format: file.replace(/-\d{6}\.\w+$/, ''), source: fileURLToPath(new URL(file, FIXTURES_DIR)), folder: false })),
  ...[['hb-tsv', 'hb-tsv-420100.tsv'], ['ah-dbf', 'ah-dbf-340100.dbf'], ['sc-json', 'sc-json-510100']].map(([format, file]) => {
    const source = fileURLToPath(new URL(`${format}/${file}`, DOCS));
    return { file, format, source, folder: statSync(source).isDirectory() };
  }),
];

export type Outcome = { exit: 0 | 1 | 2; records: ContributionRecord[]; issues: { severity: string; code: string; location?: { line?: number } }[] };

/** The reader's outcome as the CLI would end: 0 valid, 1 findings, 2 a usage problem. Other errors escape (a failure of the suite). */
export async function read(format: string, path: string): Promise<Outcome> {
  const d = decode(format, path);
  const records: ContributionRecord[] = [];
  try {
    for await (const r of d) records.push(r);
  } catch (err) {
    if (err instanceof AdapterError) return { exit: 2, records, issues: [] };
    throw err;
  }
  return { exit: d.report.valid ? 0 : 1, records, issues: d.report.issues };
}

/** Records without positions, in a fixed order, employers by identifier (neither order is data). */
export const strip = (records: ContributionRecord[]) =>
  records
    .map((r) => {
      const { at: _at, ...provenance } = r.provenance;
      return {
        ...r,
        provenance,
        ...(r.employers ? { employers: [...r.employers].sort((a, b) => a.id.localeCompare(b.id)) } : {}),
        contributions: r.contributions.map(({ at: _a, ...c }) => c),
        ...(r.account ? { account: r.account.map(({ at: _b, ...a }: { at?: unknown }) => a) } : {}),
      };
    })
    .sort((a, b) => `${a.person.id}|${a.scheme}|${a.region}`.localeCompare(`${b.person.id}|${b.scheme}|${b.region}`)) as never[];

/** Variants per sample in the bounded form (`pnpm fuzz`: ten times as many). */
export const PER_SAMPLE: Record<string, number> = { 'jx-fixed': 100, 'ln-jb': 60, 'zj-csv': 100, 'gd-xml': 100, 'bj-xlsx': 30, 'hb-tsv': 100, 'ah-dbf': 80, 'sc-json': 80 };

export const seedOf = (file: string): number => [...file].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 11);

/** The sample's variants; `scratch` is a folder for the workbook built with a formula cell. */
export async function variantsOf(sample: Sample, n: number, scratch: string): Promise<Variant[]> {
  const { format, file, source } = sample;
  const seed = seedOf(file);
  if (sample.folder) {
    // a folder of parts: each variant changes one part (the parts taken in turn)
    const parts = readdirSync(source).sort();
    const out: Variant[] = [];
    const per = Math.ceil(n / parts.length);
    for (const [k, part] of parts.entries()) {
      for (const v of textMutations(await readFile(join(source, part)), getAdapter(format).mapping, per, seed + k)) if (out.length < n) out.push({ ...v, part });
    }
    return out;
  }
  const bytes = await readFile(source);
  if (format === 'ah-dbf') return dbfMutations(bytes, n, seed);
  if (format !== 'bj-xlsx') return textMutations(bytes, getAdapter(format).mapping, n, seed);
  const out = zipMutations(bytes, await readZip(source), n - 1, seed);
  const formula = join(scratch, `formula-${seed}.xlsx`);
  await mutateWorkbook(source, formula, (wb) => {
    wb.getWorksheet('缴费明细')!.getCell('F2').value = { formula: 'E2*0.14', result: 1 } as never;
  });
  out.push({ kind: 'formula-cell', bytes: await readFile(formula) });
  return out;
}

/** Writes the variant under `dir` with the sample's own name (provenance.file is compared too); returns its path. */
export async function writeVariant(dir: string, sample: Sample, v: Variant): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, sample.file);
  await rm(path, { recursive: true, force: true });
  if (sample.folder) {
    await cp(sample.source, path, { recursive: true });
    await writeFile(join(path, v.part!), v.bytes);
  } else await writeFile(path, v.bytes);
  return path;
}
