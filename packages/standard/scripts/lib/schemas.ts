/**
 * The standard's schemas as files: every `*.schema.json` under schemas/<version>/
 * (examples excluded), keyed by `$id`. `$id`s are names, resolved here from the
 * local files only; nothing is ever fetched.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { schemaFilePaths } from '../../src/schema-files.ts';

export const ID_PREFIX = 'https://jiexu.org/standard/';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonSchema = { [key: string]: Json };

export interface SchemaFile {
  /** The schema's `$id`, e.g. https://jiexu.org/standard/1.0/contribution-record.schema.json */
  id: string;
  /** The standard version, e.g. 1.0 */
  version: string;
  /** Repository-relative path, forward slashes. */
  file: string;
  /** The `$id` after the version, without `.schema.json`: contribution-record, messages/pension.contact-letter */
  slug: string;
  schema: JsonSchema;
  /** A document schema (validates whole documents), as opposed to a library of `$defs` only. */
  topLevel: boolean;
}

const LIBRARY_KEYWORDS = new Set(['$schema', '$id', '$comment', 'title', 'description', '$defs', 'definitions', 'examples']);

/** Every schema under schemas/, sorted by `$id`. Throws, naming the file, on a missing or misplaced `$id`. */
export async function loadSchemas(root: string): Promise<SchemaFile[]> {
  const files = schemaFilePaths(path.join(root, 'schemas'));
  const out: SchemaFile[] = [];
  for (const full of files) {
    const file = path.relative(root, full).split(path.sep).join('/');
    const version = file.split('/')[1];
    let schema: JsonSchema;
    try {
      schema = JSON.parse(await readFile(full, 'utf8')) as JsonSchema;
    } catch (err) {
      throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const id = schema.$id;
    const prefix = `${ID_PREFIX}${version}/`;
    if (typeof id !== 'string' || !id.startsWith(prefix) || !id.endsWith('.schema.json')) {
      throw new Error(`${file}: $id must start with ${prefix} and end with .schema.json (found ${JSON.stringify(id)})`);
    }
    const slug = id.slice(prefix.length, -'.schema.json'.length);
    const topLevel = Object.keys(schema).some((k) => !LIBRARY_KEYWORDS.has(k));
    out.push({ id, version, file, slug, schema, topLevel });
  }
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seen = new Set<string>();
  for (const s of out) {
    if (seen.has(s.id)) throw new Error(`${s.file}: duplicate $id ${s.id}`);
    seen.add(s.id);
  }
  return out;
}

/** Versions present, ascending (1.0, 1.1, 2.0 …). */
export function versionsOf(schemas: SchemaFile[]): string[] {
  return [...new Set(schemas.map((s) => s.version))].sort((a, b) => {
    const [am, an] = a.split('.').map(Number);
    const [bm, bn] = b.split('.').map(Number);
    return am - bm || an - bn;
  });
}

/** A JavaScript identifier for a schema: v1_0_contribution_record, v1_0_messages_pension_contact_letter. */
export function exportName(s: SchemaFile): string {
  return `v${s.version.replace('.', '_')}_${s.slug.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

/**
 * One self-contained schema for a set of documents: each document under
 * `$defs[<alias>]` with every `$ref` rewritten to a local pointer, so tools
 * that resolve references by file path (json-schema-ref-parser) never look
 * outside it. `roots` become an `anyOf` at the top.
 */
export function bundle(schemas: SchemaFile[], roots: SchemaFile[], title: string): JsonSchema {
  const byId = new Map(schemas.map((s) => [s.id, s]));
  const alias = (s: SchemaFile) => s.slug.replace(/[^A-Za-z0-9]+/g, '_');
  const defs: { [key: string]: Json } = {};
  for (const s of schemas) {
    const copy = rewrite(s.schema, s.id) as JsonSchema;
    delete copy.$id;
    delete copy.$schema;
    defs[alias(s)] = copy;
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    anyOf: roots.map((r) => ({ $ref: `#/$defs/${alias(r)}` })),
    $defs: defs,
  };

  function rewrite(node: Json, baseId: string): Json {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, baseId));
    if (node === null || typeof node !== 'object') return node;
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const url = new URL(value, baseId);
        const fragment = decodeURIComponent(url.hash.slice(1));
        url.hash = '';
        const target = byId.get(url.href);
        if (!target) throw new Error(`${byId.get(baseId)?.file ?? baseId}: $ref ${value} names no local schema (${url.href})`);
        if (fragment && !fragment.startsWith('/')) throw new Error(`${byId.get(baseId)?.file}: $ref ${value}: only JSON Pointer fragments are supported`);
        out.$ref = `#/$defs/${alias(target)}${fragment.split('/').map(encodePointerSegmentForUri).join('/')}`;
      } else if (key === 'const' || key === 'enum' || key === 'default' || key === 'examples') {
        out[key] = value; // data, not schema
      } else {
        out[key] = rewrite(value, baseId);
      }
    }
    return out;
  }
}

function encodePointerSegmentForUri(segment: string): string {
  return segment.replace(/[^A-Za-z0-9._~\-~]/g, (c) => encodeURIComponent(c));
}

/**
 * Where in a document a kind of subschema applies, as pointer patterns (`*` =
 * any array index or property name): e.g. every place a `format: citizen-id`
 * string sits in a record: [['person','id']]. Follows `$ref` across schemas,
 * every branch of allOf/anyOf/oneOf/if/then/else; stops at recursion.
 */
export function sitesOf(schemas: SchemaFile[], root: SchemaFile, matches: (schema: JsonSchema, id: string) => boolean): string[][] {
  const byId = new Map(schemas.map((s) => [s.id, s]));
  const found = new Map<string, string[]>();
  const stack = new Set<JsonSchema>();

  const visit = (node: Json, baseId: string, at: string[]): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    if (stack.has(node)) return;
    stack.add(node);
    if (matches(node, baseId)) found.set(JSON.stringify(at), at);
    if (typeof node.$ref === 'string') {
      const [target, targetId] = resolveRef(byId, node.$ref, baseId);
      visit(target, targetId, at);
    }
    const sub = (key: string) => node[key];
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = sub(key);
      if (Array.isArray(list)) for (const s of list) visit(s, baseId, at);
    }
    for (const key of ['if', 'then', 'else']) visit(sub(key), baseId, at);
    const props = sub('properties');
    if (props && typeof props === 'object' && !Array.isArray(props)) {
      for (const [name, s] of Object.entries(props)) visit(s, baseId, [...at, name]);
    }
    const pattern = sub('patternProperties');
    if (pattern && typeof pattern === 'object' && !Array.isArray(pattern)) for (const s of Object.values(pattern)) visit(s, baseId, [...at, '*']);
    visit(sub('additionalProperties'), baseId, [...at, '*']);
    visit(sub('items'), baseId, [...at, '*']);
    const prefix = sub('prefixItems');
    if (Array.isArray(prefix)) prefix.forEach((s, i) => visit(s, baseId, [...at, String(i)]));
    stack.delete(node);
  };
  visit(root.schema, root.id, []);
  return [...found.values()].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** The schema a `$ref` names, resolved by `$id` against the local files. */
export function resolveRef(byId: Map<string, SchemaFile>, ref: string, baseId: string): [Json, string] {
  const url = new URL(ref, baseId);
  const fragment = decodeURIComponent(url.hash.slice(1));
  url.hash = '';
  const doc = byId.get(url.href);
  if (!doc) throw new Error(`$ref ${ref} (from ${baseId}) names no local schema`);
  let node: Json = doc.schema;
  for (const raw of fragment.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node !== null && typeof node === 'object' ? (Array.isArray(node) ? node[Number(key)] : node[key]) : undefined as unknown as Json;
    if (node === undefined) throw new Error(`$ref ${ref} (from ${baseId}): nothing at #${fragment}`);
  }
  return [node, doc.id];
}
