/**
 * The compiled validators' `minProperties: 1` checks (rewritten by scripts/generators/validators.ts
 * cheaperMinPropertiesChecks to hasNoOwnKeys) answer as Object.keys(data).length < 1: for JSON
 * objects of any keys, and for objects JSON never makes (inherited, non-enumerable and symbol
 * keys, integer keys, no prototype).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cheaperMinPropertiesChecks } from '../scripts/generators/validators.ts';
import { hasNoOwnKeys } from './no-own-keys.ts';

describe('minProperties 1 without the list of keys', () => {
  it('rewrites each `< 1` count of keys, and only those', () => {
    expect(cheaperMinPropertiesChecks('if(Object.keys(data6).length < 1){}\nif(Object.keys(data2).length < 3){}')).toBe('if(hasNoOwnKeys(data6)){}\nif(Object.keys(data2).length < 3){}');
  });

  it('answers as Object.keys for JSON objects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }), (o) => {
        expect(hasNoOwnKeys(o)).toBe(Object.keys(o).length < 1);
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });

  it('answers as Object.keys for inherited, hidden, symbol and integer keys', () => {
    const inherited = Object.create({ a: 1 }) as object;
    const hidden = Object.defineProperty({}, 'a', { value: 1, enumerable: false });
    const cases: object[] = [{}, Object.create(null), inherited, hidden, { [Symbol('s')]: 1 }, { 0: 'x' }, Object.assign(Object.create({ a: 1 }), { b: 2 }), Object.assign(Object.create(null), { a: 1 })];
    for (const o of cases) expect(hasNoOwnKeys(o)).toBe(Object.keys(o).length < 1);
  });
});
