/**
 * The compiled validators' pattern checks remember the last value each pattern accepted
 * (pattern-memo.ts, wired in by scripts/generators/validators.ts rememberPassingPatterns): the
 * same answers as the pattern's own test, over sequences where values repeat, pass and fail in
 * any order. Whole documents are compared with ajv compiled at run time by the conformance
 * suite's test and the adapters' gate-equivalence test (referenceValidateDocument).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rememberPassingPatterns } from '../scripts/generators/validators.ts';
import { lastPassing } from './pattern-memo.ts';

describe('remembered pattern checks', () => {
  it('rewrites each compiled pattern test to its remembering tester, and only those', () => {
    const code = 'const pattern3 = new RegExp("^[0-9]{2}$", "u");\nif(!pattern3.test(data7)){}\nif(other.test(data1)){}';
    expect(rememberPassingPatterns(code)).toBe('const pattern3 = new RegExp("^[0-9]{2}$", "u");\nconst pattern3Passes = lastPassing(pattern3);\nif(!pattern3Passes(data7)){}\nif(other.test(data1)){}');
  });

  it('answers as the regex does, values repeated or not, passing or failing', () => {
    const patterns = ['^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$', '^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$', '^[^\\u0000\\uD800-\\uDFFF]*$'];
    const value = fc.oneof(fc.constantFrom('91360100MA35XXXX0A', '2010-01', '2010-13', '', '\u0000', '\uD842', '𠮷'), fc.string({ unit: 'binary', maxLength: 20 }));
    fc.assert(
      fc.property(fc.constantFrom(...patterns), fc.array(value, { maxLength: 30 }), (source, values) => {
        const remembered = lastPassing(new RegExp(source, 'u'));
        const plain = new RegExp(source, 'u');
        for (const v of [...values, ...values]) expect(remembered(v)).toBe(plain.test(v));
      }),
      { seed: 20261203, numRuns: 500 },
    );
  });

  it('refuses a pattern that keeps state between tests', () => {
    expect(() => lastPassing(/a/g)).toThrow();
    expect(() => lastPassing(/a/y)).toThrow();
  });
});
