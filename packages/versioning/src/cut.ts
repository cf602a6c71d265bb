/**
 * Cutting a new version of the standard: copy the latest version folder to
 * schemas/<new>/, rename every $id, move the version markers, and register the
 * new version in schemas/versions.json as a draft. Then edit the draft, run the
 * policy check (`pnpm exec vitest run packages/versioning`), and release it.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { deepEqual } from './json.ts';
import { isObject, LoadError, type Json, type JsonObject } from './load.ts';
import { compareVersions, parseVersion, readVersions, SCHEMAS_DIR, type VersionsFile } from './versions.ts';

export interface CutResult {
  from: string;
  to: string;
  folder: string;
  /** Files rewritten, relative to the new folder. */
  rewritten: string[];
  /** What a person must still look at (new majors). */
  review: string[];
}

/** Property names whose value is the standard version a document conforms to. */
const VERSION_PROPERTIES = new Set(['version', 'standardVersion', 'standardversion']);

export function cutVersion(to: string, options: { schemasDir?: string; from?: string } = {}): CutResult {
  const schemasDir = options.schemasDir ?? SCHEMAS_DIR;
  const versions = readVersions(schemasDir);
  const last = versions.versions[versions.versions.length - 1];
  if (!last) throw new LoadError('schemas/versions.json lists no version to cut from', 'schemas/versions.json 中没有可供切出新版本的版本');
  if (last.status === 'draft' && options.from === undefined) throw new LoadError(`${last.version} is still a draft: release it (jiexu schema release ${last.version}) before cutting ${to}`, `${last.version} 仍是草案：请先发布它（jiexu schema release ${last.version}），再切出 ${to}`);
  const from = options.from ?? last.version;
  const t = parseVersion(to);
  const f = parseVersion(from);
  if (versions.versions.some((v) => v.version === to) || existsSync(join(schemasDir, to))) throw new LoadError(`version ${to} already exists`, `版本 ${to} 已存在`);
  if (compareVersions(to, last.version) <= 0) throw new LoadError(`${to} is not newer than the latest version ${last.version}`, `${to} 不比最新版本 ${last.version} 新`);
  const next = t.major === f.major ? t.minor === f.minor + 1 : t.major === f.major + 1 && t.minor === 0;
  if (!next) throw new LoadError(`${to} does not follow ${from}: cut ${f.major}.${f.minor + 1} (compatible) or ${f.major + 1}.0 (new major)`, `${to} 不紧接 ${from}：请切出 ${f.major}.${f.minor + 1}（兼容）或 ${f.major + 1}.0（新的主版本）`);
  if (!existsSync(join(schemasDir, from))) throw new LoadError(`${join(schemasDir, from)}: missing`, `${join(schemasDir, from)}：缺失`);

  const major = t.major !== f.major;
  const staging = join(schemasDir, `.cut-${to}-${process.pid}`);
  const folder = join(schemasDir, to);
  rmSync(staging, { recursive: true, force: true });
  const rewritten: string[] = [];
  const review: string[] = [];
  try {
    cpSync(join(schemasDir, from), staging, { recursive: true });
    for (const file of listJson(staging)) {
      const text = readFileSync(file, 'utf8');
      const doc = JSON.parse(text) as Json;
      const out = rewrite(doc, from, to, major, (msg) => review.push(`${relative(staging, file).split(sep).join('/')}: ${msg}`));
      if (deepEqual(doc, out)) continue;
      writeFileSync(file, editText(text, out, from, to, major));
      rewritten.push(relative(staging, file).split(sep).join('/'));
    }
    if (!major) renameConstVersionExamples(staging, rewritten);
    renameSync(staging, folder);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  const updated: VersionsFile = { ...versions, versions: [...versions.versions, { version: to, status: 'draft' }] };
  writeAtomically(join(schemasDir, 'versions.json'), formatJson(updated as unknown as Json));
  if (major) review.unshift(`${to} is a new major: compatibility with ${from} is not required, but check every pattern, message type and code that names the major`);
  return { from, to, folder, rewritten, review };
}

/**
 * The rewritten file as text, keeping the authors' layout: plain text edits
 * when they give exactly the rewritten document, else the document reformatted.
 */
function editText(text: string, out: Json, from: string, to: string, major: boolean): string {
  const same = (candidate: string): boolean => {
    try {
      return deepEqual(JSON.parse(candidate) as Json, out);
    } catch {
      return false;
    }
  };
  const q = (v: string): string => v.replace(/\./g, '\\.');
  let t = text.split(`/standard/${from}/`).join(`/standard/${to}/`);
  if (same(t)) return t;
  const marker = `("(?:${[...VERSION_PROPERTIES].join('|')})"\\s*:\\s*\\{[^{}]*?)`;
  const sameMajor = (v: string): boolean => parseVersion(v).major === parseVersion(to).major;
  t = t.replace(new RegExp(`${marker}"enum"(\\s*):(\\s*)\\[([^\\]]*)\\]`, 'g'), (m, head: string, s1: string, s2: string, list: string) =>
    list.includes(`"${from}"`) ? (major ? `${head}"const"${s1}:${s2}"${to}"` : `${head}"enum"${s1}:${s2}[${list}, "${to}"]`) : m);
  t = t.replace(new RegExp(`${marker}"const"(\\s*):(\\s*)"${q(from)}"`, 'g'), (_m, head: string, s1: string, s2: string) =>
    major ? `${head}"const"${s1}:${s2}"${to}"` : `${head}"enum"${s1}:${s2}[${[from, to].filter(sameMajor).map((v) => `"${v}"`).join(', ')}]`);
  if (same(t)) return t;
  t = t.replace(new RegExp(`"(version|standardversion)"(\\s*):(\\s*)"${q(from)}"`, 'g'), `"$1"$2:$3"${to}"`);
  if (same(t)) return t;
  return formatJson(out);
}

/**
 * Invalid examples are named by the issue they raise (`const--version-2.0.json`).
 * Where a minor cut turned a `const` version marker into an `enum`, a wrong
 * version now raises `enum`: rename those examples to match.
 */
function renameConstVersionExamples(dir: string, rewritten: string[]): void {
  const markerBecameEnum = (schemaFile: string): boolean => /"(version|standardVersion|standardversion)"\s*:\s*\{[^{}]*"enum"/.test(readFileSync(schemaFile, 'utf8'));
  for (const file of listJson(dir)) {
    const rel = relative(dir, file).split(sep);
    const name = rel[rel.length - 1] as string;
    if (!/^const--.*version/.test(name) || rel[rel.length - 2] !== 'invalid' || rel[rel.length - 3] !== 'examples') continue;
    const schemaDir = join(dir, ...rel.slice(0, -3));
    const schemas = readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'));
    if (schemas.length !== 1 || !markerBecameEnum(join(schemaDir, schemas[0] as string))) continue;
    renameSync(file, join(dirname(file), name.replace(/^const--/, 'enum--')));
    rewritten.push(`${rel.join('/')} → enum--${name.slice('const--'.length)}`);
  }
}

/** Marks a draft version released. */
export function releaseVersion(version: string, options: { schemasDir?: string } = {}): void {
  const schemasDir = options.schemasDir ?? SCHEMAS_DIR;
  const versions = readVersions(schemasDir);
  const entry = versions.versions.find((v) => v.version === version);
  if (!entry) throw new LoadError(`version ${version} is not in schemas/versions.json`, `版本 ${version} 不在 schemas/versions.json 中`);
  if (entry.status === 'released') throw new LoadError(`version ${version} is already released`, `版本 ${version} 已经发布`);
  entry.status = 'released';
  writeAtomically(join(schemasDir, 'versions.json'), formatJson(versions as unknown as Json));
}

function writeAtomically(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listJson(p));
    else if (e.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

/** Rewrites one file of the copy: $ids and URLs, version markers and (for a new major) the major in names and patterns. */
export function rewrite(doc: Json, from: string, to: string, major: boolean, note: (msg: string) => void = () => {}): Json {
  const fromMajor = parseVersion(from).major;
  const toMajor = parseVersion(to).major;
  const fromUrl = `/standard/${from}/`;
  const toUrl = `/standard/${to}/`;
  const walk = (node: Json, key: string | undefined, parentKey: string | undefined): Json => {
    if (typeof node === 'string') {
      let s = node.split(fromUrl).join(toUrl);
      if (major) {
        if (/^cn\.jiexu\.[a-z0-9.-]+\.v\d+$/.test(s)) s = s.replace(new RegExp(`\\.v${fromMajor}$`), `.v${toMajor}`);
        if (key === 'pattern' && s.includes(`${fromMajor}\\.`)) {
          s = s.split(`^${fromMajor}\\.`).join(`^${toMajor}\\.`).split(`/${fromMajor}\\.`).join(`/${toMajor}\\.`);
          note(`pattern rewritten for major ${toMajor}: ${s}`);
        }
      }
      return s;
    }
    if (Array.isArray(node)) return node.map((n) => walk(n, undefined, key));
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, k, key);
    // a data file's or document's own version
    // (a code list's `version` is the version that last changed it: a copy leaves it alone)
    const codeList = key === undefined && Array.isArray(out.codes);
    for (const k of ['version', 'standardversion']) {
      if (out[k] === from && !codeList && !('$schema' in out) && key !== 'properties') out[k] = to;
    }
    // a schema's version marker: properties.version { const: "1.0" } or { enum: [...] }
    if (parentKey === 'properties' && key !== undefined && VERSION_PROPERTIES.has(key)) return markVersion(out, from, to, major);
    return out;
  };
  return walk(doc, undefined, undefined);
}

/** `{const: "1.0"}` → `{enum: ["1.0", "1.1"]}` for a minor cut (old documents stay valid), `{const: "2.0"}` for a major. */
function markVersion(schema: JsonObject, from: string, to: string, major: boolean): JsonObject {
  const values = 'const' in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
  if (!values || !values.includes(from)) return schema;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(schema)) if (k !== 'const' && k !== 'enum') out[k] = v;
  if (major) out.const = to;
  else out.enum = [...values.filter((v) => typeof v === 'string' && parseVersion(v as string).major === parseVersion(to).major), to];
  return out;
}

/** JSON with two-space indentation, short arrays and objects kept on one line (as the schema files are written). */
export function formatJson(value: Json): string {
  const fmt = (v: Json, indent: string): string => {
    const flat = JSON.stringify(v);
    if (v === null || typeof v !== 'object' || flat.length + indent.length <= 120 && !hasNestedContainer(v, indent === '')) return spaced(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) return `[\n${v.map((x) => inner + fmt(x, inner)).join(',\n')}\n${indent}]`;
    return `{\n${Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${fmt(x, inner)}`).join(',\n')}\n${indent}}`;
  };
  return `${fmt(value, '')}\n`;
}

function hasNestedContainer(v: Json, top: boolean): boolean {
  return top && typeof v === 'object' && v !== null;
}

/** One-line JSON with a space after ':' and ',' (as written by hand). */
function spaced(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(spaced).join(', ')}]`;
  if (isObject(v)) return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${spaced(x)}`).join(', ')} }`.replace('{  }', '{}');
  return JSON.stringify(v);
}
