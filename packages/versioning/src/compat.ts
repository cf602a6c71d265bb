/**
 * Compatibility classes and modes.
 *
 * Think of a schema as the set of documents it accepts. For a change from an
 * old to a new schema:
 * - backward: every document valid under the old schema is valid under the new
 *   one (new readers read old data) — the change loosens;
 * - forward: every document valid under the new schema is valid under the old
 *   one (old readers read new data) — the change tightens;
 * - full: both hold, yet a validation keyword changed (e.g. an enum reordered);
 * - none: no effect on validation at all (titles, descriptions, examples);
 * - breaking: neither holds;
 * - unclassified: the checker cannot decide (e.g. a changed regular expression).
 */

export type ChangeClass = 'breaking' | 'backward' | 'forward' | 'full' | 'none' | 'unclassified';
export type Mode = 'backward' | 'forward' | 'full' | 'none';
export const MODES: readonly Mode[] = ['backward', 'forward', 'full', 'none'];
export const CLASSES: readonly ChangeClass[] = ['breaking', 'backward', 'forward', 'full', 'none', 'unclassified'];

export interface Change {
  /** The schema or code-list file, relative to its version folder (the new one; the old one for removals). */
  schema: string;
  /** JSON Pointer into that file. */
  pointer: string;
  /** What changed, in a few words. */
  change: string;
  class: ChangeClass;
  /** Why this class: what happens to which data. */
  reason: string;
  /** The same `change` and `reason` in Chinese (pointers, keywords and codes kept as they are). */
  zh?: { change: string; reason: string };
}

/** A text in both languages, built in one place. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** The class of a change from whether old data stays valid (loosen) and new data was already valid (tighten). */
export function classOf(oldDataStaysValid: boolean, newDataWasValid: boolean): ChangeClass {
  if (oldDataStaysValid && newDataWasValid) return 'full';
  if (oldDataStaysValid) return 'backward';
  if (newDataWasValid) return 'forward';
  return 'breaking';
}

/** Swaps backward and forward: used under `not`, where loosening the inner schema tightens the outer one. */
export function flip(c: ChangeClass): ChangeClass {
  if (c === 'backward') return 'forward';
  if (c === 'forward') return 'backward';
  return c;
}

/** Whether a change of this class is allowed in a mode. Unclassified changes are never allowed by a mode. */
export function allowedIn(c: ChangeClass, mode: Mode): boolean {
  if (c === 'unclassified') return false;
  if (mode === 'none' || c === 'none' || c === 'full') return true;
  if (mode === 'backward') return c === 'backward';
  if (mode === 'forward') return c === 'forward';
  return false; // full mode: only full and none
}

/** The class of a set of changes taken together. */
export function verdictOf(changes: readonly Change[]): ChangeClass {
  let backward = true;
  let forward = true;
  let unknown = false;
  let effect = false;
  for (const c of changes) {
    if (c.class === 'none') continue;
    effect = true;
    if (c.class === 'unclassified') unknown = true;
    if (c.class === 'forward' || c.class === 'breaking') backward = false;
    if (c.class === 'backward' || c.class === 'breaking') forward = false;
  }
  if (!backward && !forward) return 'breaking';
  if (unknown) return 'unclassified';
  if (!effect) return 'none';
  return classOf(backward, forward);
}

export interface ModeResult {
  ok: boolean;
  /** Changes of a class the mode forbids. */
  violations: Change[];
  /** Unclassified changes (violations unless allowed). */
  unclassified: Change[];
}

export function checkMode(changes: readonly Change[], mode: Mode, allowUnclassified = false): ModeResult {
  const violations = changes.filter((c) => c.class !== 'unclassified' && !allowedIn(c.class, mode));
  const unclassified = changes.filter((c) => c.class === 'unclassified');
  return { ok: violations.length === 0 && (allowUnclassified || unclassified.length === 0), violations, unclassified };
}

/** One line for people: `class  file#pointer  change — reason` (in Chinese with `lang` 'zh', the class then in Chinese beside its code). */
export function formatChange(c: Change, lang: 'zh' | 'en' = 'en'): string {
  if (lang === 'zh') return `${CLASS_ZH[c.class]} [${c.class}] ${c.schema}#${c.pointer}：${c.zh?.change ?? c.change} — ${c.zh?.reason ?? c.reason}`;
  return `${c.class.padEnd(12)} ${c.schema}#${c.pointer}: ${c.change} — ${c.reason}`;
}

/** The classes in Chinese. */
export const CLASS_ZH: Record<ChangeClass, string> = { backward: '向后兼容', forward: '向前兼容', full: '完全兼容', none: '无影响', breaking: '不兼容', unclassified: '未分类' };
