/** The chosen file in memfs: streamed into one Buffer of its size, which memfs then holds as it is. */
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { placeBuffer, streamIntoBuffer } from './input-files.ts';

describe('streamIntoBuffer', () => {
  it('takes a Blob chunk by chunk into a Buffer of exactly its size', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => new Uint8Array(100_000).fill(i));
    const blob = new Blob(parts);
    const seen: number[] = [];
    const buf = await streamIntoBuffer(blob, (n) => seen.push(n));
    expect(buf.length).toBe(4_000_000);
    expect(buf.buffer.byteLength).toBe(4_000_000);
    for (let i = 0; i < 40; i++) expect(buf[i * 100_000 + 99_999]).toBe(i);
    expect(seen.length).toBeGreaterThan(1); // more than one chunk: streamed, not read whole
    expect(seen[seen.length - 1]).toBe(4_000_000);
  });
});

describe('placeBuffer', () => {
  it('makes the Buffer the file in memfs without a copy, and the file reads back whole', () => {
    const vol = Volume.fromJSON({ '/input/1/.keep': '' });
    const buf = Buffer.from('a,b\n1,2\n');
    expect(placeBuffer('/input/1/f.csv', buf, vol as never)).toBe(true);
    expect(vol.readFileSync('/input/1/f.csv', 'utf8')).toBe('a,b\n1,2\n');
    expect(vol.statSync('/input/1/f.csv').size).toBe(buf.length);
    buf[0] = 0x7a; // the same memory: memfs did not copy it
    expect(vol.readFileSync('/input/1/f.csv', 'utf8')).toBe('z,b\n1,2\n');
  });
});
