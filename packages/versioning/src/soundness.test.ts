/**
 * Soundness of the checker on the real standard: random edits of the 1.0
 * schemas (fast-check picks the schema node and the edit), then — whenever the
 * checker calls the diff backward compatible (backward, full or none) — every
 * valid 1.0 example must still validate under the edited schemas (ajv). And
 * when the checker says forward or breaking for a single edit that an example
 * proves, fine; the property only forbids false "compatible" verdicts, which is
 * what the policy relies on.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffVersions } from './diff.ts';
import { isObject, versionFromFiles, type Json, type JsonObject } from './load.ts';
import { SCHEMAS_DIR } from './versions.ts';

const VERSION = '1.0';
const root = join(SCHEMAS_DIR, VERSION);

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

const schemaFiles = walk(root)
  .filter((f) => f.endsWith('.schema.json') && !f.split(sep).includes('examples'))
  .map((file) => ({ file, root: JSON.parse(readFileSync(file, 'utf8')) as Json }));

/** Valid examples with the $id of their schema. */
const examples = walk(root).flatMap((f) => {
  const rel = relative(root, f).split(sep).join('/');
  const m = /^(.+?)\/examples\/(?:([^/]+)\/)?valid\/[^/]+\.json$/.exec(rel);
  if (!m) return [];
  const schemaRel = m[1] === 'messages' && m[2] ? `messages/${m[2]}.schema.json` : undefined;
  const schema = schemaRel
    ? schemaFiles.find((s) => relative(root, s.file).split(sep).join('/') === schemaRel)
    : schemaFiles.filter((s) => relative(root, s.file).split(sep).join('/').startsWith(`${m[1]}/`) && !relative(root, s.file).slice(m[1]!.length + 1).includes(sep))[0];
  if (!schema) return [];
  return [{ path: rel, id: (schema.root as JsonObject).$id as string, doc: JSON.parse(readFileSync(f, 'utf8')) as unknown }];
});

/** Format checks: the identifier formats accept their examples' syntax; real checks are not what is under test. */
function ajvWith(schemas: Json[]): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  for (const f of ['citizen-id', 'uscc', 'pooling-region']) ajv.addFormat(f, true);
  for (const s of schemas) ajv.addSchema(s as object);
  return ajv;
}

/** Pointers of every subschema object in a schema file. */
function subschemas(node: Json, pointer = ''): string[] {
  if (!isObject(node)) return [];
  const out = [pointer];
  const esc = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');
  for (const k of ['properties', '$defs', 'patternProperties', 'dependentSchemas']) {
    const v = node[k];
    if (isObject(v)) for (const [name, sub] of Object.entries(v)) out.push(...subschemas(sub, `${pointer}/${k}/${esc(name)}`));
  }
  for (const k of ['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else', 'propertyNames']) {
    if (isObject(node[k])) out.push(...subschemas(node[k] as Json, `${pointer}/${k}`));
  }
  for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    const v = node[k];
    if (Array.isArray(v)) v.forEach((sub, i) => out.push(...subschemas(sub, `${pointer}/${k}/${i}`)));
  }
  return out;
}

function at(node: Json, pointer: string): JsonObject {
  let n: Json = node;
  for (const t of pointer.split('/').slice(1)) {
    const k = t.replace(/~1/g, '/').replace(/~0/g, '~');
    n = Array.isArray(n) ? n[Number(k)]! : (n as JsonObject)[k]!;
  }
  return n as JsonObject;
}

/** Edits, each tightening or loosening something (or nothing, where the keyword does not apply). */
const EDITS: Array<[string, (s: JsonObject) => void]> = [
  ['delete a validation keyword', (s) => {
    const k = Object.keys(s).find((x) => !['description', 'title', '$id', '$schema', '$defs', '$comment', 'examples'].includes(x));
    if (k) delete s[k];
  }],
  ['maxLength 1', (s) => { s.maxLength = 1; }],
  ['minLength 3', (s) => { s.minLength = 3; }],
  ['maxLength raised', (s) => { if (typeof s.maxLength === 'number') s.maxLength += 10; }],
  ['minimum raised', (s) => { s.minimum = typeof s.minimum === 'number' ? s.minimum + 1 : 1; }],
  ['maximum lowered', (s) => { if (typeof s.maximum === 'number') s.maximum -= 1; else s.maximum = 10; }],
  ['exclusiveMinimum', (s) => { s.exclusiveMinimum = 0; }],
  ['required x', (s) => { s.required = [...(Array.isArray(s.required) ? s.required : []), 'x']; }],
  ['required dropped', (s) => { if (Array.isArray(s.required)) s.required = s.required.slice(1); }],
  ['property added', (s) => { s.properties = { ...(isObject(s.properties) ? s.properties : {}), zz: { type: 'string' } }; }],
  ['property removed', (s) => { if (isObject(s.properties)) { const k = Object.keys(s.properties)[0]; if (k) delete s.properties[k]; } }],
  ['closed', (s) => { s.additionalProperties = false; }],
  ['opened', (s) => { delete s.additionalProperties; }],
  ['enum value removed', (s) => { if (Array.isArray(s.enum) && s.enum.length > 1) s.enum = s.enum.slice(1); }],
  ['enum value added', (s) => { if (Array.isArray(s.enum)) s.enum = [...s.enum, 'zz']; }],
  ['const changed', (s) => { if ('const' in s) s.const = 'zz'; }],
  ['type string', (s) => { s.type = 'string'; }],
  ['type widened', (s) => { if (typeof s.type === 'string') s.type = [s.type, 'null']; }],
  ['pattern added', (s) => { s.pattern = '^$'; }],
  ['format date', (s) => { s.format = 'date'; }],
  ['minItems 5', (s) => { s.minItems = 5; }],
  ['maxItems 1', (s) => { s.maxItems = 1; }],
  ['uniqueItems', (s) => { s.uniqueItems = true; }],
  ['anyOf branch dropped', (s) => { if (Array.isArray(s.anyOf) && s.anyOf.length > 1) s.anyOf = s.anyOf.slice(1); }],
  ['anyOf branch added', (s) => { if (Array.isArray(s.anyOf)) s.anyOf = [...s.anyOf, { type: 'null' }]; }],
  ['allOf added', (s) => { s.allOf = [{ not: { const: 'zz' } }]; }],
  ['not added', (s) => { s.not = { type: 'null' }; }],
  ['description changed', (s) => { s.description = 'changed'; }],
];

/** The $ids of every schema that is, or refers (transitively) to, the given file. */
function dependents(file: string): Set<string> {
  const refsOf = (node: Json, out: Set<string>): Set<string> => {
    if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
    else if (isObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) out.add(v.replace(/#.*$/, '').split('/').pop()!);
        else refsOf(v, out);
      }
    }
    return out;
  };
  const name = (f: string): string => f.split(sep).pop()!;
  const hit = new Set([name(file)]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of schemaFiles) {
      if (hit.has(name(s.file))) continue;
      if ([...refsOf(s.root, new Set())].some((r) => hit.has(r))) {
        hit.add(name(s.file));
        grew = true;
      }
    }
  }
  return new Set(schemaFiles.filter((s) => hit.has(name(s.file))).map((s) => (s.root as JsonObject).$id as string));
}

const baseSchemas = schemaFiles.map((s) => s.root);
const oldVersion = versionFromFiles(root, schemaFiles);
const oldAjv = ajvWith(baseSchemas);
const validUnderOld = examples.filter((e) => oldAjv.getSchema(e.id)?.(e.doc) === true);

describe('checker soundness on the real 1.0 schemas', () => {
  it('has examples valid under 1.0 to test with', () => {
    expect(validUnderOld.length).toBeGreaterThan(20);
  });

  it('never calls an edit backward compatible when a valid 1.0 example stops validating', () => {
    const targets = schemaFiles.flatMap((s, i) => subschemas(s.root).map((p) => [i, p] as const));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: targets.length - 1 }), fc.integer({ min: 0, max: EDITS.length - 1 }), fc.nat(), (t, e, pick) => {
        const [fileIndex, pointer] = targets[t]!;
        const edited = schemaFiles.map((s) => ({ ...s, root: structuredClone(s.root) }));
        const [name, edit] = EDITS[e]!;
        edit(at(edited[fileIndex]!.root, pointer));
        // compare the edited file only: its $refs into the others are followed, and nothing else changed
        const only = relative(root, edited[fileIndex]!.file).split(sep).join('/');
        const newVersion = versionFromFiles(root, edited);
        const diff = diffVersions({ ...oldVersion, only }, { ...newVersion, only });
        if (!['backward', 'full', 'none'].includes(diff.verdict)) return;
        const newAjv = ajvWith(edited.map((s) => s.root));
        const affected = dependents(edited[fileIndex]!.file);
        const candidates = validUnderOld.filter((x) => affected.has(x.id));
        // a few examples per run keep each run cheap (ajv compiles only their schemas), so there can be many runs
        const chosen = [0, 1, 2, 3].map((k) => candidates[(pick + k * 7919) % Math.max(1, candidates.length)]).filter((x) => x !== undefined);
        for (const ex of new Set(chosen)) {
          const ok = newAjv.getSchema(ex.id)?.(ex.doc) === true;
          expect(ok, `${name} at ${relative(root, edited[fileIndex]!.file)}#${pointer}: checker said ${diff.verdict} but ${ex.path} no longer validates`).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  }, 240_000);
});
