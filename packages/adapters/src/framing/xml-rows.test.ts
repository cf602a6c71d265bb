/**
 * The row builder (xml-rows.ts) gives the object the key-by-key loop gives:
 * the same keys, in the same order, with the same values; and declines
 * (undefined) wherever it cannot know that in advance.
 */
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../mapping.ts';
import type { RowValues } from '../rows.ts';
import { RowBuilders, rowBuilder } from './xml-rows.ts';

type Value = RowValues[keyof RowValues];
/** What the reader did before the builder: the inherited values the row lacks, added key by key. */
function loop(own: RowValues, keys: string[], values: Value[]): RowValues {
  const v = { ...own };
  for (let i = 0; i < keys.length; i++) if (!(keys[i] in v)) v[keys[i]] = values[i];
  return v;
}
/** What decodeFields holds for a row before its object: each field's value by index (FIELDS' order). */
const decodedOf = (own: RowValues): Value[] => FIELDS.map((f) => (f.as ? own[f.as] : undefined));
/** Keys and values in order (toEqual alone ignores the order). */
const entries = (v: RowValues | undefined) => (v ? Object.entries(v) : v);

const field = (name: string, as?: string, type: FieldSpec['type'] = 'text'): FieldSpec => ({ name, as, type }) as FieldSpec;
const FIELDS = [field('from', 'monthFrom', 'month'), field('note'), field('base', 'baseFen', 'yuan'), field('employerId', 'employerId')];
const KEYS = ['region', 'exportedAt', 'person.id', 'person.name', 'scheme'];
const VALUES: Value[] = ['440300', '2026-03-01T10:00:00+08:00', '41152519680302863X', '郝萍', '110'];

describe('xml row builder', () => {
  it('a complete row: the loop’s keys, order and values', () => {
    const own = { monthFrom: '2015-08', baseFen: 612345, employerId: '914403003MMPU13U61' } as RowValues;
    const built = rowBuilder(FIELDS, KEYS)!(decodedOf(own), VALUES);
    expect(entries(built)).toEqual(entries(loop(own, KEYS, VALUES)));
    expect(Object.keys(built!)).toEqual(['monthFrom', 'baseFen', 'employerId', ...KEYS]);
  });

  it('an inherited value that is undefined is still a key, as in the loop', () => {
    const own = { monthFrom: '2015-08', baseFen: 1, employerId: 'x' } as RowValues;
    const values = [...VALUES.slice(0, 3), undefined, '110'] as Value[];
    expect(entries(rowBuilder(FIELDS, KEYS)!(decodedOf(own), values))).toEqual(entries(loop(own, KEYS, values)));
  });

  it('a row lacking one of its targets is left to the loop', () => {
    expect(rowBuilder(FIELDS, KEYS)!(decodedOf({ monthFrom: '2015-08', employerId: 'x' } as RowValues), VALUES)).toBeUndefined();
  });

  it('declines where the loop decides key by key', () => {
    expect(rowBuilder([...FIELDS, { name: 'h', type: 'hook', hook: 'x' } as FieldSpec], KEYS)).toBeUndefined(); // a hook: any keys
    expect(rowBuilder([...FIELDS, field('region', 'region')], KEYS)).toBeUndefined(); // the row's own value wins
    expect(rowBuilder([...FIELDS, field('again', 'baseFen')], KEYS)).toBeUndefined(); // two fields, one target
    expect(rowBuilder(FIELDS, [...KEYS, 'toString'])).toBeUndefined(); // every object has it: the loop never adds it
    expect(rowBuilder(FIELDS, [...KEYS, '__proto__'])).toBeUndefined();
    expect(rowBuilder([...FIELDS, field('c', 'constructor')], KEYS)).toBeUndefined();
  });

  it('builders are kept by field list and inherited keys, and bounded', () => {
    const b = new RowBuilders();
    const first = b.get(FIELDS, KEYS);
    expect(b.get(FIELDS, [...KEYS])).toBe(first);
    expect(b.get(FIELDS, KEYS.slice(1))).not.toBe(first);
    for (let i = 0; i < 100; i++) b.get(FIELDS, [...KEYS, `k${i}`]);
    expect(b.get(FIELDS, [...KEYS, 'k99'])).toBeUndefined(); // past the bound: the loop
  });
});
