import { describe, expect, it } from 'vitest';
import { ownCopy } from './own-copy.ts';

describe('ownCopy', () => {
  it('gives the same characters, a lone surrogate and a rare character (a surrogate pair) included', () => {
    for (const s of ['', '110105194912310025', '张伟', '𠀀李', 'a\uD800b', '\uDC00', 'x\u0000y', '"\\\n']) expect(ownCopy(s)).toBe(s);
  });
});
