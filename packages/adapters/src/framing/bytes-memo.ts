/**
 * A decoder memoised by the bytes it reads, in a direct-mapped table of
 * `slots` entries keyed by a hash of the bytes: a value read again after many
 * others (a person's name in a file sorted by month comes back once every
 * person has passed) is decoded once while it stays in its slot. Bounded:
 * `slots` × `width` bytes and `slots` values, whatever the file's size. The
 * decoder must depend on the bytes alone, so a hit returns what it would.
 * A lookup touches memory at random (about as costly as decoding ASCII), so
 * it pays for decodings that cost more, such as GB18030 text.
 *
 * Spans are `width` bytes (fixed-width fields) unless a `length` is given
 * (a delimited field): a span of another length is keyed by its length too,
 * and one longer than `width` is decoded each time, not remembered.
 */
export function memoByBytes<T>(width: number, slots: number, decode: (buf: Buffer, start: number, length: number) => T): (buf: Buffer, start: number, length?: number) => T {
  const mask = slots - 1;
  if (slots <= 0 || (slots & mask) !== 0) throw new Error(`slots must be a power of two, not ${slots}`);
  if (width > 0xfffe) throw new Error(`width must be at most 65,534 bytes, not ${width}`);
  let keys: Buffer | undefined; // allocated on the first lookup
  let values: (T | undefined)[] = [];
  /** Each slot's key length + 1 (0: empty). */
  let lengths: Uint16Array = new Uint16Array(0);
  return (buf, start, length = width) => {
    if (length > width) return decode(buf, start, length);
    let h = 0x811c9dc5 ^ length;
    for (let i = start; i < start + length; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const slot = (h ^ (h >>> 15)) & mask;
    if (keys === undefined) {
      keys = Buffer.alloc(slots * width);
      values = new Array<T | undefined>(slots).fill(undefined);
      lengths = new Uint16Array(slots);
    }
    const at = slot * width;
    if (lengths[slot] === length + 1) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (buf[start + i] !== keys[at + i]) {
          same = false;
          break;
        }
      }
      if (same) return values[slot] as T;
    }
    const value = decode(buf, start, length);
    for (let i = 0; i < length; i++) keys[at + i] = buf[start + i];
    values[slot] = value;
    lengths[slot] = length + 1;
    return value;
  };
}
