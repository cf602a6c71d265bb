/**
 * Storable text (docs/standard/conformance.md §8a): no string of a jiexu document — no value and
 * no property name, wherever it sits — may hold U+0000 (NUL) or a lone surrogate (a UTF-16 code
 * unit D800–DFFF without its partner). PostgreSQL stores neither in `text` or `jsonb`, nor can
 * UTF-8 encode a lone surrogate, so such a document could never be stored or forwarded.
 *
 * Every version's validator applies the rule across the whole document (1.0 and 1.1 schemas do
 * not state it); from 1.2 on every free-text string of the schemas also carries
 * STORABLE_TEXT_PATTERN, so a plain JSON Schema validator refuses them as well.
 */

/**
 * The pattern every free-text string of the schemas carries from 1.2 on (ECMA-262 with the `u`
 * flag, as JSON Schema 2020-12 reads patterns: a surrogate pair is one code point, outside the range).
 */
export const STORABLE_TEXT_PATTERN = '^[^\\u0000\\uD800-\\uDFFF]*$';

/** Where a string breaks the rule: its first offending character. */
export interface UnstorableString {
  /** JSON Pointer of the value, or of the property whose name breaks the rule. */
  pointer: string;
  /** A value or a property name. */
  in: 'value' | 'name';
  /** Index (UTF-16 code units) of the first offending character. */
  index: number;
  /** `U+0000` or `U+D800` …: the offending code unit. */
  character: string;
}

/** Index of the first NUL or lone surrogate in `s`, or -1. */
export function firstUnstorable(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/** True when PostgreSQL can store the string (no NUL, no lone surrogate). */
export function isStorableText(s: string): boolean {
  return firstUnstorable(s) === -1;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Every string of `doc` (values and property names) that breaks the rule, in document order.
 * Iterative, so any nesting depth is walked without growing the call stack.
 */
export function unstorableStrings(doc: unknown, prefix = ''): UnstorableString[] {
  if (!mayHoldUnstorable(doc)) return [];
  const found: UnstorableString[] = [];
  const note = (pointer: string, where: 'value' | 'name', s: string) => {
    const index = firstUnstorable(s);
    if (index === -1) return;
    found.push({ pointer, in: where, index, character: `U+${s.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')}` });
  };
  const stack: Array<[string, unknown]> = [[prefix, doc]];
  while (stack.length) {
    const [at, node] = stack.pop()!;
    if (typeof node === 'string') note(at, 'value', node);
    else if (node instanceof NameMarker) note(at, 'name', node.name);
    else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([`${at}/${i}`, node[i]]);
    } else if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i]!;
        const pointer = `${at}/${escapePointer(key)}`;
        stack.push([pointer, value]);
        // the name before its value: pushed last, popped first
        stack.push([pointer, new NameMarker(key)]);
      }
    }
  }
  return found;
}

/** Any surrogate code unit or NUL: a string without one is storable (a paired surrogate matches too, then `firstUnstorable` decides). */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
/** Whether `s` breaks the rule: most strings are decided by the regex; a name with a rare character (a surrogate pair) by firstUnstorable. */
const breaks = (s: string): boolean => SUSPECT.test(s) && firstUnstorable(s) !== -1;

/**
 * Property names already found storable (a document's objects mostly share theirs: every
 * contribution has the same keys). Bounded, so hostile documents with endless distinct names
 * cannot grow it; property names are not slices of a larger text, so keeping them pins nothing.
 */
const storableNames = new Set<string>();

/**
 * Whether any string of `doc` (value or property name) might break the rule: a walk that builds
 * no pointers, so the usual document (nothing to report) costs one regex test per value.
 * Only a document where it answers true is walked again by `unstorableStrings` with pointers.
 * It may answer true for a storable document (then the walk finds nothing), never false for one
 * that is not.
 */
export function mayHoldUnstorable(doc: unknown): boolean {
  if (typeof doc === 'string') return breaks(doc);
  if (doc === null || typeof doc !== 'object') return false;
  // only containers are stacked; strings are tested where they are met
  const stack: object[] = [doc];
  while (stack.length) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === 'string') {
          if (breaks(v)) return true;
        } else if (v !== null && typeof v === 'object') stack.push(v);
      }
    } else {
      for (const key in node) {
        if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
        if (!storableNames.has(key)) {
          if (breaks(key)) return true;
          if (storableNames.size >= 4096) storableNames.clear();
          storableNames.add(key);
        }
        const v: unknown = (node as Record<string, unknown>)[key];
        if (typeof v === 'string') {
          if (breaks(v)) return true;
        } else if (v !== null && typeof v === 'object') stack.push(v);
      }
    }
  }
  return false;
}

class NameMarker {
  constructor(readonly name: string) {}
}
