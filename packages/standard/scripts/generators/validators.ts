/**
 * Compiled validators: ajv 8 (JSON Schema 2020-12, strict mode, allErrors)
 * standalone ESM code for every document schema, with the identifier formats
 * imported from src/formats.ts; plus src/generated/schema-index.ts, what the
 * runtime needs to know about each schema (how a document declares it, where
 * citizen IDs and embedded records sit).
 */
import path from 'node:path';
import { _ } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';
import { formats } from '../../src/formats.ts';
import { readVersions } from '../../../versioning/src/versions.ts';
import { exportName, loadSchemas, sitesOf, versionsOf, type JsonSchema, type SchemaFile } from '../lib/schemas.ts';
import { GENERATED_NOTICE, type GeneratedFile } from './common.ts';

const OUT = 'packages/standard/src/generated';
// A CommonJS module whose module.exports is the function, with .default set too.
const standaloneCode = standalone.default;

export async function generate(root: string): Promise<GeneratedFile[]> {
  const schemas = await loadSchemas(root);
  const documents = schemas.filter((s) => s.topLevel);
  return [
    { path: `${OUT}/validators.js`, content: validatorsModule(schemas, documents) },
    { path: `${OUT}/validators.d.ts`, content: validatorsTypes(documents) },
    { path: `${OUT}/schema-index.ts`, content: schemaIndex(schemas, documents, standardVersions(root, schemas)) },
  ];
}

function validatorsModule(schemas: SchemaFile[], documents: SchemaFile[]): string {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    verbose: true, // errors carry their schema: messages can quote the field's description
    formats,
    code: { source: true, esm: true, lines: true, formats: _`jiexuFormats` },
    schemas: schemas.map((s) => s.schema),
  });
  const exports: Record<string, string> = {};
  for (const d of documents) exports[exportName(d)] = d.id;
  // ESM is strict anyway; the directive would only sit after the imports.
  let code = cheaperMinPropertiesChecks(rememberPassingPatterns(cheaperLengthChecks(standaloneCode(ajv, exports).replace(/^"use strict";\n?/, ''))));
  // ajv refers to its runtime helpers (ucs2length, equal) with require() even in ESM mode:
  // give the module a require of its own (the helpers are CommonJS).
  const needsRequire = /\brequire\(/.test(code);
  const byId = documents.map((d) => `  ${JSON.stringify(d.id)}: ${exportName(d)},`).join('\n');
  return [
    `// ${GENERATED_NOTICE}`,
    '// ajv standalone validation code for every document schema under schemas/ (JSON Schema 2020-12, allErrors).',
    'import { formats as jiexuFormats } from "../formats.ts";',
    ...(code.includes('lastPassing(') ? ['import { lastPassing } from "../pattern-memo.ts";'] : []),
    ...(code.includes('hasNoOwnKeys(') ? ['import { hasNoOwnKeys } from "../no-own-keys.ts";'] : []),
    ...(needsRequire ? ['import { createRequire } from "node:module";', 'const require = createRequire(import.meta.url);'] : []),
    code.trim(),
    '',
    '/** Every compiled validator by schema $id. */',
    `export const byId = {\n${byId}\n};`,
    '',
  ].join('\n');
}

/**
 * ajv checks minLength and maxLength by counting the string's code points
 * (its ucs2length helper, a loop over every UTF-16 unit) on every string
 * that has either: each position path, name and identifier of every record
 * the adapters' gate passes (the gate's largest cost after the schema
 * itself: 1M rows are 1M position paths walked character by character). A
 * string has at most as many code points as UTF-16 units and at least one
 * exactly when it has one unit, so `count(s) < 1` is `s.length < 1`, and
 * `count(s) > n` can only hold when `s.length > n`: the same answers, the
 * count taken only for a string longer than its limit in units. Other
 * comparisons, if ajv ever emits them, are left as they are.
 */
export function cheaperLengthChecks(code: string): string {
  const helper = /\bconst (\w+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;/.exec(code)?.[1];
  if (!helper) return code;
  return code
    .replace(new RegExp(`\\b${helper}\\((data\\d+)\\) < 1\\b`, 'g'), '$1.length < 1')
    .replace(new RegExp(`\\b${helper}\\((data\\d+)\\) > (\\d+)\\b`, 'g'), '($1.length > $2 && ' + helper + '($1) > $2)');
}

/**
 * ajv tests each `pattern` with `patternN.test(dataM)`, on every string of every record the
 * adapters' gate passes; one employer's USCC is matched again on each of its months (the largest
 * regex in the gate's profile). Each compiled pattern gets a tester that first compares the value
 * with the last one it accepted (src/pattern-memo.ts: the same answers, proved there and by
 * pattern-memo.test.ts against ajv compiled at run time). Patterns tested any other way are left
 * as they are.
 */
export function rememberPassingPatterns(code: string): string {
  return code
    .replace(/^const (pattern\d+) = new RegExp\(.*\);$/gm, (line, name: string) => `${line}\nconst ${name}Passes = lastPassing(${name});`)
    .replace(/\b(pattern\d+)\.test\((data\d+)\)/g, '$1Passes($2)');
}

/**
 * ajv checks `minProperties: 1` (every position of every monthly entry) with
 * `Object.keys(data).length < 1`, a list of keys built and dropped per row: rewritten to
 * hasNoOwnKeys(data) (src/no-own-keys.ts, the same answer without the list; no-own-keys.test.ts).
 * Other limits, if the schemas ever have them, are left as they are.
 */
export function cheaperMinPropertiesChecks(code: string): string {
  return code.replace(/\bObject\.keys\((data\d+)\)\.length < 1\b/g, 'hasNoOwnKeys($1)');
}

function validatorsTypes(documents: SchemaFile[]): string {
  return [
    `// ${GENERATED_NOTICE}`,
    "import type { ErrorObject } from 'ajv';",
    '',
    '/** A compiled validator: true when valid; otherwise `errors` lists every violation (allErrors). */',
    'export interface CompiledValidator {',
    '  (data: unknown): boolean;',
    '  errors?: ErrorObject[] | null;',
    '}',
    '',
    ...documents.map((d) => `/** ${d.id} */\nexport declare const ${exportName(d)}: CompiledValidator;`),
    '',
    '/** Every compiled validator by schema $id. */',
    'export declare const byId: Record<string, CompiledValidator>;',
    '',
  ].join('\n');
}

/**
 * schemas/versions.json (read by @jiexu/versioning's reader, the one implementation), checked
 * against the folders: every folder with schemas is listed, every listed version has schemas.
 */
function standardVersions(root: string, schemas: SchemaFile[]): Array<{ version: string; status: string }> {
  const listed = readVersions(path.join(root, 'schemas')).versions.map(({ version, status }) => ({ version, status }));
  const folders = versionsOf(schemas);
  for (const v of folders) if (!listed.some((l) => l.version === v)) throw new Error(`schemas/${v}/ is not listed in schemas/versions.json`);
  for (const l of listed) if (!folders.includes(l.version)) throw new Error(`schemas/versions.json lists ${l.version} but schemas/${l.version}/ has no schema`);
  return listed;
}

function schemaIndex(schemas: SchemaFile[], documents: SchemaFile[], versions: Array<{ version: string; status: string }>): string {
  const isRecordRoot = new Map(documents.map((d) => [d.schema, d]));
  const entries = documents.map((d) => {
    const declares = declaredConsts(d.schema);
    const props = d.schema.properties as JsonSchema | undefined;
    const message = /^messages\/(.+)$/.exec(d.slug);
    const envelope = Boolean(props && 'specversion' in props && 'data' in props);
    return {
      id: d.id,
      version: d.version,
      name: d.slug,
      file: d.file,
      title: typeof d.schema.title === 'string' ? d.schema.title : null,
      validator: exportName(d),
      declares,
      versionProperty: versionProperty(d, declares, envelope),
      envelope,
      messageType: message ? `cn.jiexu.${message[1]}.v${d.version.split('.')[0]}` : null,
      citizenIds: sitesOf(schemas, d, (s) => s.format === 'citizen-id').map(pointer),
      embedded: sitesOf(schemas, d, (s) => isRecordRoot.has(s) && Object.keys(declaredConsts(s)).length > 0).map((at) => ({
        at: pointer(at),
        id: documentAt(schemas, d, at, isRecordRoot),
      })),
    };
  });
  return [
    `// ${GENERATED_NOTICE}`,
    '',
    '/** What the runtime knows about one document schema. */',
    'export interface SchemaIndexEntry {',
    '  id: string;',
    '  version: string;',
    '  /** The $id after the version, without .schema.json: contribution-record, messages/pension.contact-letter */',
    '  name: string;',
    '  /** Repository-relative path of the schema file. */',
    '  file: string;',
    '  title: string | null;',
    '  /** Export name of its compiled validator in validators.js. */',
    '  validator: string;',
    '  /** Required properties with a const value: how a document says what it is (`kind` of a record, `name` of the catalogue). */',
    '  declares: Record<string, string>;',
    '  /** The property by which a document names its standard version (`version`, an envelope\'s `standardversion`); null when it names none. */',
    '  versionProperty: string | null;',
    '  /** The CloudEvents envelope: its body is validated by the message schema its `type` names. */',
    '  envelope: boolean;',
    '  /** For a message body schema: the envelope `type` that carries it. */',
    '  messageType: string | null;',
    "  /** JSON Pointer patterns (a `*` segment: any index or key) of every `format: citizen-id` string. */",
    '  citizenIds: string[];',
    '  /** JSON Pointer patterns of every document (e.g. a contribution record) the schema embeds, itself included (""). */',
    '  embedded: Array<{ at: string; id: string }>;',
    '}',
    '',
    `export const schemaIndex: SchemaIndexEntry[] = ${JSON.stringify(entries, null, 2)};`,
    '',
    '/** schemas/versions.json: every version of the standard, oldest first; `released` ones are supported. */',
    `export const standardVersions: Array<{ version: string; status: 'released' | 'draft' }> = ${JSON.stringify(versions, null, 2)};`,
    '',
  ].join('\n');
}

/** A JSON Pointer pattern from segments. */
function pointer(at: string[]): string {
  return at.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The properties by which a document says what it is (`kind`; `name` for data files such as the catalogue). */
const DECLARING = ['kind', 'name'];

/** `{kind: 'contribution-record'}`: required declaring properties with a string const. */
function declaredConsts(schema: JsonSchema): Record<string, string> {
  const out: Record<string, string> = {};
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  if (!props) return out;
  for (const name of DECLARING) {
    const c = props[name]?.const;
    if (required.includes(name) && typeof c === 'string') out[name] = c;
  }
  return out;
}

/**
 * Where a document names its version: a required `version` beside `kind`/`name`, or an envelope's
 * `standardversion`. When the schema restricts it (`const`, or `enum` after a minor), its own
 * version must be among the values: a schema that rejects documents of its own version is a mistake.
 */
function versionProperty(d: SchemaFile, declares: Record<string, string>, envelope: boolean): string | null {
  const name = envelope ? 'standardversion' : Object.keys(declares).length > 0 ? 'version' : null;
  if (name === null) return null;
  const props = d.schema.properties as Record<string, JsonSchema> | undefined;
  const required = Array.isArray(d.schema.required) ? (d.schema.required as string[]) : [];
  const prop = props?.[name];
  if (!prop || !required.includes(name)) return null;
  const allowed = prop.const !== undefined ? [prop.const] : Array.isArray(prop.enum) ? prop.enum : undefined;
  if (allowed && !allowed.includes(d.version)) throw new Error(`${d.file}: /properties/${name} does not accept the schema's own version ${d.version}`);
  if (typeof prop.pattern === 'string' && !new RegExp(prop.pattern, 'u').test(d.version)) throw new Error(`${d.file}: /properties/${name} pattern does not accept ${d.version}`);
  return name;
}

/** Which document schema sits at a site (the site search matched one of them). */
function documentAt(schemas: SchemaFile[], d: SchemaFile, at: string[], roots: Map<JsonSchema, SchemaFile>): string {
  for (const [schema, file] of roots) {
    if (Object.keys(declaredConsts(schema)).length === 0) continue;
    if (sitesOf(schemas, d, (s) => s === schema).some((site) => site.join('/') === at.join('/'))) return file.id;
  }
  throw new Error(`${d.file}: no document schema at ${at.join('/')}`);
}
