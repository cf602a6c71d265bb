/**
 * Converts documents of the standard between versions, one adjacent step at a
 * time (1.0 → 1.1 → 1.2 …, and back where a step allows), with a report of
 * every value a down-conversion loses.
 *
 * Documents: an envelope (its `standardversion`, `dataschema` and every
 * contribution record inside `data`), a contribution record, or a message body
 * (give `from`: bodies carry no version of their own). A case keeps its
 * version: `caseversion` is never rewritten.
 */
import type { MigrationIssue } from './issue-codes.ts';
import { isObject, type Json, type JsonObject } from './load.ts';
import { step_1_0_to_1_1 } from './migrations/1.0-1.1.ts';
import { SchemeUnknownBefore12, step_1_1_to_1_2 } from './migrations/1.1-1.2.ts';
import type { MigrationStep } from './migrations/step.ts';
import { compareVersions, majorOf, supportedVersions } from './versions.ts';

/** Every migration step, oldest first. Add one per new version (see docs/versioning.md). */
export const STEPS: readonly MigrationStep[] = [step_1_0_to_1_1, step_1_1_to_1_2];

export interface MigrationReport {
  from: string;
  to: string;
  /** The steps taken, e.g. ["1.0→1.1"]. */
  steps: string[];
  /** False when a down-conversion dropped something (each drop is a warning in issues). */
  lossless: boolean;
  issues: MigrationIssue[];
}

export interface MigrationResult<T = Json> {
  doc: T;
  report: MigrationReport;
}

export class MigrationError extends Error {
  /** `message` is English; `zh` the same in Chinese, for programs that speak Chinese (the CLI). */
  constructor(
    message: string,
    readonly zh?: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The version a document declares: an envelope's standardversion, a record's version; undefined for a bare message body. */
export function versionOfDocument(doc: unknown): string | undefined {
  if (!isObject(doc as Json)) return undefined;
  const d = doc as JsonObject;
  if (typeof d.specversion === 'string' && typeof d.standardversion === 'string') return d.standardversion;
  if (d.kind === 'contribution-record' && typeof d.version === 'string') return d.version;
  return undefined;
}

/**
 * Migrates `doc` to `toVersion`. The input is never modified.
 * Throws MigrationError when the version is unknown or no path of steps exists
 * (e.g. across a major version).
 */
export function migrate<T = Json>(doc: T, toVersion: string, options: { from?: string; versions?: string[] } = {}): MigrationResult<T> {
  const from = versionOfDocument(doc) ?? options.from;
  if (from === undefined) throw new MigrationError('the document declares no version (a message body?): pass { from }', '文档没有声明版本（是报文体吗？）：请给出 { from }（命令行：--from）');
  const known = options.versions ?? supportedVersions();
  for (const v of [from, toVersion]) if (!known.includes(v)) throw new MigrationError(`version ${v} is not a supported version of the standard (${known.join(', ')})`, `版本 ${v} 不是受支持的标准版本（${known.join(', ')}）`);
  if (majorOf(from) !== majorOf(toVersion)) throw new MigrationError(`no migration between major versions (${from} → ${toVersion}): a new major is a new contract`, `主版本之间没有迁移（${from} → ${toVersion}）：新的主版本是一份新的约定`);

  const copy = structuredClone(doc) as unknown as Json;
  const report: MigrationReport = { from, to: toVersion, steps: [], lossless: true, issues: [] };
  const up = compareVersions(from, toVersion) < 0;
  const path = known.filter((v) => majorOf(v) === majorOf(from) && (up ? compareVersions(v, from) >= 0 && compareVersions(v, toVersion) <= 0 : compareVersions(v, toVersion) >= 0 && compareVersions(v, from) <= 0));
  if (!up) path.reverse();
  let current = copy;
  for (let i = 0; i + 1 < path.length; i++) {
    const a = path[i] as string;
    const b = path[i + 1] as string;
    const step = STEPS.find((s) => (up ? s.from === a && s.to === b : s.from === b && s.to === a));
    if (!step) throw new MigrationError(`no migration step between ${a} and ${b}`, `${a} 与 ${b} 之间没有迁移步骤`);
    try {
      current = applyStep(current, step, up ? 'up' : 'down', a, b, report.issues);
    } catch (err) {
      if (err instanceof SchemeUnknownBefore12) throw new MigrationError(err.message, `${err.pointer || '/'} 的险种 ${err.scheme} 自标准 1.2 版起才有：${b} 版的记录无法表示`);
      throw err;
    }
    report.steps.push(`${a}→${b}`);
  }
  report.lossless = !report.issues.some((i) => i.code === 'migration-value-dropped');
  return { doc: current as unknown as T, report };
}

/** Moves the version marks (envelope, records) from `a` to `b` and lets the step convert every record. */
function applyStep(root: Json, step: MigrationStep, direction: 'up' | 'down', a: string, b: string, issues: MigrationIssue[]): Json {
  if (isObject(root) && typeof root.specversion === 'string') {
    if (root.standardversion === a) root.standardversion = b;
    if (typeof root.dataschema === 'string') root.dataschema = root.dataschema.replace(`/standard/${a}/`, `/standard/${b}/`);
    if (direction === 'down' && typeof root.caseversion === 'string' && compareVersions(root.caseversion, b) > 0) {
      issues.push({
        severity: 'information',
        code: 'migration-case-version-newer',
        message: { zh: `案件按 ${root.caseversion} 版开始，本副本为 ${b} 版`, en: `the case started in ${root.caseversion}; this copy is in ${b} for a receiver on ${b}` },
        pointer: '/caseversion',
        value: root.caseversion,
      });
    }
  }
  forEachRecord(root, '', (record, pointer) => {
    if (record.version === a) record.version = b;
    if (direction === 'up') step.upRecord(record, pointer, issues);
    else step.downRecord(record, pointer, issues);
  });
  return root;
}

/** Calls fn on every contribution record in the tree, with its JSON Pointer. */
function forEachRecord(node: Json, pointer: string, fn: (record: JsonObject, pointer: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => forEachRecord(n, `${pointer}/${i}`, fn));
    return;
  }
  if (!isObject(node)) return;
  if (node.kind === 'contribution-record') fn(node, pointer);
  for (const [k, v] of Object.entries(node)) forEachRecord(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, fn);
}
