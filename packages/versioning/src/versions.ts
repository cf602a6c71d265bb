/**
 * The versions of the standard: schemas/versions.json lists them, oldest
 * first; each lives in schemas/<version>/ side by side with the others.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from '@jiexu/standard';
import { LoadError } from './load.ts';

export type VersionStatus = 'released' | 'draft';

export interface VersionEntry {
  version: string;
  status: VersionStatus;
}

export interface VersionsFile {
  $comment?: string;
  versions: VersionEntry[];
}

/** The released standard's schemas/ folder, as shipped in @jiexu/standard. */
export const SCHEMAS_DIR = schemasDir();

const VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

export function parseVersion(v: string): { major: number; minor: number } {
  const m = VERSION.exec(v);
  if (!m) throw new LoadError(`'${v}' is not a standard version (major.minor, e.g. 1.1)`, `'${v}' 不是标准版本号（主版本.次版本，例如 1.1）`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x.major - y.major || x.minor - y.minor;
}

export function majorOf(v: string): number {
  return parseVersion(v).major;
}

/** Reads and checks schemas/versions.json. */
export function readVersions(schemasDir: string = SCHEMAS_DIR): VersionsFile {
  const file = join(schemasDir, 'versions.json');
  if (!existsSync(file)) throw new LoadError(`${file}: missing (the list of released versions)`, `${file}：缺失（已发布版本的清单）`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new LoadError(`${file}: not valid JSON: ${(err as Error).message}`, `${file}：不是有效的 JSON`);
  }
  const versions = (data as VersionsFile | null)?.versions;
  if (!Array.isArray(versions)) throw new LoadError(`${file}: expected {"versions": [{"version": "1.0", "status": "released"}, …]}`, `${file}：应为 {"versions": [{"version": "1.0", "status": "released"}, …]}`);
  versions.forEach((e, i) => {
    if (typeof e?.version !== 'string' || !VERSION.test(e.version)) throw new LoadError(`${file}: /versions/${i}/version: expected major.minor, e.g. "1.0"`, `${file}：/versions/${i}/version：应为 主版本.次版本，例如 "1.0"`);
    if (e.status !== 'released' && e.status !== 'draft') throw new LoadError(`${file}: /versions/${i}/status: expected "released" or "draft"`, `${file}：/versions/${i}/status：应为 "released" 或 "draft"`);
    if (i > 0 && compareVersions(versions[i - 1]!.version, e.version) >= 0) throw new LoadError(`${file}: /versions/${i}: versions must be listed oldest first, each once`, `${file}：/versions/${i}：各版本须从旧到新排列，每个只出现一次`);
  });
  return data as VersionsFile;
}

/** The released versions, oldest first: what a platform must accept. */
export function supportedVersions(schemasDir: string = SCHEMAS_DIR): string[] {
  return readVersions(schemasDir).versions.filter((v) => v.status === 'released').map((v) => v.version);
}

/** The newest released version. */
export function latestVersion(schemasDir: string = SCHEMAS_DIR): string {
  const all = supportedVersions(schemasDir);
  const last = all[all.length - 1];
  if (last === undefined) throw new LoadError(`${join(schemasDir, 'versions.json')}: no released version`, `${join(schemasDir, 'versions.json')}：没有已发布的版本`);
  return last;
}
