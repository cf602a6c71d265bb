import { describe, expect, it } from 'vitest';
import { memoByBytes } from './bytes-memo.ts';

/** A decoder that counts its calls and reads the bytes as latin1. */
function counted(width: number): { decode: (buf: Buffer, start: number) => string; calls: () => number } {
  let n = 0;
  return { decode: (buf, start) => (n++, buf.toString('latin1', start, start + width)), calls: () => n };
}

describe('memoByBytes', () => {
  it('returns what the decoder returns, for repeated, interleaved and colliding bytes', () => {
    const width = 4;
    const d = counted(width);
    const read = memoByBytes(width, 4, d.decode);
    const words = ['aaaa', 'aaaa', 'bbbb', 'aaaa', 'cccc', 'dddd', 'eeee', 'ffff', 'aaaa', 'bbbb', 'xaaa', 'aaax'];
    const buf = Buffer.from(`##${words.join('')}`, 'latin1');
    const got = words.map((_, i) => read(buf, 2 + i * width));
    expect(got).toEqual(words);
  });

  it('decodes each person once in month order when the table holds them all', () => {
    const width = 6;
    const d = counted(width);
    const read = memoByBytes(width, 1 << 10, d.decode);
    const ids = Array.from({ length: 100 }, (_, p) => `P${String(p).padStart(5, '0')}`);
    const buf = Buffer.from(ids.join(''), 'latin1');
    for (let month = 0; month < 12; month++) for (let p = 0; p < ids.length; p++) expect(read(buf, p * width)).toBe(ids[p]);
    // every miss decodes; with 100 values in 1,024 slots most come back from the table
    expect(d.calls()).toBeGreaterThanOrEqual(100);
    expect(d.calls()).toBeLessThan(100 + 11 * 20);
  });

  it('keeps its memory bounded: more values than slots still decode right', () => {
    const width = 5;
    const d = counted(width);
    const read = memoByBytes(width, 8, d.decode);
    const ids = Array.from({ length: 1000 }, (_, p) => String(p).padStart(width, '0'));
    const buf = Buffer.from(ids.join(''), 'latin1');
    for (let r = 0; r < 3; r++) for (let p = 0; p < ids.length; p++) expect(read(buf, p * width)).toBe(ids[p]);
    expect(d.calls()).toBeGreaterThan(2000);
  });

  it('refuses a table size that is not a power of two', () => {
    expect(() => memoByBytes(4, 6, () => '')).toThrow(/power of two/);
  });
});
