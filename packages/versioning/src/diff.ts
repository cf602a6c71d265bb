/**
 * Compares two versions of the standard (folders such as schemas/1.0 and
 * schemas/1.1, or two single files): schemas paired by $id minus the version
 * segment, code lists by path, other data files by path.
 */
import { checkMode, verdictOf, type Change, type ChangeClass, type Mode, type ModeResult } from './compat.ts';
import { diffCatalogue, isCatalogue } from './diff-catalogue.ts';
import { diffCodeList } from './diff-codelist.ts';
import { SchemaDiffer, type Labels, type Side } from './diff-schema.ts';
import { canonical } from './json.ts';
import { isObject, loadVersion, type Json, type JsonObject, type LoadedFile, type LoadedVersion, type SchemaFile } from './load.ts';

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
  const zh = {
    old: options.labels?.zh?.old ?? options.labels?.old ?? oldV.version ?? '旧模式',
    new: options.labels?.zh?.new ?? options.labels?.new ?? newV.version ?? '新模式',
  };
  if (labels.old === labels.new) {
    labels.old = `${labels.old} (old)`;
    labels.new = `${labels.new} (new)`;
  }
  if (zh.old === zh.new) {
    zh.old = `${zh.old}（旧）`;
    zh.new = `${zh.new}（新）`;
  }
  labels.zh = zh;
  const { old: zo, new: zn } = zh;
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
      extra.push({ schema: n.path, pointer: '', change: `${o.kind} became a ${n.kind}`, class: 'unclassified', reason: 'the two files are of different kinds',
        zh: { change: `${KIND_ZH[o.kind]}变成了${KIND_ZH[n.kind]}`, reason: '两个文件的种类不同' } });
      continue;
    }
    const some = (n ?? o) as LoadedFile;
    if (some.kind === 'schema') {
      if (o && n) diffSchemaFiles(differ, oldV, o as SchemaFile, newV, n as SchemaFile);
      else if (n) extra.push({ schema: n.path, pointer: '', change: `schema ${n.key} added`, class: 'backward', reason: `a new kind of document: data valid under ${labels.old} is unaffected; readers of ${labels.old} do not know it`,
        zh: { change: `新增模式 \`${n.key}\``, reason: `一种新的文档：按 ${zo} 合格的数据不受影响；${zo} 的读取方不认识它` } });
      else if (o) extra.push({ schema: o.path, pointer: '', change: `schema ${o.key} removed`, class: 'forward', reason: `documents of this kind valid under ${labels.old} have no schema in ${labels.new}`,
        zh: { change: `删除模式 \`${o.key}\``, reason: `按 ${zo} 合格的这类文档在 ${zn} 中没有模式` } });
    } else if (some.kind === 'codelist') {
      if (o && n) extra.push(...diffCodeList(o.root as Json, n.root as Json, n.path, labels));
      else if (n) extra.push({ schema: n.path, pointer: '', change: `code list ${n.key} added`, class: 'backward', reason: `fields that use it accept only codes readers of ${labels.old} cannot know`,
        zh: { change: `新增代码表 \`${n.key}\``, reason: `用到它的字段只接受 ${zo} 的读取方无从知道的代码` } });
      else if (o) extra.push({ schema: o.path, pointer: '', change: `code list ${o.key} removed`, class: 'forward', reason: `data valid under ${labels.old} may use its codes`,
        zh: { change: `删除代码表 \`${o.key}\``, reason: `按 ${zo} 合格的数据可能用到它的代码` } });
    } else {
      const oc = o ? canonical(versionFree(o.root, oldV.version)) : undefined;
      const nc = n ? canonical(versionFree(n.root, newV.version)) : undefined;
      if (oc !== nc && o && n && isCatalogue(o.root as Json) && isCatalogue(n.root as Json)) {
        extra.push(...diffCatalogue(versionFree(o.root, oldV.version) as JsonObject, versionFree(n.root, newV.version) as JsonObject, n.path));
      } else if (oc !== nc) {
        const where = (n ?? o) as LoadedFile;
        extra.push({ schema: where.path, pointer: '', change: `data file ${where.key} ${!o ? 'added' : !n ? 'removed' : 'changed'}`, class: 'unclassified', reason: 'not a schema or code list (e.g. the catalogue): the checker does not classify it; review by hand',
          zh: { change: `数据文件 \`${where.key}\` ${!o ? '新增' : !n ? '被删除' : '有变化'}`, reason: '不是模式也不是代码表（例如目录）：检查器不对它分类；请人工复核' } });
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

/** The kinds of files, for the Chinese texts. */
const KIND_ZH: Record<string, string> = { schema: '模式', codelist: '代码表', data: '数据文件' };

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
    if (!oDefs.has(name)) differ.changes.push({ schema: n.path, pointer: `/$defs/${escape(name)}`, change: `definition '${name}' added`, class: 'none', reason: 'a definition validates nothing until something refers to it; those references are reported where they are',
      zh: { change: `新增定义 \`${name}\``, reason: '定义在被引用之前不校验任何内容；引用之处另行报告' } });
  }
  for (const name of oDefs.keys()) {
    if (!nDefs.has(name)) differ.changes.push({ schema: o.path, pointer: `/$defs/${escape(name)}`, change: `definition '${name}' removed`, class: 'none', reason: 'nothing in this version refers to it any more; schemas outside the standard that did no longer resolve',
      zh: { change: `删除定义 \`${name}\``, reason: '本版本中已没有地方引用它；标准之外引用它的模式将无法解析' } });
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
