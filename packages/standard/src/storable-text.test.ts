/**
 * unstorableStrings: the quick scan that lets storable documents through
 * without building pointers must find exactly what the full walk finds.
 */
import { describe, expect, it } from 'vitest';
import { unstorableStrings } from './storable-text.ts';

describe('unstorableStrings', () => {
  it('finds nothing in a document of storable text, astral characters (surrogate pairs) included', () => {
    expect(unstorableStrings({ person: { name: '郝𠮷萍', id: '440324196001010005' }, contributions: [{ at: { path: '/a/b[1]' } }], n: 1, ok: true, none: null })).toEqual([]);
  });
  it('finds a NUL, a lone high and a lone low surrogate in values, at their pointers and indexes', () => {
    const doc = { a: 'x\u0000y', b: [{ c: 'ok', 'd/e': 'z\uD842' }], f: '\uDFB7' };
    expect(unstorableStrings(doc)).toEqual([
      { pointer: '/a', in: 'value', index: 1, character: 'U+0000' },
      { pointer: '/b/0/d~1e', in: 'value', index: 1, character: 'U+D842' },
      { pointer: '/f', in: 'value', index: 0, character: 'U+DFB7' },
    ]);
  });
  it('finds a property name that breaks the rule, before its value', () => {
    expect(unstorableStrings({ outer: { 'k\u0000': 'v\u0000' } })).toEqual([
      { pointer: '/outer/k\u0000', in: 'name', index: 1, character: 'U+0000' },
      { pointer: '/outer/k\u0000', in: 'value', index: 1, character: 'U+0000' },
    ]);
  });
  it('walks deep nesting without growing the call stack', () => {
    let doc: unknown = 'bad\u0000';
    for (let i = 0; i < 100_000; i++) doc = [doc];
    expect(unstorableStrings(doc)).toHaveLength(1);
  });
});
