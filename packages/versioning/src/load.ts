/**
 * Loads one version of the standard (a folder such as schemas/1.0, or a single
 * file) into memory: its JSON Schemas keyed by $id, its code lists and any other
 * data files. `$ref`s are resolved by $id among the loaded files only; nothing
 * is ever fetched.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface SchemaFile {
  kind: 'schema';
  /** Path relative to the version root, with forward slashes. */
  path: string;
  /** Path as given on disk (for messages). */
  file: string;
  /** The $id, or a file: URL when the schema has none. */
  id: string;
  /** Version-free key used to pair a schema with its counterpart in another version. */
  key: string;
  root: Json;
}

export interface CodeListFile {
  kind: 'codelist';
  path: string;
  file: string;
  key: string;
  root: JsonObject;
}

export interface DataFile {
  kind: 'data';
  path: string;
  file: string;
  key: string;
  root: Json;
}

export type LoadedFile = SchemaFile | CodeListFile | DataFile;

export interface LoadedVersion {
  /** The folder the files were read from. */
  root: string;
  /** The version label, e.g. "1.0", when the folder or $ids say it. */
  version?: string;
  files: LoadedFile[];
  /** Every schema resource by absolute URI (top-level and nested $id), without fragment. */
  byId: Map<string, { file: SchemaFile; node: Json; pointer: string }>;
  /** When a single file was given: only that file is compared (others are loaded to resolve $ref). */
  only?: string;
}

/** A clean failure the CLI turns into exit code 2. */
export class LoadError extends Error {
  /** `message` is English; `zh` the same in Chinese, for programs that speak Chinese (the CLI). */
  constructor(
    message: string,
    readonly zh?: string,
  ) {
    super(message);
    this.name = 'LoadError';
  }
}

const VERSION_SEGMENT = /^\d+\.\d+$/;

/** `https://jiexu.org/standard/1.0/common.schema.json` → `common.schema.json`; also strips a version folder from a relative path. */
export function versionFreeKey(idOrPath: string): string {
  let path = idOrPath;
  try {
    const url = new URL(idOrPath);
    if (url.protocol === 'http:' || url.protocol === 'https:') path = url.pathname;
  } catch {
    /* a relative path */
  }
  const segments = path.split('/').filter((s) => s !== '');
  const at = segments.findIndex((s) => VERSION_SEGMENT.test(s));
  return (at >= 0 ? segments.slice(at + 1) : segments).join('/');
}

/** The version segment of a $id or path, e.g. "1.1". */
export function versionOf(idOrPath: string): string | undefined {
  return idOrPath.split(/[/\\]/).find((s) => VERSION_SEGMENT.test(s));
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LoadError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, `无法读取 ${file}：${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new LoadError(`${file}: not valid JSON: ${(err as Error).message}`, `${file}：不是有效的 JSON`);
  }
}

function listJson(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) {
        // examples and the conformance suite (tests/) are data conforming to the schemas, not part of the standard's definition
        if (entry.name === 'examples' || entry.name === 'tests' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.json')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function looksLikeSchema(root: Json): boolean {
  return isObject(root) && (typeof root.$schema === 'string' || typeof root.$id === 'string');
}

function classify(rootDir: string, file: string, root: Json): LoadedFile {
  const path = relative(rootDir, file).split(sep).join('/');
  if (isObject(root) && Array.isArray(root.codes) && root.codes.every((c) => isObject(c) && typeof c.code === 'string')) {
    return { kind: 'codelist', path, file, key: path, root };
  }
  if (looksLikeSchema(root)) {
    const obj = root as JsonObject;
    const id = typeof obj.$id === 'string' ? obj.$id : new URL(`file://${file}`).href;
    return { kind: 'schema', path, file, id, key: typeof obj.$id === 'string' ? versionFreeKey(obj.$id) : path, root };
  }
  return { kind: 'data', path, file, key: path, root };
}

/** Registers every $id (top-level and nested) so `$ref`s can be resolved locally. */
function indexIds(file: SchemaFile, byId: LoadedVersion['byId']): void {
  const visit = (node: Json, base: string, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => visit(n, base, `${pointer}/${i}`));
      return;
    }
    if (!isObject(node)) return;
    let here = base;
    if (typeof node.$id === 'string') {
      here = new URL(node.$id, base).href.replace(/#.*$/, '');
      byId.set(here, { file, node, pointer });
    }
    for (const [k, v] of Object.entries(node)) {
      // enum/const/examples/default hold data, not schemas
      if (k === 'enum' || k === 'const' || k === 'examples' || k === 'default') continue;
      visit(v, here, `${pointer}/${escapePointer(k)}`);
    }
  };
  visit(file.root, file.id, '');
  if (!byId.has(file.id.replace(/#.*$/, ''))) byId.set(file.id.replace(/#.*$/, ''), { file, node: file.root, pointer: '' });
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The version folder (an ancestor named like "1.0") holding a file, if any. */
function versionRootOf(file: string): string | undefined {
  for (let d = dirname(file); dirname(d) !== d; d = dirname(d)) {
    if (VERSION_SEGMENT.test(basename(d))) return d;
  }
  return undefined;
}

/**
 * Loads a version folder, or a single schema/code-list file. A single file inside
 * a version folder (schemas/1.0/...) is compared alone, but the folder's other
 * schemas are loaded to resolve its `$ref`s; a file elsewhere stands alone.
 */
export function loadVersion(target: string): LoadedVersion {
  let stat;
  try {
    stat = statSync(target);
  } catch (err) {
    throw new LoadError(`cannot read ${target}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, `无法读取 ${target}：${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const isDir = stat.isDirectory();
  const rootDir = isDir ? target : (versionRootOf(target) ?? dirname(target));
  const siblings = isDir || versionRootOf(target) === undefined ? [] : listJson(rootDir).filter((f) => f !== target);
  const paths = isDir ? listJson(rootDir) : [target];
  if (isDir && paths.length === 0) throw new LoadError(`${target}: no JSON files found`, `${target}：没有找到 JSON 文件`);
  const entries: Array<{ file: string; root: Json }> = paths.map((path) => ({ file: path, root: readJson(path) }));
  for (const path of siblings) {
    const root = safeRead(path);
    if (root !== undefined) entries.push({ file: path, root });
  }
  const result = versionFromFiles(rootDir, entries);
  if (!isDir) result.only = relative(rootDir, target).split(sep).join('/');
  return result;
}

/** A version from documents already in memory (`file` paths under `rootDir`). */
export function versionFromFiles(rootDir: string, entries: ReadonlyArray<{ file: string; root: Json }>): LoadedVersion {
  const files: LoadedFile[] = [];
  const byId: LoadedVersion['byId'] = new Map();
  for (const { file, root } of entries) {
    const loaded = classify(rootDir, file, root);
    files.push(loaded);
    if (loaded.kind === 'schema') indexIds(loaded, byId);
  }
  const version = versionOf(rootDir) ?? files.map((f) => (f.kind === 'schema' ? versionOf(f.id) : undefined)).find(Boolean);
  const result: LoadedVersion = { root: rootDir, files, byId };
  if (version) result.version = version;
  return result;
}

/** Sibling files that fail to parse are skipped when only one file was asked for. */
function safeRead(path: string): Json | undefined {
  try {
    return readJson(path);
  } catch {
    return undefined;
  }
}

export interface Resolved {
  file: SchemaFile;
  node: Json;
  pointer: string;
}

/** Resolves a `$ref` against a base URI among the loaded schemas; undefined when it is not local. */
export function resolveRef(version: LoadedVersion, base: string, ref: string): Resolved | undefined {
  let url: URL;
  try {
    url = new URL(ref, base);
  } catch {
    return undefined;
  }
  const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
  url.hash = '';
  const resource = version.byId.get(url.href);
  if (!resource) return undefined;
  if (fragment === '') return resource;
  if (!fragment.startsWith('/')) {
    // a plain-name fragment: an $anchor
    let found: Resolved | undefined;
    const visit = (node: Json, pointer: string): void => {
      if (found) return;
      if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${pointer}/${i}`));
      else if (isObject(node)) {
        if (node.$anchor === fragment) found = { file: resource.file, node, pointer };
        for (const [k, v] of Object.entries(node)) if (k !== 'enum' && k !== 'const') visit(v, `${pointer}/${escapePointer(k)}`);
      }
    };
    visit(resource.node, resource.pointer);
    return found;
  }
  let node: Json | undefined = resource.node;
  for (const token of fragment.split('/').slice(1).map(unescapePointer)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else node = undefined;
    if (node === undefined) return undefined;
  }
  return { file: resource.file, node, pointer: resource.pointer + fragment };
}

/** The base URI in force at a pointer inside a schema file (nested $id change it). */
export function baseAt(file: SchemaFile, pointer: string): string {
  let base = file.id;
  let node: Json | undefined = file.root;
  const tokens = pointer === '' ? [] : pointer.split('/').slice(1).map(unescapePointer);
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return base;
    if (isObject(node) && typeof node.$id === 'string') base = new URL(node.$id, base).href;
  }
  return base;
}
