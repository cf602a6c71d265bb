/**
 * The plain-element reader (xml-plain-tags.ts) against saxes reading every
 * element: the gd-xml reader run both ways over the samples, the fuzz suite's
 * mutations of them, and edits of single Period elements at the edges of what
 * is plain (spacing, quoting, references, prefixes, declarations, repeated
 * names, characters saxes normalizes or refuses), each read whole and in 256
 * character slices (an element cut between two writes). Records and issues
 * (codes, positions, messages) must be the same, positions included.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode, getAdapter } from '../index.ts';
import { rng, textMutations } from '../fuzz/mutations.ts';
import { SAMPLES_DIR } from '../testing/expected.ts';
import { PLAIN_TAGS } from './xml.ts';

const SAMPLES = ['gd-xml-440300.xml', 'gd-xml-441900.xml'].map((f) => readFileSync(new URL(f, SAMPLES_DIR)));
const mapping = getAdapter('gd-xml').mapping;
const NS = mapping.framing.kind === 'xml' ? mapping.framing.namespace : '';

async function outcome(bytes: Buffer, plain: boolean, recordLength?: number): Promise<unknown> {
  PLAIN_TAGS.on = plain;
  try {
    const d = decode('gd-xml', bytes, { fileName: 'variant.xml', ...(recordLength ? { limits: { recordLength } } : {}) });
    const records = [];
    for await (const r of d) records.push(r);
    return { records, issues: d.report.issues };
  } finally {
    PLAIN_TAGS.on = true;
  }
}

/** Edits of one Period element (given as text, with its line's indentation) at the edges of what the plain reader takes. */
const EDITS: [string, (period: string) => string][] = [
  ['two spaces between attributes', (e) => e.replace('" to=', '"  to=')],
  ['a tab between attributes', (e) => e.replace('" to=', '"\tto=')],
  ['a line feed inside the tag', (e) => e.replace('" to=', '"\n        to=')],
  ['a carriage return inside the tag', (e) => e.replace('" to=', '"\r\nto=')],
  ['spaces around "="', (e) => e.replace('to="', 'to = "')],
  ['single quotes', (e) => e.replace(/to="([^"]*)"/, "to='$1'")],
  ['a space before "/>"', (e) => e.replace('"/>', '" />')],
  ['not self-closing', (e) => e.replace('/>', '></Period>')],
  ['an entity in a value', (e) => e.replace('status="', 'status="&amp;')],
  ['a character reference in a value', (e) => e.replace('status="', 'status="&#110;')],
  ['a "<" in a value', (e) => e.replace('status="', 'status="<')],
  ['a tab in a value', (e) => e.replace('status="', 'status="\t')],
  ['a ">" in a value', (e) => e.replace('status="', 'status=">')],
  ['a non-ASCII value', (e) => e.replace('status="normal"', 'status="正常"')],
  ['an astral character in a value', (e) => e.replace('status="', 'status="𠮷')],
  ['a repeated attribute', (e) => e.replace('/>', ' from="2099-01"/>')],
  ['an unknown attribute', (e) => e.replace('/>', ' note="x"/>')],
  ['a default namespace declared', (e) => e.replace('/>', ' xmlns="urn:other"/>')],
  ['the namespace redeclared as it is', (e) => e.replace('/>', ` xmlns="${NS}"/>`)],
  ['a prefixed attribute', (e) => e.replace('/>', ' x:note="1"/>')],
  ['a prefixed element', (e) => e.replace('<Period', '<g:Period')],
  ['an attribute name with a hyphen', (e) => e.replace('/>', ' a-b="1"/>')],
  ['an attribute without a value', (e) => e.replace('/>', ' flag/>')],
  ['an unquoted value', (e) => e.replace(/to="([^"]*)"/, 'to=$1')],
  ['an unclosed value', (e) => e.replace(/"\/>$/, '/>')],
  ['thirteen attributes', (e) => e.replace('/>', `${Array.from({ length: 6 }, (_, i) => ` a${i}="${i}"`).join('')}/>`)],
  ['no attributes', () => '<Period/>'],
  ['text before it', (e) => `x${e}`],
  ['many blanks before it', (e) => `${' \n'.repeat(400)}${e}`],
  ['a comment before it', (e) => `<!-- c -->${e}`],
  ['two on one line', (e) => `${e}${e.trim()}`],
  ['an element inside the Period', (e) => e.replace('/>', '><X/></Period>')],
  ['a misplaced element of its shape', (e) => e.replace('<Period', '<Person')],
  ['a NUL in a value', (e) => e.replace('status="', 'status="\u0000')],
  ['U+FFFE in a value', (e) => e.replace('status="', 'status="\uFFFE')],
];

/** Edits of a whole Scheme element: the namespace its plain Periods are in (a prefixed Scheme in the format's namespace, the default one changed below it). */
const SCHEME_EDITS: [string, (scheme: string) => string][] = [
  ['a Scheme in another default namespace', (e) => e.replace('<Scheme ', '<Scheme xmlns="urn:other" ')],
  ['a Scheme undeclaring the default namespace', (e) => e.replace('<Scheme ', '<Scheme xmlns="" ')],
  ['a prefixed Scheme, its Periods in another namespace', (e) => e.replace('<Scheme ', `<g:Scheme xmlns:g="${NS}" xmlns="urn:other" `).replace('</Scheme>', '</g:Scheme>')],
  ['a prefixed Scheme, its Periods in no namespace', (e) => e.replace('<Scheme ', `<g:Scheme xmlns:g="${NS}" xmlns="" `).replace('</Scheme>', '</g:Scheme>')],
  ['a prefixed Scheme, its Periods in the format\'s namespace', (e) => e.replace('<Scheme ', `<g:Scheme xmlns:g="${NS}" `).replace('</Scheme>', '</g:Scheme>')],
];

/** The sample with `edit` applied to its `n`th element of `pattern` (counted from 0, wrapping). */
function edited(sample: Buffer, edit: (element: string) => string, n: number, pattern = /<Period [^\n]*\/>/g): Buffer {
  const text = sample.toString('utf8');
  const found = [...text.matchAll(pattern)];
  const { index: at, 0: element } = found[n % found.length];
  return Buffer.from(text.slice(0, at) + edit(element) + text.slice(at + element.length), 'utf8');
}

describe('plain elements read without saxes', () => {
  it('read the samples as saxes does, and are the path the samples take', async () => {
    for (const sample of SAMPLES) {
      const before = PLAIN_TAGS.read;
      const fast = await outcome(sample, true);
      expect(PLAIN_TAGS.read - before).toBeGreaterThan(20);
      expect(fast).toEqual(await outcome(sample, false));
      // the comparison can fail: another file gives other records
      expect(fast).not.toEqual(await outcome(edited(sample, (e) => e.replace(/base="(\d)/, 'base="9'), 0), false));
    }
  });

  it.each(EDITS)('%s: the same records and issues as saxes', async (_name, edit) => {
    const r = rng(EDITS.findIndex(([name]) => name === _name) + 1);
    for (const sample of SAMPLES) {
      for (let k = 0; k < 3; k++) {
        const bytes = edited(sample, edit, Math.floor(r() * 1000));
        for (const slices of [undefined, 512]) expect(await outcome(bytes, true, slices)).toEqual(await outcome(bytes, false, slices));
      }
    }
  });

  it.each(SCHEME_EDITS)('%s: the same records and issues as saxes', async (_name, edit) => {
    for (const sample of SAMPLES) {
      for (const n of [0, 1]) {
        const bytes = edited(sample, edit, n, /<Scheme [^>]*>[\s\S]*?<\/Scheme>/g);
        for (const slices of [undefined, 512]) expect(await outcome(bytes, true, slices)).toEqual(await outcome(bytes, false, slices));
      }
    }
  });

  it('a Period declaring a namespace, then plain ones: in the namespace of their Scheme again', async () => {
    for (const sample of SAMPLES) {
      const bytes = edited(sample, (e) => e.replace('/>', ' xmlns="urn:other"/>'), 0);
      expect(await outcome(bytes, true)).toEqual(await outcome(bytes, false));
    }
  });

  it("the fuzz suite's mutations of the samples: the same records and issues as saxes", async () => {
    let n = 0;
    for (const [i, sample] of SAMPLES.entries()) {
      for (const v of textMutations(sample, mapping, 40, 1100 + i)) {
        for (const slices of [undefined, 512]) expect(await outcome(v.bytes, true, slices), v.kind).toEqual(await outcome(v.bytes, false, slices));
        n++;
      }
    }
    expect(n).toBeGreaterThan(60);
  });
});
