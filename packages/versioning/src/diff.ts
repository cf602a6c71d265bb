/**
 * Compares two versions of the standard (folders such as schemas/1.0 and
 * schemas/1.1, or two single files): schemas paired by $id minus the version
 * segment, code lists by path, other data files by path.
 */
import { checkMode, verdictOf, type Change, type ChangeClass, type Mode, type ModeResult } from './compat.ts';
import { diffCodeList } from './diff-codelist.ts';
import { SchemaDiffer, type Labels, type Side } from './diff-schema.ts';
import { canonical } from './json.ts';
import { isObject, loadVersion, type Json, type LoadedFile, type LoadedVersion, type SchemaFile } from './load.ts';

export interface DiffResult {
  old: { path: string; version?: string };
  new: { path: string; version?: string };
  verdict: ChangeClass;
  changes: Change[];
}

export interface DiffOptions {
  /** How to name the versions in reasons; defaults to their version labels ("1.0") or "the old/new schema". */
  labels?: Partial<Labels>;
}

/** Diffs two paths (folders or files). Throws LoadError on unreadable input. */
export function diffPaths(oldPath: string, newPath: string, options: DiffOptions = {}): DiffResult {
  return diffVersions(loadVersion(oldPath), loadVersion(newPath), options);
}

export function diffVersions(oldV: LoadedVersion, newV: LoadedVersion, options: DiffOptions = {}): DiffResult {
  const labels: Labels = {
    old: options.labels?.old ?? oldV.version ?? 'the old schema',
    new: options.labels?.new ?? newV.version ?? 'the new schema',
  };
  if (labels.old === labels.new) {
    labels.old = `${labels.old} (old)`;
    labels.new = `${labels.new} (new)`;
  }
  const differ = new SchemaDiffer(labels);
  const extra: Change[] = [];

  const pick = (v: LoadedVersion): LoadedFile[] => (v.only ? v.files.filter((f) => f.path === v.only) : v.files);
  const oldFiles = pick(oldV);
  const newFiles = pick(newV);
  const pairs: Array<[LoadedFile | undefined, LoadedFile | undefined]> = [];
  if (oldV.only && newV.only && oldFiles.length === 1 && newFiles.length === 1) {
    pairs.push([oldFiles[0], newFiles[0]]);
  } else {
    const keyOf = (f: LoadedFile): string => `${f.kind === 'data' ? 'data' : f.kind}:${f.key}`;
    const oldByKey = new Map(oldFiles.map((f) => [keyOf(f), f]));
    const newByKey = new Map(newFiles.map((f) => [keyOf(f), f]));
    for (const [k, f] of newByKey) pairs.push([oldByKey.get(k), f]);
    for (const [k, f] of oldByKey) if (!newByKey.has(k)) pairs.push([f, undefined]);
  }

  for (const [o, n] of pairs) {
    if (o && n && o.kind !== n.kind) {
      extra.push({ schema: n.path, pointer: '', change: `${o.kind} became a ${n.kind}`, class: 'unclassified', reason: 'the two files are of different kinds' });
      continue;
    }
    const some = (n ?? o) as LoadedFile;
    if (some.kind === 'schema') {
      if (o && n) diffSchemaFiles(differ, oldV, o as SchemaFile, newV, n as SchemaFile);
      else if (n) extra.push({ schema: n.path, pointer: '', change: `schema ${n.key} added`, class: 'backward', reason: `a new kind of document: data valid under ${labels.old} is unaffected; readers of ${labels.old} do not know it` });
      else if (o) extra.push({ schema: o.path, pointer: '', change: `schema ${o.key} removed`, class: 'forward', reason: `documents of this kind valid under ${labels.old} have no schema in ${labels.new}` });
    } else if (some.kind === 'codelist') {
      if (o && n) extra.push(...diffCodeList(o.root as Json, n.root as Json, n.path, labels));
      else if (n) extra.push({ schema: n.path, pointer: '', change: `code list ${n.key} added`, class: 'backward', reason: `fields that use it accept only codes readers of ${labels.old} cannot know` });
      else if (o) extra.push({ schema: o.path, pointer: '', change: `code list ${o.key} removed`, class: 'forward', reason: `data valid under ${labels.old} may use its codes` });
    } else {
      const oc = o ? canonical(versionFree(o.root, oldV.version)) : undefined;
      const nc = n ? canonical(versionFree(n.root, newV.version)) : undefined;
      if (oc !== nc) {
        const where = (n ?? o) as LoadedFile;
        extra.push({ schema: where.path, pointer: '', change: `data file ${where.key} ${!o ? 'added' : !n ? 'removed' : 'changed'}`, class: 'unclassified', reason: 'not a schema or code list (e.g. the catalogue): the checker does not classify it; review by hand' });
      }
    }
  }

  const changes = [...differ.changes, ...extra].sort((a, b) => (a.schema === b.schema ? cmpPointer(a.pointer, b.pointer) : a.schema < b.schema ? -1 : 1));
  const result: DiffResult = {
    old: { path: oldV.only ? `${oldV.root}/${oldV.only}` : oldV.root },
    new: { path: newV.only ? `${newV.root}/${newV.only}` : newV.root },
    verdict: verdictOf(changes),
    changes,
  };
  if (oldV.version) result.old.version = oldV.version;
  if (newV.version) result.new.version = newV.version;
  return result;
}

function cmpPointer(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two schema files: the roots, then every `$defs` entry (definitions not reached from the root count too). */
function diffSchemaFiles(differ: SchemaDiffer, oldV: LoadedVersion, o: SchemaFile, newV: LoadedVersion, n: SchemaFile): void {
  const side = (version: LoadedVersion, file: SchemaFile, pointer: string, node: Json): Side => ({ version, file, pointer, base: file.id, node });
  differ.compare(side(oldV, o, '', o.root), side(newV, n, '', n.root));
  const oDefs = defsOf(o.root);
  const nDefs = defsOf(n.root);
  for (const [name, node] of nDefs) {
    const old = oDefs.get(name);
    if (old !== undefined) differ.compare(side(oldV, o, `/$defs/${escape(name)}`, old), side(newV, n, `/$defs/${escape(name)}`, node));
  }
  for (const name of nDefs.keys()) {
    if (!oDefs.has(name)) differ.changes.push({ schema: n.path, pointer: `/$defs/${escape(name)}`, change: `definition '${name}' added`, class: 'none', reason: 'a definition validates nothing until something refers to it; those references are reported where they are' });
  }
  for (const name of oDefs.keys()) {
    if (!nDefs.has(name)) differ.changes.push({ schema: o.path, pointer: `/$defs/${escape(name)}`, change: `definition '${name}' removed`, class: 'none', reason: 'nothing in this version refers to it any more; schemas outside the standard that did no longer resolve' });
  }
}

function defsOf(root: Json): Map<string, Json> {
  if (!isObject(root) || !isObject(root.$defs)) return new Map();
  return new Map(Object.entries(root.$defs));
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A data file with its version marks neutralised, so a plain copy into a new version compares equal. */
function versionFree(root: Json, version: string | undefined): Json {
  const walk = (n: Json): Json => {
    if (typeof n === 'string') return n.replace(/\/standard\/\d+\.\d+\//g, '/standard/*/');
    if (Array.isArray(n)) return n.map(walk);
    if (!isObject(n)) return n;
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(n)) out[k] = k === 'version' && v === version ? '*' : walk(v);
    return out;
  };
  return walk(root);
}

export interface CheckedDiff extends DiffResult, ModeResult {
  mode: Mode;
}

/** Diff plus the verdict of a compatibility mode. */
export function checkPaths(oldPath: string, newPath: string, mode: Mode = 'backward', allowUnclassified = false, options: DiffOptions = {}): CheckedDiff {
  const diff = diffPaths(oldPath, newPath, options);
  return { ...diff, mode, ...checkMode(diff.changes, mode, allowUnclassified) };
}
