/**
 * The storable-text pre-check for schema-valid records (storable-record.ts) may skip a monthly
 * entry's fields only because the schemas listed in FIXED_ENTRY_SCHEMAS fix them. Proved here from
 * the schema files themselves, and checked against the full walk on records with unstorable text
 * wherever it can sit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemaIndex } from './generated/schema-index.ts';
import { citizenIdCheckChar, organizationCodeCheckChar, usccCheckChar } from './identifiers.ts';
import { FIXED_ENTRY_SCHEMAS, OPEN_ENTRY_PROPERTY, OPEN_POSITION_PROPERTIES } from './storable-record.ts';
import { unstorableStrings } from './storable-text.ts';
import { validateDocument } from './validate.ts';

type Schema = Record<string, unknown>;

/** A schema file by its repository path (schemaIndex's `file`). */
const load = (file: string): Schema => JSON.parse(readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8')) as Schema;

/** Every schema file of the repository by its $id (refs name $ids). */
const filesById = new Map<string, string>();
for (const f of readdirSync(new URL('../../../schemas/', import.meta.url), { recursive: true, encoding: 'utf8' })) {
  if (!f.endsWith('.schema.json')) continue;
  const file = `schemas/${f.replaceAll('\\', '/')}`;
  filesById.set(String(load(file).$id), file);
}

/** The schema a `$ref` names (resolved against the $id of the schema holding it); its siblings may only describe. */
function resolve(schema: Schema, baseId: string): { schema: Schema; baseId: string } {
  if (typeof schema.$ref !== 'string') return { schema, baseId };
  expect(Object.keys(schema).filter((k) => k !== '$ref' && k !== 'description'), `keywords beside $ref in ${baseId}`).toEqual([]);
  const url = new URL(schema.$ref, baseId);
  const fragment = decodeURIComponent(url.hash.slice(1));
  url.hash = '';
  const file = filesById.get(url.href);
  expect(file, `the schema ${url.href}`).toBeDefined();
  let node: unknown = load(file!);
  for (const seg of fragment.split('/').slice(1)) node = (node as Schema)[seg];
  expect(node, `${schema.$ref} from ${baseId}`).toBeTypeOf('object');
  return resolve(node as Schema, url.href);
}

/** A pattern that admits ASCII text only: anchored at both ends, no alternative outside a group, and nothing but ASCII letters, digits and regex punctuation that adds no character ('.', escapes and negated classes excluded). */
function anchoredAscii(pattern: string): boolean {
  if (!/^\^[0-9A-Za-z\-[\](){}|,]*\$$/.test(pattern)) return false;
  let depth = 0;
  let inClass = false;
  for (const ch of pattern) {
    if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return false;
  }
  return true;
}

/** Whether every value valid against `schema` is free of NUL and surrogates (names included): integers, ASCII enums and ASCII-anchored patterns only. */
function fixesText(schema: Schema): boolean {
  if (schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean') return true;
  if (schema.type !== 'string') return false;
  if (Array.isArray(schema.enum)) return schema.enum.every((v) => typeof v === 'string' && /^[\x20-\x7e]*$/.test(v));
  return typeof schema.pattern === 'string' && anchoredAscii(schema.pattern);
}

describe('the schemas whose monthly entries need no storable-text walk', () => {
  it('recognises an ASCII-only pattern and refuses ones that admit other text', () => {
    expect(anchoredAscii('^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$')).toBe(true);
    for (const p of ['^[0-9]+$', '^a|b$', '^[^0-9]{2}$', '^.{2}$', '[0-9]{2}', '^\\d{2}$', '^[\\u0000-z]$']) expect(anchoredAscii(p), p).toBe(false);
  });

  it.each([...FIXED_ENTRY_SCHEMAS])('%s: contributions hold closed entries whose fields other than `at` are fixed ASCII or numbers, and `at` is closed with only its sheet and path open', (id) => {
    const entry = schemaIndex.find((s) => s.id === id);
    expect(entry, id).toBeDefined();
    const file = entry!.file;
    const root = load(file);
    expect(root.$id).toBe(id);
    const contributions = (root.properties as Record<string, Schema>).contributions;
    expect(contributions.type).toBe('array');
    expect(contributions.prefixItems).toBeUndefined();
    const { schema: item, baseId } = resolve(contributions.items as Schema, id);
    expect(item.type).toBe('object');
    expect(item.additionalProperties).toBe(false);
    expect(item.patternProperties).toBeUndefined();
    const props = item.properties as Record<string, Schema>;
    expect(Object.keys(props)).toContain(OPEN_ENTRY_PROPERTY);
    for (const [name, schema] of Object.entries(props)) {
      expect(name, 'a property name').toMatch(/^[A-Za-z]+$/);
      if (name === OPEN_ENTRY_PROPERTY) continue;
      expect(fixesText(resolve(schema, baseId).schema), `${id} /contributions/*/${name}`).toBe(true);
    }
    // the position: closed, integers but for the strings listed as open
    const { schema: position, baseId: positionBase } = resolve(props[OPEN_ENTRY_PROPERTY], baseId);
    expect(position.type).toBe('object');
    expect(position.additionalProperties).toBe(false);
    expect(position.patternProperties).toBeUndefined();
    const fields = position.properties as Record<string, Schema>;
    expect(Object.keys(fields)).toEqual(expect.arrayContaining([...OPEN_POSITION_PROPERTIES]));
    for (const [name, schema] of Object.entries(fields)) {
      expect(name, 'a property name').toMatch(/^[A-Za-z]+$/);
      const field = resolve(schema, positionBase).schema;
      if ((OPEN_POSITION_PROPERTIES as readonly string[]).includes(name)) expect(field.type, `${id} /contributions/*/at/${name}`).toBe('string');
      else expect(fixesText(field), `${id} /contributions/*/at/${name}`).toBe(true);
    }
  });
});

// ---------------------------------------------------------------- the same issues as the full walk

function uscc(n: number): string {
  const org8 = String(10_000_000 + n).slice(-8);
  const first17 = `91360100${org8}${organizationCodeCheckChar(org8)}`;
  return first17 + usccCheckChar(first17);
}

function record(version: string, months: number) {
  const first17 = '36012419800101001';
  const employer = uscc(7);
  return {
    kind: 'contribution-record',
    version,
    person: { id: first17 + citizenIdCheckChar(first17), name: '郝𠮷萍' },
    region: '360100',
    scheme: '110',
    employers: [{ id: employer, name: '顺丰达物流有限公司' }],
    contributions: Array.from({ length: months }, (_, m) => ({
      month: `2010-${String(m + 1).padStart(2, '0')}`,
      baseFen: 500_000,
      employerFen: 80_000,
      individualFen: 40_000,
      status: 'paid',
      employerId: employer,
      at: m % 2 ? { sheet: '缴费明细', row: m + 2 } : { line: m + 2, path: '/Export/Person[1]' },
    })),
    provenance: { region: '360100', format: 'bj-xlsx', file: 'export.xlsx' },
  };
}

/** Every string-valued place of a record (pointer segments), where unstorable text may be put; not `kind` and `version`, which choose the schema (another is a fatal issue of its own). */
function stringPlaces(doc: unknown, at: string[] = []): string[][] {
  if (typeof doc === 'string') return at.length === 1 && (at[0] === 'kind' || at[0] === 'version') ? [] : [at];
  if (doc === null || typeof doc !== 'object') return [];
  return Object.entries(doc).flatMap(([k, v]) => stringPlaces(v, [...at, k]));
}

function put(doc: unknown, path: string[], value: (old: string) => string): void {
  let node = doc as Record<string, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  node[last] = value(node[last] as string);
}

/** validateRecord, drafts admitted (1.2 is one). */
const validateRecord = (doc: unknown) => validateDocument(doc, { schema: 'contribution-record', drafts: true });

const unstorablePointers = (doc: unknown): string[] =>
  validateRecord(doc)
    .issues.filter((i) => i.code === 'unstorable-character')
    .map((i) => i.pointer ?? '');

describe('a schema-valid record: the unstorable text the full walk finds', () => {
  it.each(['1.0', '1.1'])('%s: a NUL in a position\'s sheet name and a lone surrogate in a path, both schema-valid, are refused at their pointers', (version) => {
    const doc = record(version, 4);
    (doc.contributions[1].at as { sheet: string }).sheet = '缴费\u0000明细';
    (doc.contributions[2].at as { path: string }).path = '/Export/\uD842';
    const report = validateRecord(doc);
    expect(report.valid).toBe(false);
    expect(report.issues.map((i) => [i.code, i.pointer])).toEqual([
      ['unstorable-character', '/contributions/1/at/sheet'],
      ['unstorable-character', '/contributions/2/at/path'],
    ]);
  });

  it('finds nothing in a storable record (astral names included)', () => {
    for (const v of ['1.0', '1.1', '1.2']) expect(validateRecord(record(v, 12)).issues, v).toEqual([]);
  });

  it('reports exactly the full walk\'s pointers wherever a NUL or lone surrogate is put, in every version', () => {
    const bad = fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF');
    fc.assert(
      fc.property(fc.constantFrom('1.0', '1.1', '1.2'), fc.integer({ min: 1, max: 12 }), fc.array(fc.tuple(fc.nat(), bad, fc.nat()), { maxLength: 3 }), (version, months, puts) => {
        const doc = record(version, months);
        const places = stringPlaces(doc);
        for (const [where, ch, offset] of puts) put(doc, places[where % places.length]!, (old) => old.slice(0, offset % (old.length + 1)) + ch + old.slice(offset % (old.length + 1)));
        expect(unstorablePointers(doc).sort()).toEqual(unstorableStrings(doc).map((u) => u.pointer).sort());
      }),
      { seed: 20261202, numRuns: 400 },
    );
  });
});
