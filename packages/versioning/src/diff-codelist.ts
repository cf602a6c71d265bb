/**
 * Compares two versions of a code list (schemas/<v>/codelists/*.json:
 * `{ name, title, …, codes: [{ code, zh, en, … }] }`). A code list is the set
 * of values a field accepts, so:
 * - a code added: backward — every old value is still accepted; readers of the
 *   old version reject documents that use the new code;
 * - a code removed: forward — old readers read new data, but documents valid
 *   under the old version that use the code are rejected: this breaks readers
 *   of old data, so it is forbidden within a major version (retire a code by
 *   marking it, never by deleting it);
 * - a code's label or attributes changed: unclassified — the checker cannot
 *   tell a typo fix from a change of meaning, which would silently alter every
 *   document using the code; a person decides;
 * - `validTo` added to a code (abolished on that day): none — the code stays in
 *   the list, so documents using it stay valid; whether a code is in force on a
 *   date is a rule of the validator, not of the version;
 * - list metadata (title, description, source, version): none.
 */
import type { Change } from './compat.ts';
import type { Labels } from './diff-schema.ts';
import { deepEqual, show } from './json.ts';
import { isObject, versionFreeKey, type Json, type JsonObject } from './load.ts';

/** Attributes of a code whose *addition* keeps the code valid with the same meaning. */
const RETIREMENT_MARKS = new Set(['validTo']);

export function diffCodeList(oldRoot: Json, newRoot: Json, file: string, labels: Labels): Change[] {
  const changes: Change[] = [];
  const o = isObject(oldRoot) ? oldRoot : {};
  const n = isObject(newRoot) ? newRoot : {};
  for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (k === 'codes' || deepEqual(o[k], n[k])) continue;
    if (k === 'version') continue; // the version that last changed the list
    if (k === '$id' && typeof o[k] === 'string' && typeof n[k] === 'string' && versionFreeKey(o[k] as string) === versionFreeKey(n[k] as string)) continue;
    const verb = !(k in o) ? ['added', '新增'] : !(k in n) ? ['removed', '删除'] : ['changed', '有变化'];
    changes.push({ schema: file, pointer: `/${k}`, change: `${k} ${verb[0]}`, class: 'none', reason: 'list metadata: no effect on which codes are valid',
      zh: { change: verb[0] === 'changed' ? `\`${k}\` 有变化` : `${verb[1]} \`${k}\``, reason: '代码表的元数据：不影响哪些代码合格' } });
  }
  const index = (root: JsonObject): Map<string, { at: number; entry: JsonObject }> => {
    const m = new Map<string, { at: number; entry: JsonObject }>();
    (Array.isArray(root.codes) ? root.codes : []).forEach((e, at) => {
      if (isObject(e) && typeof e.code === 'string') m.set(e.code, { at, entry: e });
    });
    return m;
  };
  const oc = index(o);
  const nc = index(n);
  for (const [code, { at, entry }] of nc) {
    const before = oc.get(code);
    const zo = labels.zh?.old ?? labels.old;
    const zn = labels.zh?.new ?? labels.new;
    if (!before) {
      changes.push({ schema: file, pointer: `/codes/${at}`, change: `code '${code}' added`, class: 'backward', reason: `every code valid under ${labels.old} is still valid; ${labels.new} data may use '${code}', which readers of ${labels.old} reject`,
        zh: { change: `新增代码 \`${code}\``, reason: `按 ${zo} 合格的每个代码仍然合格；${zn} 的数据可能用到 \`${code}\`，而 ${zo} 的读取方拒绝它` } });
      continue;
    }
    for (const k of new Set([...Object.keys(before.entry), ...Object.keys(entry)])) {
      if (k === 'code' || deepEqual(before.entry[k], entry[k])) continue;
      const verb = !(k in before.entry) ? 'added' : !(k in entry) ? 'removed' : `${show(before.entry[k])} → ${show(entry[k])}`;
      const verbZh = !(k in before.entry) ? `新增 \`${k}\`` : !(k in entry) ? `删除 \`${k}\`` : `\`${k}\` ${show(before.entry[k])} → ${show(entry[k])}`;
      const changeZh = `代码 \`${code}\`：${verbZh}`;
      if (RETIREMENT_MARKS.has(k) && !(k in before.entry)) {
        changes.push({ schema: file, pointer: `/codes/${at}/${k}`, change: `code '${code}': ${k} ${verb}`, class: 'none', reason: 'the code is retired but stays in the list: documents using it stay valid',
          zh: { change: changeZh, reason: '代码已停用但仍留在代码表中：用到它的文档仍然合格' } });
      } else {
        changes.push({ schema: file, pointer: `/codes/${at}/${k}`, change: `code '${code}': ${k} ${verb}`, class: 'unclassified', reason: 'a changed label or attribute may change what every document using the code means; review by hand',
          zh: { change: changeZh, reason: '名称或属性的变化可能改变每份用到该代码的文档的含义；请人工复核' } });
      }
    }
  }
  for (const [code, { at }] of oc) {
    if (!nc.has(code)) {
      const zo = labels.zh?.old ?? labels.old;
      const zn = labels.zh?.new ?? labels.new;
      changes.push({ schema: file, pointer: `/codes/${at}`, change: `code '${code}' removed`, class: 'forward', reason: `data valid under ${labels.old} may use '${code}', which ${labels.new} rejects (retire a code by giving it a validTo date, never by removing it)`,
        zh: { change: `删除代码 \`${code}\``, reason: `按 ${zo} 合格的数据可能用到 \`${code}\`，而 ${zn} 拒绝它（停用代码应给它设 \`validTo\` 日期，而不是删除）` } });
    }
  }
  return changes;
}
