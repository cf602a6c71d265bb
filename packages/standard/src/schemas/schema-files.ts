/**
 * Finds the files of the standard under schemas/<version>/: JSON Schemas,
 * their examples, the code lists and the case-type catalogue. Read-only,
 * sorted, no network: $ids are names, resolved from these files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface SchemaFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  schema: Record<string, unknown> & { $id: string };
}

export interface ExampleFile {
  path: string;
  /** The $id of the schema the example is for. */
  schemaId: string;
  valid: boolean;
  /** For invalid examples: the issue code the file name starts with. */
  expectedCode?: string;
  document: unknown;
}

export interface CodeList {
  path: string;
  name: string;
  source: string;
  version: string;
  codes: Array<{ code: string; zh: string; en: string; description?: string }>;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

const rel = (root: string, file: string) => relative(root, file).split(sep).join('/');
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** Every *.schema.json under schemas/<version>/, sorted by path. */
export function schemaFiles(root: string, version = '1.0'): SchemaFile[] {
  return walk(join(root, 'schemas', version))
    .filter((f) => f.endsWith('.schema.json') && !f.split(sep).includes('examples'))
    .map((f) => ({ path: rel(root, f), schema: readJson(f) as SchemaFile['schema'] }));
}

/**
 * Every example: `<folder>/examples/{valid,invalid}/*.json` belongs to the one
 * schema of <folder>; `messages/examples/<name>/{valid,invalid}/*.json` to
 * messages/<name>.schema.json. Invalid file names are `<issue-code>--<what>.json`.
 */
export function exampleFiles(root: string, version = '1.0'): ExampleFile[] {
  const schemas = schemaFiles(root, version);
  const byPath = new Map(schemas.map((s) => [s.path, s.schema.$id]));
  const base = `schemas/${version}/`;
  const out: ExampleFile[] = [];
  for (const full of walk(join(root, 'schemas', version))) {
    const path = rel(root, full);
    const m = /^(.*)\/examples\/(?:([^/]+)\/)?(valid|invalid)\/([^/]+)\.json$/.exec(path.slice(base.length));
    if (!m) continue;
    const [, folder, messageName, kind, file] = m;
    let schemaPath: string | undefined;
    if (folder === 'messages' && messageName) schemaPath = `${base}messages/${messageName}.schema.json`;
    else if (!messageName) {
      const inFolder = schemas.filter((s) => s.path.startsWith(`${base}${folder}/`) && !s.path.slice(`${base}${folder}/`.length).includes('/'));
      if (inFolder.length === 1) schemaPath = inFolder[0].path;
    }
    const schemaId = schemaPath ? byPath.get(schemaPath) : undefined;
    if (!schemaId) throw new Error(`${path}: no schema for this example folder`);
    const valid = kind === 'valid';
    out.push({ path, schemaId, valid, expectedCode: valid ? undefined : file.split('--')[0], document: readJson(full) });
  }
  return out;
}

/** Every code list (codelists/*.json except the schema), sorted by name. */
export function codeLists(root: string, version = '1.0'): CodeList[] {
  const dir = join(root, 'schemas', version, 'codelists');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => ({ path: `schemas/${version}/codelists/${f}`, ...(readJson(join(dir, f)) as Omit<CodeList, 'path'>) }));
}

/** The case-type catalogue (catalogue/case-types.json), as data. */
export function caseTypeCatalogue(root: string, version = '1.0'): unknown {
  return readJson(join(root, 'schemas', version, 'catalogue', 'case-types.json'));
}

/** pension.contact-letter → cn.jiexu.pension.contact-letter.v1 */
export function messageType(name: string, major = 1): string {
  return `cn.jiexu.${name}.v${major}`;
}

/** cn.jiexu.pension.contact-letter.v1 → pension.contact-letter (undefined when not a jiexu type). */
export function messageNameOfType(type: string): string | undefined {
  return /^cn\.jiexu\.([a-z][a-z-]*\.[a-z][a-z-]*)\.v[1-9][0-9]*$/.exec(type)?.[1];
}

/** The $id of a message body schema. */
export function messageSchemaId(name: string, version = '1.0'): string {
  return `https://jiexu.org/standard/${version}/messages/${name}.schema.json`;
}
