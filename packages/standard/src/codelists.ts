/**
 * The standard's code lists (schemas/<version>/codelists/*.json) as data: every
 * code with its Chinese and English label. Programs take labels from here, so a
 * label is written once, in the code list, and never again in a program.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from './schemas-dir.ts';
import { standardVersions } from './generated/schema-index.ts';

export interface CodeEntry {
  code: string;
  zh: string;
  en: string;
  description?: string;
}

const lists = new Map<string, Map<string, CodeEntry>>();

function latestReleased(): string {
  return standardVersions.filter((v) => v.status === 'released').at(-1)!.version;
}

function index(name: string, version: string): Map<string, CodeEntry> {
  const key = `${version}/${name}`;
  let list = lists.get(key);
  if (!list) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`not a code list name: ${name}`);
    const file = join(schemasDir(), version, 'codelists', `${name}.json`);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { codes: CodeEntry[] };
    list = new Map(data.codes.map((c) => [c.code, c]));
    lists.set(key, list);
  }
  return list;
}

/** Every entry of a code list (e.g. `scheme`, `message-type`), of the latest released version unless one is named. */
export function codeList(name: string, version: string = latestReleased()): CodeEntry[] {
  return [...index(name, version).values()];
}

/** The label of `code` in a code list in the language asked for, or undefined when the list has no such code. */
export function codeLabel(name: string, code: string, lang: 'zh' | 'en', version: string = latestReleased()): string | undefined {
  return index(name, version).get(code)?.[lang];
}

interface CatalogueLabels {
  roles: CodeEntry[];
  caseTypes: Array<CodeEntry & { states: CodeEntry[] }>;
}

const catalogues = new Map<string, CatalogueLabels>();

function catalogue(version: string): CatalogueLabels {
  let c = catalogues.get(version);
  if (!c) {
    c = JSON.parse(readFileSync(join(schemasDir(), version, 'catalogue', 'case-types.json'), 'utf8')) as CatalogueLabels;
    catalogues.set(version, c);
  }
  return c;
}

/** The label of a case state (e.g. pension-transfer `completed` → 已办结) from the case-type catalogue, or undefined. */
export function caseStateLabel(caseType: string, state: string, lang: 'zh' | 'en', version: string = latestReleased()): string | undefined {
  return catalogue(version).caseTypes.find((t) => t.code === caseType)?.states.find((s) => s.code === state)?.[lang];
}

/** The label of a case role (`old`, `new`, `platform`, `region`) from the case-type catalogue, or undefined. */
export function roleLabel(role: string, lang: 'zh' | 'en', version: string = latestReleased()): string | undefined {
  return catalogue(version).roles.find((r) => r.code === role)?.[lang];
}

/** The label of a case type (e.g. `pension-transfer`) from the case-type catalogue, or undefined. */
export function caseTypeLabel(caseType: string, lang: 'zh' | 'en', version: string = latestReleased()): string | undefined {
  return catalogue(version).caseTypes.find((t) => t.code === caseType)?.[lang];
}
