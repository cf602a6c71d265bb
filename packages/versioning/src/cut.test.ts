import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cutVersion, releaseVersion } from './cut.ts';
import { diffPaths } from './diff.ts';
import { LoadError } from './load.ts';
import { readVersions, SCHEMAS_DIR } from './versions.ts';

let schemas = '';
let from = '';
let next = '';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const read = (...p: string[]): Record<string, any> => JSON.parse(readFileSync(join(schemas, ...p), 'utf8'));

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'jiexu-cut-'));
  schemas = join(dir, 'schemas');
  // only version 1.0 and the list: the cut under test is 1.0 → 1.1 whatever the repository holds
  cpSync(join(SCHEMAS_DIR, '1.0'), join(schemas, '1.0'), { recursive: true });
  cpSync(join(SCHEMAS_DIR, 'versions.json'), join(schemas, 'versions.json'));
  const versions = readVersions(schemas);
  versions.versions = versions.versions.filter((v) => v.version === '1.0');
  writeFileSync(join(schemas, 'versions.json'), JSON.stringify(versions));
  from = '1.0';
  next = '1.1';
});

afterEach(() => rmSync(join(schemas, '..'), { recursive: true, force: true }));

describe('cutVersion (a minor)', () => {
  it('copies the latest version with every $id renamed and registers a draft', () => {
    const r = cutVersion(next, { schemasDir: schemas });
    expect(r.from).toBe(from);
    expect(readVersions(schemas).versions.at(-1)).toEqual({ version: next, status: 'draft' });
    for (const f of walk(join(schemas, next)).filter((x) => x.endsWith('.schema.json'))) {
      expect(JSON.parse(readFileSync(f, 'utf8')).$id, f).toContain(`/standard/${next}/`);
    }
    expect(readFileSync(join(schemas, next, 'envelope', 'envelope.schema.json'), 'utf8')).not.toContain(`/standard/${from}/`);
  });

  it('moves the version markers: the record accepts both minors, CloudEvents specversion and code-list versions stay', () => {
    cutVersion(next, { schemasDir: schemas });
    expect(read(next, 'contribution-record', 'contribution-record.schema.json').properties.version.enum).toEqual([from, next]);
    expect(read(next, 'envelope', 'envelope.schema.json').properties.specversion.const).toBe('1.0');
    expect(read(next, 'codelists', 'gender.json').version).toBe(read(from, 'codelists', 'gender.json').version);
    expect(read(next, 'catalogue', 'case-types.json').version).toBe(next);
    expect(read(next, 'contribution-record', 'examples', 'valid', 'pension-liaoning.json').version).toBe(next);
  });

  it('keeps each file byte-identical apart from the rewritten strings', () => {
    cutVersion(next, { schemasDir: schemas });
    const a = readFileSync(join(schemas, from, 'envelope', 'envelope.schema.json'), 'utf8');
    const b = readFileSync(join(schemas, next, 'envelope', 'envelope.schema.json'), 'utf8');
    expect(b).toBe(a.split(`/standard/${from}/`).join(`/standard/${next}/`));
  });

  it('renames invalid examples whose expected issue moves from const to enum', () => {
    cutVersion(next, { schemasDir: schemas });
    const invalid = readdirSync(join(schemas, next, 'contribution-record', 'examples', 'invalid'));
    const before = readdirSync(join(schemas, from, 'contribution-record', 'examples', 'invalid'));
    expect(before.some((n) => /^const--.*version/.test(n))).toBe(true);
    for (const name of before.filter((n) => /^const--.*version/.test(n))) {
      expect(invalid).toContain(name.replace(/^const--/, 'enum--'));
      expect(invalid).not.toContain(name);
    }
  });

  it('is backward compatible with the version it was cut from', () => {
    cutVersion(next, { schemasDir: schemas });
    const diff = diffPaths(join(schemas, from), join(schemas, next));
    expect(diff.changes.filter((c) => !['none', 'full', 'backward'].includes(c.class))).toEqual([]);
  });

  it('refuses an existing, a non-adjacent or a malformed version, and cutting from a draft', () => {
    expect(() => cutVersion(from, { schemasDir: schemas })).toThrow(LoadError);
    expect(() => cutVersion('1.3', { schemasDir: schemas })).toThrow(/does not follow/);
    expect(() => cutVersion('one', { schemasDir: schemas })).toThrow(/not a standard version/);
    cutVersion(next, { schemasDir: schemas });
    expect(() => cutVersion('1.2', { schemasDir: schemas })).toThrow(/still a draft/);
    releaseVersion(next, { schemasDir: schemas });
    expect(readVersions(schemas).versions.at(-1)).toEqual({ version: next, status: 'released' });
    expect(() => releaseVersion(next, { schemasDir: schemas })).toThrow(/already released/);
    expect(existsSync(join(schemas, `.cut-1.2-${process.pid}`))).toBe(false);
  });
});

describe('cutVersion (a major)', () => {
  it('renames the major in message types, patterns and the record version', () => {
    const r = cutVersion('2.0', { schemasDir: schemas });
    expect(r.review[0]).toContain('new major');
    const env = read('2.0', 'envelope', 'envelope.schema.json');
    expect(env.properties.type.enum.every((t: string) => t.endsWith('.v2'))).toBe(true);
    expect(env.properties.caseversion.pattern).toBe('^2\\.(0|[1-9][0-9]*)$');
    expect(env.properties.specversion.const).toBe('1.0');
    expect(read('2.0', 'contribution-record', 'contribution-record.schema.json').properties.version.const).toBe('2.0');
  });
});
