/**
 * Values as bytes, for the rows group.ts holds and spills: a tag byte, then the
 * value. Why bytes and not the row objects or JSON: a held row object is traced
 * by the collector at every collection until the spill (at 100,000 rows a
 * run that was a fifth of month order's time), and JSON text made a row at a
 * time costs more than that (about 0.6 µs a row); a few byte stores a value
 * cost far less, and the bytes are not objects at all.
 *
 * Every JSON value comes back as it went, and more: undefined, null, booleans,
 * every number (int32 as 4 bytes; any other, NaN, ±Infinity and -0 included,
 * as its 8 IEEE bytes), strings of any UTF-16 (lone surrogates included:
 * latin1 bytes when every code unit is below 256, else UTF-16LE code units,
 * never UTF-8, which would turn a lone surrogate into U+FFFD), and plain
 * objects and arrays as JSON text. Anything else is refused (a bug upstream:
 * values are strings and numbers, hooks may add the other JSON values). A
 * string the writer's caller has numbered (group.ts `Recurring`) is its number,
 * read back from the reader's `known` list as that very string.
 */
const UNDEFINED = 0;
const NULL = 1;
const TRUE = 2;
const FALSE = 3;
const INT = 4;
const DOUBLE = 5;
/** A string: its length in code units (varint), then a byte each (LATIN1) or two (UTF16 = LATIN1 + 1). */
export const LATIN1 = 6;
const UTF16 = 7;
/** An object or array as JSON text, written as a string is (JSON_UTF16 = JSON_LATIN1 + 1). */
const JSON_LATIN1 = 8;
const JSON_UTF16 = 9;
/** A string written before, by its number in the grouping's list of recurring values (varint): see group.ts `Recurring`. */
const KNOWN = 10;
type StringTag = typeof LATIN1 | typeof JSON_LATIN1;

/** Strings this long or longer are written by Buffer.write (one native call); shorter ones byte by byte (cheaper than the call). */
const NATIVE_FROM = 48;
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

/** A growable byte buffer written at `pos`. */
export class ByteWriter {
  buf: Buffer;
  pos = 0;
  private readonly f64 = new Float64Array(1);
  private readonly f64Bytes = new Uint8Array(this.f64.buffer);

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
    }
  }

  u8(x: number): void {
    this.ensure(1);
    this.buf[this.pos++] = x;
  }

  u32(x: number): void {
    this.ensure(4);
    const b = this.buf;
    let p = this.pos;
    b[p++] = x & 0xff;
    b[p++] = (x >>> 8) & 0xff;
    b[p++] = (x >>> 16) & 0xff;
    b[p++] = x >>> 24;
    this.pos = p;
  }

  /** A non-negative integer below 2^53, 7 bits a byte. */
  varint(x: number): void {
    this.ensure(8);
    const b = this.buf;
    let p = this.pos;
    if (x <= 0x7fffffff) {
      // the usual case, in int32 operations
      while (x >= 0x80) {
        b[p++] = (x & 0x7f) | 0x80;
        x >>>= 7;
      }
    } else {
      while (x >= 0x80) {
        b[p++] = (x % 0x80) | 0x80;
        x = Math.floor(x / 0x80);
      }
    }
    b[p++] = x;
    this.pos = p;
  }

  /** The recurring value number `n` (ByteReader.known[n] when read back). */
  known(n: number): void {
    this.u8(KNOWN);
    this.varint(n);
  }

  /** Bytes [from, to) of `src`. */
  copy(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    if (n < 64) for (let i = from; i < to; i++) b[p++] = src[i];
    else {
      b.set(src.subarray(from, to), p);
      p += n;
    }
    this.pos = p;
  }

  /** A string as `tag` (latin1) or `tag + 1` (UTF-16LE), then its length in code units, then its bytes. */
  string(s: string, tag: StringTag): void {
    const n = s.length;
    if (n < NATIVE_FROM) {
      this.ensure(9 + 2 * n);
      const b = this.buf;
      const start = this.pos;
      let p = start + 1;
      let x = n;
      while (x >= 0x80) {
        b[p++] = (x & 0x7f) | 0x80;
        x >>>= 7;
      }
      b[p++] = x;
      const body = p;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0xff) {
          // a code unit past latin1: the whole string as UTF-16LE instead
          p = body;
          for (let k = 0; k < n; k++) {
            const u = s.charCodeAt(k);
            b[p++] = u & 0xff;
            b[p++] = u >>> 8;
          }
          b[start] = tag + 1;
          this.pos = p;
          return;
        }
        b[p++] = c;
      }
      b[start] = tag;
      this.pos = p;
      return;
    }
    const wide = BEYOND_LATIN1.test(s);
    this.u8(wide ? tag + 1 : tag);
    this.varint(n);
    this.ensure(wide ? 2 * n : n);
    this.pos += this.buf.write(s, this.pos, wide ? 'utf16le' : 'latin1');
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.string(v, LATIN1);
        return;
      case 'number':
        if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
          this.u8(INT);
          this.u32(v);
        } else {
          this.ensure(9);
          this.buf[this.pos++] = DOUBLE;
          this.f64[0] = v;
          this.buf.set(this.f64Bytes, this.pos);
          this.pos += 8;
        }
        return;
      case 'undefined':
        this.u8(UNDEFINED);
        return;
      case 'boolean':
        this.u8(v ? TRUE : FALSE);
        return;
      case 'object':
        if (v === null) this.u8(NULL);
        else if (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) this.string(JSON.stringify(v), JSON_LATIN1);
        else throw new TypeError(`internal: a row value that is not JSON (${Object.prototype.toString.call(v)})`);
        return;
      default:
        throw new TypeError(`internal: a row value that is not JSON (${typeof v})`);
    }
  }
}

/** Reads what ByteWriter wrote, at `pos`. */
export class ByteReader {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  /** The values ByteWriter.known numbered. */
  known: readonly unknown[] = [];
  private readonly f64 = new Float64Array(1);
  private readonly f64Bytes = new Uint8Array(this.f64.buffer);

  u8(): number {
    return this.buf[this.pos++];
  }

  u32(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
  }

  varint(): number {
    const b = this.buf;
    let p = this.pos;
    let x = 0;
    let scale = 1;
    for (;;) {
      const c = b[p++];
      x += (c & 0x7f) * scale;
      if (c < 0x80) break;
      scale *= 0x80;
    }
    this.pos = p;
    return x;
  }

  private text(wide: boolean): string {
    const n = this.varint();
    const start = this.pos;
    const end = start + (wide ? 2 * n : n);
    this.pos = end;
    return this.buf.toString(wide ? 'utf16le' : 'latin1', start, end);
  }

  value(): unknown {
    const tag = this.buf[this.pos++];
    switch (tag) {
      case LATIN1:
        return this.text(false);
      case INT: {
        const v = this.u32();
        return v | 0;
      }
      case KNOWN:
        return this.known[this.varint()];
      case UNDEFINED:
        return undefined;
      case UTF16:
        return this.text(true);
      case DOUBLE:
        this.f64Bytes.set(this.buf.subarray(this.pos, this.pos + 8));
        this.pos += 8;
        return this.f64[0];
      case NULL:
        return null;
      case TRUE:
        return true;
      case FALSE:
        return false;
      case JSON_LATIN1:
        return JSON.parse(this.text(false));
      case JSON_UTF16:
        return JSON.parse(this.text(true));
      default:
        throw new Error(`internal: spilled row damaged (tag ${tag} at ${this.pos - 1})`);
    }
  }

  /** A string written by ByteWriter.string. */
  string(): string {
    const tag = this.buf[this.pos++];
    return this.text(tag === UTF16 || tag === JSON_UTF16);
  }
}
