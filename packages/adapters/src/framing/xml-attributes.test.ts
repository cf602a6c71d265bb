/**
 * The attribute collector (xml-attributes.ts) against saxes's own namespace
 * processing: for every document, the same elements with the same names,
 * prefixes, local names and namespaces, the same attributes in the same order
 * (with their namespaces), and the same errors with the same messages at the
 * same positions. The documents cover what the collector passes by (plain
 * names) and what it hands to saxes (declarations, prefixes), and the errors
 * of both.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { describe, expect, it } from 'vitest';
import { fastParser } from './xml.ts';
import { collectPlainAttributes } from './xml-attributes.ts';

interface Seen { events: string[] }

function trace(doc: string, collected: boolean, slice = 7): Seen {
  const parser = collected ? fastParser() : new SaxesParser({ xmlns: true, position: true });
  const plain = collected ? collectPlainAttributes(parser) : undefined;
  const events: string[] = [];
  parser.on('error', (e) => events.push(`error ${e.message} @${parser.line}:${parser.column}`));
  parser.on('opentag', (t) => {
    const tag = t as SaxesTagNS;
    const attrs =
      plain && !plain.namespaced
        ? plain.names.slice(0, plain.count).map((name, i) => ({ name, prefix: '', local: name, uri: '', value: plain.values[i] }))
        : Object.values(tag.attributes).map((a) => ({ name: a.name, prefix: a.prefix, local: a.local, uri: a.uri, value: a.value }));
    // a repeated attribute is an error either way; saxes keeps the last of them under the one name
    const byName = new Map(attrs.map((a) => [a.name, a]));
    events.push(`open ${JSON.stringify({ name: tag.name, prefix: tag.prefix, local: tag.local, uri: tag.uri, attrs: [...byName.values()] })} @${parser.line}:${parser.column}`);
  });
  parser.on('closetag', (t) => events.push(`close ${t.name}`));
  // fed in small slices: attributes and tags cut across writes
  for (let i = 0; i < doc.length; i += slice) parser.write(doc.slice(i, i + slice));
  parser.close();
  return { events };
}

const NS = 'urn:gd:si:export:2.1';
const DOCS: [string, string][] = [
  ['plain elements under a default namespace', `<R xmlns="${NS}" a="1"><P b="2" c="3"><S/></P></R>`],
  ['no namespace at all', `<R a="1"><P b="2"/></R>`],
  ['a default namespace redeclared below', `<R xmlns="${NS}"><P xmlns="urn:other" b="2"><S c="1"/></P><P b="3"/></R>`],
  ['a default namespace undeclared below', `<R xmlns="${NS}"><P xmlns=""><S/></P></R>`],
  ['a prefix bound to the namespace', `<g:R xmlns:g="${NS}"><g:P g:b="2" c="3"/></g:R>`],
  ['a prefix redeclared below', `<g:R xmlns:g="${NS}"><g:P xmlns:g="urn:other" b="1"><g:S/></g:P><g:P/></g:R>`],
  ['an unbound element prefix', `<R xmlns="${NS}"><x:P b="1"/></R>`],
  ['an unbound attribute prefix', `<R xmlns="${NS}"><P x:b="1" c="2"/></R>`],
  ['a declaration after the attributes', `<R a="1" b="2" xmlns="${NS}"><P c="1" xmlns:x="urn:x" x:d="2"/></R>`],
  ['the same attribute twice', `<R xmlns="${NS}"><P b="1" c="2" b="3"/></R>`],
  ['the same attribute three times', `<R><P b="1" b="2" b="3"/></R>`],
  ['one attribute under two prefixes of one namespace', `<R xmlns:a="urn:x" xmlns:b="urn:x"><P a:c="1" b:c="2"/></R>`],
  ['many attributes, one repeated', `<R><P ${Array.from({ length: 40 }, (_, i) => `x${i}="${i}"`).join(' ')} x7="again"/></R>`],
  ['the xmlns prefix on an element', `<xmlns:R/>`],
  ['an xmlns prefix declared', `<R xmlns:xmlns="urn:x"/>`],
  ['the xml prefix bound elsewhere', `<R xmlns:xml="urn:x"/>`],
  ['the xml prefix used', `<R xml:lang="zh"><P xml:space="preserve"/></R>`],
  ['a prefix undeclared in XML 1.0', `<?xml version="1.0"?><R xmlns:a="urn:x"><P xmlns:a=""/></R>`],
  ['a malformed prefixed name', `<R><P a:="1" :b="2" c:d:e="3"/></R>`],
  ['a malformed element name', `<R><a:b:c/></R>`],
  ['an attribute without a value', `<R><P b c="1"/></R>`],
  ['unclosed and mismatched tags', `<R xmlns="${NS}"><P b="1"><S></P>`],
  ['attributes on a closing root', `<R a="1"/><R b="2"/>`],
];

describe('xml attribute collector', () => {
  it.each(DOCS)('%s: as saxes itself', (_name, doc) => {
    for (const slice of [1, 7, 1 << 14]) expect(trace(doc, true, slice)).toEqual(trace(doc, false, slice));
  });

  it('(the comparison can fail: the collector does report what it collects)', () => {
    const seen = trace(`<R xmlns="${NS}"><P b="1" c="2"/></R>`, true);
    expect(seen.events[1]).toContain('"attrs":[{"name":"b","prefix":"","local":"b","uri":"","value":"1"},{"name":"c"');
    expect(trace(`<R><P b="1"/></R>`, true)).not.toEqual(trace(`<R><P b="2"/></R>`, false));
  });
});
