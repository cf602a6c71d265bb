/**
 * Compares two versions of the case-type catalogue (schemas/<v>/catalogue/case-types.json).
 * The catalogue decides which messages fit a case, so (version marks neutralised first):
 * - a case type added: backward — every old case still fits; readers of the old version do not
 *   know the new one;
 * - a case type removed: forward — stored cases of that type fit nothing any more;
 * - a step added to a case type: backward — every message that fitted still fits;
 * - a step's `deadline` added, the step otherwise unchanged: none — no message is refused for a
 *   deadline (a late answer is accepted and marked late); the platform tracks it and reminds;
 * - a legal source added to the list or to a case type, a description changed: none;
 * - anything else (a step changed or removed, a state changed, roles …): unclassified.
 */
import type { Change, ChangeClass } from './compat.ts';
import { canonical, deepEqual } from './json.ts';
import { isObject, type Json, type JsonObject } from './load.ts';

/** True for the catalogue's data file. */
export function isCatalogue(root: Json | undefined): boolean {
  return isObject(root) && root.name === 'case-types' && Array.isArray(root.caseTypes);
}

export function diffCatalogue(oldRoot: JsonObject, newRoot: JsonObject, file: string): Change[] {
  const out: Change[] = [];
  const add = (pointer: string, cls: ChangeClass, change: [string, string], reason: [string, string]) =>
    out.push({ schema: file, pointer, change: change[1], class: cls, reason: reason[1], zh: { change: change[0], reason: reason[0] } });
  const keys = new Set([...Object.keys(oldRoot), ...Object.keys(newRoot)]);
  for (const k of keys) {
    if (k === 'caseTypes' || k === 'sources' || deepEqual(oldRoot[k], newRoot[k])) continue;
    if (k === 'description') add('/description', 'none', ['目录说明有变化', 'catalogue description changed'], ['说明文字不影响哪些消息合格', 'words only: no effect on which messages fit']);
    else add(`/${k}`, 'unclassified', [`目录的 \`${k}\` 有变化`, `catalogue ${k} changed`], ['检查器不对它分类；请人工复核', 'the checker does not classify it; review by hand']);
  }
  diffById(asList(oldRoot.sources), asList(newRoot.sources), 'id', '/sources', (id, o, n, at) => {
    if (!o) add(at, 'none', [`新增法律依据 \`${id}\``, `legal source ${id} added`], ['依据列表只供引用', 'the list of sources is only referred to']);
    else if (!n) add(at, 'unclassified', [`删除法律依据 \`${id}\``, `legal source ${id} removed`], ['引用它的地方不再能解析；请人工复核', 'what refers to it no longer resolves; review by hand']);
    else add(at, 'unclassified', [`法律依据 \`${id}\` 有变化`, `legal source ${id} changed`], ['依据的含义可能变了；请人工复核', 'the source may mean something else now; review by hand']);
  });
  diffById(asList(oldRoot.caseTypes), asList(newRoot.caseTypes), 'code', '/caseTypes', (code, o, n, at) => {
    if (!o) return add(at, 'backward', [`新增业务类型 \`${code}\``, `case type ${code} added`], ['旧的案件照旧适用；旧版本的读取方不认识新类型', 'every old case still fits; readers of the old version do not know the new type']);
    if (!n) return add(at, 'forward', [`删除业务类型 \`${code}\``, `case type ${code} removed`], ['这一类已存的案件不再适用任何类型', 'stored cases of this type fit nothing any more']);
    diffCaseType(o, n, at, add);
  });
  return out;
}

type Add = (pointer: string, cls: ChangeClass, change: [string, string], reason: [string, string]) => void;

function diffCaseType(o: JsonObject, n: JsonObject, at: string, add: Add): void {
  for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (k === 'steps' || deepEqual(o[k], n[k])) continue;
    if (k === 'description' || k === 'zh' || k === 'en') add(`${at}/${k}`, 'none', [`\`${k}\` 有变化`, `${k} changed`], ['说明文字不影响哪些消息合格', 'words only: no effect on which messages fit']);
    else if (k === 'sources' && asStrings(o[k]).every((s) => asStrings(n[k]).includes(s))) add(`${at}/sources`, 'none', ['新增法律依据引用', 'legal source references added'], ['依据不影响哪些消息合格', 'sources do not decide which messages fit']);
    else add(`${at}/${k}`, 'unclassified', [`\`${k}\` 有变化`, `${k} changed`], ['检查器不对它分类；请人工复核', 'the checker does not classify it; review by hand']);
  }
  const os = asList(o.steps);
  const ns = asList(n.steps);
  const without = (s: JsonObject, ...drop: string[]) => canonical(Object.fromEntries(Object.entries(s).filter(([k]) => !drop.includes(k))) as Json);
  const used = new Set<number>();
  const pair = (s: JsonObject, key: (x: JsonObject) => string) => {
    const i = ns.findIndex((x, j) => !used.has(j) && key(x) === key(s));
    if (i >= 0) used.add(i);
    return i;
  };
  const unmatched: JsonObject[] = [];
  for (const s of os) if (pair(s, (x) => canonical(x as Json)) < 0) unmatched.push(s);
  for (const s of unmatched) {
    const j = pair(s, (x) => without(x, 'deadline', 'description'));
    if (j >= 0 && s.deadline === undefined && ns[j]!.deadline !== undefined) {
      add(`${at}/steps/${j}/deadline`, 'none', [`步骤 \`${String(s.message)}\` 新增期限`, `deadline added to step ${String(s.message)}`], ['不会因期限拒收消息（逾期的答复照收并标为逾期）；平台据此跟踪和催办', 'no message is refused for a deadline (a late answer is accepted and marked late); the platform tracks it and reminds']);
    } else if (j >= 0 && deepEqual(s.deadline, ns[j]!.deadline)) {
      add(`${at}/steps/${j}/description`, 'none', [`步骤 \`${String(s.message)}\` 的说明有变化`, `description of step ${String(s.message)} changed`], ['说明文字不影响哪些消息合格', 'words only: no effect on which messages fit']);
    } else {
      add(`${at}/steps`, 'unclassified', [`步骤 \`${String(s.message)}\` 被修改或删除`, `step ${String(s.message)} changed or removed`], ['检查器不判断改动后的步骤是否仍接受原来的消息；请人工复核', 'whether the changed step still fits the messages it did is not decided; review by hand']);
    }
  }
  ns.forEach((s, j) => {
    if (!used.has(j)) add(`${at}/steps/${j}`, 'backward', [`新增步骤 \`${String(s.message)}\``, `step ${String(s.message)} added`], ['原来合适的消息照旧合适；旧版本的读取方不认识新步骤', 'every message that fitted still fits; readers of the old version do not know the new step']);
  });
}

function asList(v: Json | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function asStrings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function diffById(o: JsonObject[], n: JsonObject[], key: string, base: string, fn: (id: string, o: JsonObject | undefined, n: JsonObject | undefined, at: string) => void): void {
  const id = (x: JsonObject) => String(x[key]);
  n.forEach((x, j) => {
    const before = o.find((y) => id(y) === id(x));
    if (!before || !deepEqual(before, x)) fn(id(x), before, x, `${base}/${j}`);
  });
  o.forEach((y, i) => {
    if (!n.some((x) => id(x) === id(y))) fn(id(y), y, undefined, `${base}/${i}`);
  });
}
