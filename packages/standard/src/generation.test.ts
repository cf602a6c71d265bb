/** The generation helpers: local $ref resolution and the sites the runtime relies on. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { bundle, exportName, loadSchemas, sitesOf, type Json } from '../scripts/lib/schemas.ts';
import { schemaIndex } from './generated/schema-index.ts';
import * as validators from './generated/validators.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function refs(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) k === '$ref' && typeof v === 'string' ? out.push(v) : refs(v, out);
  return out;
}

describe('generation', () => {
  it('bundles every version into one schema whose $refs are all local (nothing to fetch)', async () => {
    const schemas = await loadSchemas(root);
    expect(schemas.length).toBeGreaterThan(3);
    const b = bundle(schemas, schemas.filter((s) => s.topLevel), 'All');
    const all = refs(b);
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((r) => !r.startsWith('#/$defs/'))).toEqual([]);
    // every rewritten reference resolves inside the bundle
    for (const r of all) {
      const target = r
        .slice(2)
        .split('/')
        .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<Json | undefined>((n, k) => (n && typeof n === 'object' && !Array.isArray(n) ? n[k] : undefined), b);
      expect(target, r).toBeDefined();
    }
  });

  it('compiles a validator for every document schema and indexes it', async () => {
    const schemas = await loadSchemas(root);
    const documents = schemas.filter((s) => s.topLevel);
    expect(schemaIndex.map((s) => s.id)).toEqual(documents.map((d) => d.id));
    for (const d of documents) expect(typeof (validators as Record<string, unknown>)[exportName(d)], d.id).toBe('function');
    expect(Object.keys(validators.byId).sort()).toEqual(documents.map((d) => d.id).sort());
  });

  it('finds where citizen IDs and records sit, across $refs', async () => {
    const schemas = await loadSchemas(root);
    const record = schemas.find((s) => s.slug === 'contribution-record')!;
    expect(sitesOf(schemas, record, (s) => s.format === 'citizen-id')).toEqual([['person', 'id']]);
    expect(sitesOf(schemas, record, (s) => s.format === 'uscc')).toEqual([['contributions', '*', 'employerId'], ['employers', '*', 'id']]);
    expect(schemaIndex.find((s) => s.name === 'contribution-record')?.citizenIds).toEqual(['/person/id']);
  });
});
