/**
 * saxes's namespace processing without its per-element cost, for elements
 * that need none of it.
 *
 * In xmlns mode saxes builds, for every attribute, a `{name, prefix, local,
 * value}` object and a qname object, and for every element a `Set` of
 * expanded names and a dictionary-mode `attributes` object (a third of the
 * gd-xml reader's self time at 1M rows). An element whose name and attribute
 * names hold no colon and that declares no namespace (`xmlns`) needs none of
 * it: its name is its local name, its namespace the default one in scope,
 * every attribute is in no namespace, and a repeated attribute is one with the
 * same name. Such an element's attributes are collected here into two arrays
 * (names, values) instead; the first attribute that has a colon or is an
 * `xmlns` declaration, or an element name with a colon, hands that element
 * over to saxes's own processing (`pushAttribNS` / `processAttribsNS`,
 * called as saxes calls them), so namespace declarations, prefixes and their
 * errors are saxes's own, at saxes's own positions, with saxes's own
 * messages.
 *
 * saxes 6.0.0 (pinned) calls `this.pushAttrib(name, value)` at the end of
 * each attribute value and `this.processAttribs()` once the open tag is
 * complete, just before the `opentag` handler; both are instance properties
 * set by its constructor (private in its types), overwritten here.
 */
import type { SaxesParser, SaxesTagNS } from 'saxes';

/** The attributes of the element just opened, for the `opentag` handler. */
export interface PlainAttributes {
  /** True when the element went through saxes's own namespace processing: read `tag.attributes`, not the arrays. */
  namespaced: boolean;
  /** How many attributes the arrays hold for this element (only when not `namespaced`). */
  count: number;
  names: string[];
  values: string[];
}

/** Up to this many attributes, repeated names are looked for pairwise. */
export const PAIRWISE = 12;

interface NsAttr { name: string; prefix: string; local: string; value: string; uri?: string }

/** saxes's private members used here (saxes 6.0.0). */
interface SaxesInternals {
  tag: SaxesTagNS;
  attribList: NsAttr[];
  pushAttrib: (name: string, value: string) => void;
  processAttribs: () => void;
  pushAttribNS: (name: string, value: string) => void;
  processAttribsNS: () => void;
  resolve: (prefix: string) => string | undefined;
  fail: (message: string) => void;
}

/** Installs the collector on a namespace-aware saxes parser; the returned object is refilled for each element. */
export function collectPlainAttributes(parser: SaxesParser<{ xmlns: true; position: true }>): PlainAttributes {
  const p = parser as unknown as SaxesInternals;
  const pushNS = p.pushAttribNS;
  const processNS = p.processAttribsNS;
  const out: PlainAttributes = { namespaced: false, count: 0, names: [], values: [] };
  const { names, values } = out;
  /** Attributes collected for the element being read. */
  let n = 0;
  /** Whether the element being read has been handed over to saxes (its attributes in `attribList`). */
  let handedOver = false;

  /** Moves what was collected into saxes's list, as saxes's own pushAttribNS would have built it (a name without a colon: no prefix). */
  const handOver = (): void => {
    for (let i = 0; i < n; i++) p.attribList.push({ name: names[i], prefix: '', local: names[i], value: values[i] });
    n = 0;
    handedOver = true;
  };

  p.pushAttrib = function pushAttrib(this: SaxesInternals, name: string, value: string): void {
    if (!handedOver) {
      if (name.indexOf(':') < 0 && name !== 'xmlns') {
        names[n] = name;
        values[n] = value;
        n++;
        return;
      }
      handOver();
    }
    pushNS.call(this, name, value);
  };

  p.processAttribs = function processAttribs(this: SaxesInternals): void {
    const tag = this.tag;
    if (!handedOver && tag.name.indexOf(':') >= 0) handOver();
    if (handedOver) {
      processNS.call(this);
      handedOver = false;
      out.namespaced = true;
      out.count = 0;
      return;
    }
    // what processAttribsNS does for such an element
    tag.prefix = '';
    tag.local = tag.name;
    tag.uri = this.resolve('') ?? '';
    // a repeated name, reported for each repetition in order as saxes does (pairwise for the usual few, a set beyond: time stays linear)
    if (n <= PAIRWISE) {
      for (let i = 1; i < n; i++) {
        const name = names[i];
        for (let j = 0; j < i; j++) {
          if (names[j] === name) {
            this.fail(`duplicate attribute: ${name}.`);
            break;
          }
        }
      }
    } else {
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        if (seen.has(names[i])) this.fail(`duplicate attribute: ${names[i]}.`);
        seen.add(names[i]);
      }
    }
    out.namespaced = false;
    out.count = n;
    n = 0;
  };
  return out;
}
