/**
 * The issue-code code list (schemas/<version>/codelists/issue-code.json) names
 * exactly the codes jiexu's components put in their reports. Each package keeps
 * its codes in one array next to its issue helpers (typed, so tsc rejects an
 * unlisted code); this test sits in the CLI because it depends on every one of
 * them (the standard cannot import the packages that depend on it).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUE_CODES } from '@jiexu/standard';
import { LEGACY_ISSUE_CODES } from '@jiexu/adapters';
import { RULE_ISSUE_CODES } from '@jiexu/rules';
import { MIGRATION_ISSUE_CODES } from '@jiexu/versioning';
import { PLATFORM_ISSUE_CODES } from '@jiexu/platform';
import { EVIDENCE_ISSUE_CODES } from '@jiexu/client';
import { CLI_ISSUE_CODES } from './issue-codes.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (p: string) => JSON.parse(readFileSync(path.join(root, p), 'utf8'));

const byPackage: Record<string, readonly string[]> = {
  standard: ISSUE_CODES,
  adapters: LEGACY_ISSUE_CODES,
  rules: RULE_ISSUE_CODES,
  versioning: MIGRATION_ISSUE_CODES,
  platform: PLATFORM_ISSUE_CODES,
  client: EVIDENCE_ISSUE_CODES,
  cli: CLI_ISSUE_CODES,
};
const all = Object.values(byPackage).flat();
const versions = (read('schemas/versions.json') as { versions: { version: string }[] }).versions.map((v) => v.version);

type Entry = { code: string; zh: string; en: string; description?: string };
const listOf = (version: string) => read(`schemas/${version}/codelists/issue-code.json`) as { codes: Entry[] };

/** The non-test TypeScript sources of a package, without its issue-codes.ts and generated files. */
function sources(pkg: string): string {
  const dir = path.join(root, 'packages', pkg, 'src');
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts') && path.basename(f) !== 'issue-codes.ts' && !f.split(path.sep).includes('generated'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

describe('issue codes of every package', () => {
  it('each code belongs to one package, once', () => {
    expect(all.filter((c, i) => all.indexOf(c) !== i)).toEqual([]);
  });

  it('each code is kebab-case', () => {
    expect(all.filter((c) => !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(c))).toEqual([]);
  });

  it.each(Object.keys(byPackage).filter((p) => p !== 'standard'))('every code %s lists is one it emits (no dead entries)', (pkg) => {
    const src = sources(pkg);
    expect(byPackage[pkg].filter((c) => !src.includes(`'${c}'`))).toEqual([]);
  });

  describe.each(versions)('the issue-code list of %s', (version) => {
    const list = listOf(version);
    const listed = list.codes.map((c) => c.code);

    it('holds every code of every package', () => {
      expect(all.filter((c) => !listed.includes(c))).toEqual([]);
    });

    it('holds no code that no package emits (no orphans)', () => {
      expect(listed.filter((c) => !all.includes(c))).toEqual([]);
    });

    it('labels and describes each code', () => {
      for (const c of list.codes) expect(c, c.code).toMatchObject({ zh: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/), description: expect.stringMatching(/\S/) });
    });

    it('gives a code the same entry as every earlier version', () => {
      for (const earlier of versions.slice(0, versions.indexOf(version))) {
        const now = new Map(list.codes.map((c) => [c.code, c]));
        for (const c of listOf(earlier).codes) expect(now.get(c.code), `${c.code} in ${earlier} and ${version}`).toEqual(c);
      }
    });
  });
});
