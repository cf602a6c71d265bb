/**
 * Self-closing elements in their plainest writing, read without saxes's
 * per-character state machine.
 *
 * A gd-xml export is a million `<Period from="…" … employerId="…"/>` lines;
 * saxes reads every character of them through a method call and a state
 * switch, and builds a tag, an attribute list and two dictionaries for each
 * (half the reader's own time at 1M rows, after the attribute collector of
 * xml-attributes.ts). An element written the plainest way has nothing saxes
 * could report or normalize:
 *
 * - inside the root, with saxes between two tags (reading text, nothing
 *   carried over, no text pending but spaces and line feeds);
 * - preceded by spaces and line feeds only;
 * - its name and attribute names ASCII letters and digits, starting with a
 *   letter (so no prefix, no `xmlns` declaration unless named so: then left
 *   to saxes);
 * - each attribute one space, `name="value"`, its value printable ASCII
 *   without `"`, `&` or `<` (nothing to normalize, no reference);
 * - no name twice, at most PAIRWISE attributes (xml-attributes.ts);
 * - closed by `/>` right after its last value (or its name).
 *
 * For such an element saxes would emit, and only emit, `opentag` then
 * `closetag` for a tag named as written, in the default namespace in scope,
 * with these attributes (the whitespace before it is text the reader's text
 * handler passes by). Here the same handlers are called with the same tag
 * and the attributes collected as xml-attributes.ts collects them, and
 * saxes's position (line, column, the start of the line, the chunk's
 * position) is moved on as its getCode would have moved it. The first element
 * that does not fit is left to saxes: it is written to saxes from where it
 * starts up to the next `<` after its own, after which plain elements are read
 * here again. xml-plain-tags.test.ts runs the reader both ways over the
 * samples and mutated documents.
 *
 * saxes 6.0.0 (pinned): the fields below are its own (private in its types).
 */
import type { SaxesParser, SaxesTagNS } from 'saxes';
import type { PlainAttributes } from './xml-attributes.ts';
import { PAIRWISE } from './xml-attributes.ts';

/** saxes's private members read and moved on here. */
interface SaxesState {
  state: number;
  tags: unknown[];
  tag: unknown;
  text: string;
  forbiddenState: number;
  carriedFromPrevious: string | undefined;
  line: number;
  column: number;
  positionAtNewLine: number;
  chunkPosition: number;
  topNS: unknown;
  resolve: (prefix: string) => string | undefined;
  openTagStartHandler: unknown;
  attributeHandler: unknown;
}

/** saxes's S_TEXT state (between tags) and its FORBIDDEN_START (no `]` of a `]]>` pending). */
const S_TEXT = 13;
const FORBIDDEN_START = 0;
/** The most text saxes may hold pending (the blanks between two tags) for a plain element to be read here. */
const MAX_PENDING = 256;
/** An element's own namespace declarations when it has none (saxes gives each element an empty one; never written: a declaration leaves the element to saxes). */
const NO_NAMESPACES = Object.freeze(Object.create(null) as Record<string, string>);

const LESS = 0x3c;
const SLASH = 0x2f;
const GREATER = 0x3e;
const EQUAL = 0x3d;
const QUOTE = 0x22;
const SPACE = 0x20;
const LINE_FEED = 0x0a;

const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isNameChar = (c: number): boolean => isLetter(c) || (c >= 0x30 && c <= 0x39);
/** Printable ASCII but `"`, `&` and `<`: what saxes passes through in a quoted value as it is. */
const isPlainValueChar = (c: number): boolean => c >= SPACE && c <= 0x7e && c !== QUOTE && c !== 0x26 && c !== LESS;
/** Text the reader's text handler passes by (see xml.ts: whitespace is not content). */
const isBlank = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== SPACE && c !== LINE_FEED && c !== 0x09) return false;
  }
  return true;
};

type Handler = (tag: SaxesTagNS) => void;

/**
 * A writer of text to the parser that reads plain elements itself: `write(text, from, to)` gives
 * `text[from, to)` to the handlers as `parser.write(text.slice(from, to))` would. `read` counts the
 * elements read here (for the test that the plain path is taken).
 */
export function plainTagWriter(parser: SaxesParser<{ xmlns: true; position: true }>, plain: PlainAttributes, onOpen: Handler, onClose: Handler): { write: (text: string, from: number, to: number) => void; read: number } {
  const p = parser as unknown as SaxesState;
  const { names, values } = plain;
  /** The tag handed to the handlers (they keep nothing of it). */
  const tag = { name: '', prefix: '', local: '', uri: '', attributes: NO_NAMESPACES, ns: NO_NAMESPACES, isSelfClosing: true } as unknown as SaxesTagNS;
  const out = { write, read: 0 };

  /** Whether saxes stands where a plain element may come: between tags inside the root, nothing pending but a few blanks (a long text pending is left to saxes: searched again at each write, it would make the time quadratic). */
  function ready(): boolean {
    return p.state === S_TEXT && p.tags.length > 0 && p.carriedFromPrevious === undefined && p.forbiddenState === FORBIDDEN_START && p.openTagStartHandler === undefined && p.attributeHandler === undefined && p.text.length <= MAX_PENDING && isBlank(p.text);
  }

  /** A name at text[from, to) as a string: the one in `names[n]` or `tag.name` when it is the same (the usual element repeats the last one's names). */
  const nameAt = (text: string, from: number, to: number, last: string): string => (last.length === to - from && text.startsWith(last, from) ? last : text.slice(from, to));

  /** Reads plain elements from `from`; returns where the first element that is not plain starts (or `to`). */
  function readPlain(text: string, from: number, to: number): number {
    /** text[x] is at saxes position base + x. */
    const base = p.chunkPosition - from;
    let i = from;
    let uri: string | undefined;
    for (;;) {
      let j = i;
      let line = p.line;
      let column = p.column;
      let atNewLine = p.positionAtNewLine;
      for (; j < to; j++) {
        const c = text.charCodeAt(j);
        if (c === SPACE) column++;
        else if (c === LINE_FEED) {
          line++;
          column = 0;
          atNewLine = base + j + 1;
        } else break;
      }
      if (j + 1 >= to || text.charCodeAt(j) !== LESS || !isLetter(text.charCodeAt(j + 1))) break;
      const nameStart = j + 1;
      let k = nameStart + 1;
      while (k < to && isNameChar(text.charCodeAt(k))) k++;
      const nameEnd = k;
      let n = 0;
      let closed = false;
      for (;;) {
        if (k + 1 < to && text.charCodeAt(k) === SLASH && text.charCodeAt(k + 1) === GREATER) {
          closed = true;
          k += 2;
          break;
        }
        if (n === PAIRWISE || k + 1 >= to || text.charCodeAt(k) !== SPACE || !isLetter(text.charCodeAt(k + 1))) break;
        const attrStart = k + 1;
        let e = attrStart + 1;
        while (e < to && isNameChar(text.charCodeAt(e))) e++;
        if (e + 1 >= to || text.charCodeAt(e) !== EQUAL || text.charCodeAt(e + 1) !== QUOTE) break;
        const valueStart = e + 2;
        let v = valueStart;
        while (v < to && isPlainValueChar(text.charCodeAt(v))) v++;
        if (v >= to || text.charCodeAt(v) !== QUOTE) break;
        const name = nameAt(text, attrStart, e, names[n] ?? '');
        if (name === 'xmlns') break;
        let repeated = false;
        for (let m = 0; m < n && !repeated; m++) repeated = names[m] === name;
        if (repeated) break;
        names[n] = name;
        values[n] = text.slice(valueStart, v);
        n++;
        k = v + 1;
      }
      if (!closed) break;
      // the element is plain: saxes's position after its ">", the tag in the default namespace in scope (as sOpenTag, an element of its own with no declarations)
      i = k;
      p.line = line;
      p.column = column + (k - j);
      p.positionAtNewLine = atNewLine;
      p.text = '';
      p.topNS = NO_NAMESPACES;
      uri ??= p.resolve('') ?? '';
      const name = nameAt(text, nameStart, nameEnd, tag.name);
      tag.name = name;
      tag.local = name;
      tag.uri = uri;
      plain.namespaced = false;
      plain.count = n;
      out.read++;
      onOpen(tag);
      onClose(tag);
      // as saxes after a self-closing element: its parent is the current tag again
      p.tag = p.tags[p.tags.length - 1];
    }
    p.chunkPosition = base + i;
    return i;
  }

  function write(text: string, from: number, to: number): void {
    for (let j = from; j < to; ) {
      if (ready()) j = readPlain(text, j, to);
      if (j >= to) break;
      // saxes reads the element that is not plain, up to the next "<" after its own
      const lt = text.indexOf('<', j);
      let k = lt < 0 || lt >= to ? to : text.indexOf('<', lt + 1);
      if (k < 0 || k > to) k = to;
      parser.write(text.slice(j, k));
      j = k;
    }
  }
  return out;
}
