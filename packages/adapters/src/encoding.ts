/** Text encodings of legacy files: decoding, and recognising a file given in the wrong one. */
import iconv from 'iconv-lite';
import type { Mapping } from './mapping.ts';

/**
 * One pass over `buf` as UTF-8: where the first invalid sequence starts (none
 * when valid; an incomplete tail, cut by sampling, is ignored) and how many
 * 2-byte (narrow: Latin, Greek…) and 3/4-byte (wide: CJK…) characters it holds.
 */
function scanUtf8(buf: Uint8Array): { invalidAt?: number; wide: number; narrow: number } {
  let wide = 0;
  let narrow = 0;
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
    if (len === 0) return { invalidAt: i, wide, narrow };
    if (i + len > n) break;
    for (let k = 1; k < len; k++) if ((buf[i + k] & 0xc0) !== 0x80) return { invalidAt: i, wide, narrow };
    if (len === 2) narrow++;
    else wide++;
    i += len;
  }
  return { wide, narrow };
}

/**
 * True when `buf` reads as UTF-8 Chinese text: valid UTF-8 whose multi-byte
 * characters are mostly 3- and 4-byte ones (CJK). GBK/GB18030 text is rarely
 * valid UTF-8, and when a short piece happens to be (钱 = C7 AE), it reads as
 * 2-byte Latin or Greek letters, not as CJK.
 */
export function looksLikeUtf8(buf: Uint8Array): boolean {
  const { invalidAt, wide, narrow } = scanUtf8(buf);
  return invalidAt === undefined && wide > 0 && wide >= narrow;
}

/** Where `buf` stops being valid UTF-8, or undefined when it is valid (an incomplete tail is ignored). */
export function invalidUtf8At(buf: Uint8Array): number | undefined {
  return scanUtf8(buf).invalidAt;
}

export const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The reason a sample of the file is not in the format's encoding, or undefined when it may be. */
export function wrongEncoding(sample: Uint8Array, mapping: Mapping): { en: string; zh: string; byteOffset?: number } | undefined {
  if (mapping.encoding === 'utf-8') {
    const at = invalidUtf8At(sample);
    if (at !== undefined) {
      return {
        en: `the file is not UTF-8 as ${mapping.name} requires (invalid byte sequence at byte ${at}); it looks like a GB18030/GBK file`,
        zh: `文件不是 ${mapping.name} 要求的 UTF-8 编码（第 ${at} 字节起为非法字节序列），疑为 GB18030/GBK 文件`,
        byteOffset: at,
      };
    }
    return undefined;
  }
  const label = mapping.encoding === 'gb18030' ? 'GB18030' : 'GBK (code page 936)';
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { en: `the file starts with a UTF-8 byte order mark: it is UTF-8, not ${label} as ${mapping.name} requires`, zh: `文件以 UTF-8 BOM 开头：是 UTF-8 编码，而非 ${mapping.name} 要求的 ${label}`, byteOffset: 0 };
  }
  if (looksLikeUtf8(sample)) {
    return { en: `the file is UTF-8, not ${label} as ${mapping.name} requires`, zh: `文件是 UTF-8 编码，而非 ${mapping.name} 要求的 ${label}` };
  }
  return undefined;
}

/** Decodes legacy bytes; U+FFFD in the result marks bytes invalid in the encoding. */
export function decodeText(bytes: Uint8Array, mapping: Mapping): string {
  if (mapping.encoding === 'utf-8') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), mapping.encoding);
}

export function encodeText(text: string, mapping: Mapping): Buffer {
  if (mapping.encoding === 'utf-8') return Buffer.from(text, 'utf8');
  return iconv.encode(text, mapping.encoding);
}

/** The text as the encoding (and the mapping's private-character table) can hold it: each character neither holds becomes `?` (what code page 936 systems write). */
export function representable(text: string, mapping: Mapping): string {
  if (mapping.characters) return [...text].map((ch) => (holds(ch, mapping) ? ch : '?')).join('');
  if (mapping.encoding === 'utf-8' || mapping.encoding === 'gb18030') return text;
  return iconv.decode(iconv.encode(text, mapping.encoding), mapping.encoding);
}

/** GBK's user-defined areas (造字 live here): AAA1–AFFE, F8A1–FEFE, A140–A7A0. */
export function isUserDefinedGbk(lead: number, trail: number): boolean {
  return ((lead >= 0xaa && lead <= 0xaf) || (lead >= 0xf8 && lead <= 0xfe)) ? trail >= 0xa1 && trail <= 0xfe : lead >= 0xa1 && lead <= 0xa7 && trail >= 0x40 && trail <= 0xa0 && trail !== 0x7f;
}

const reverseTables = new WeakMap<object, Map<string, Buffer>>();
const forwardTables = new WeakMap<object, Map<number, string>>();

/** The table keyed by the two bytes as one number (lead << 8 | trail). */
function forward(mapping: Mapping): Map<number, string> {
  let t = forwardTables.get(mapping);
  if (!t) {
    t = new Map(Object.entries(mapping.characters ?? {}).filter(([hex]) => hex.length === 4).map(([hex, ch]) => [parseInt(hex, 16), ch]));
    forwardTables.set(mapping, t);
  }
  return t;
}

/**
 * Text of legacy bytes with the mapping's private-character table applied: a
 * double-byte sequence the table lists becomes its character; one in a
 * user-defined area the table does not list becomes `missing` (the format's
 * `unencodable` character, else U+FFFD), never a guess.
 */
export function decodeWithTable(bytes: Buffer, mapping: Mapping, missing = mapping.unencodable ?? '\uFFFD'): string {
  if (mapping.encoding === 'utf-8') return bytes.toString('utf8');
  let high = false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) { high = true; break; }
  if (!high) return bytes.toString('latin1');
  const table = forward(mapping);
  let out = '';
  let plain = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80 || i + 1 >= bytes.length) {
      i++;
      continue;
    }
    const t = bytes[i + 1];
    if (t >= 0x30 && t <= 0x39) {
      i += 4; // a GB18030 four-byte sequence: iconv decodes it
      continue;
    }
    const ch = table.get((b << 8) | t) ?? (isUserDefinedGbk(b, t) ? missing : undefined);
    if (ch !== undefined) {
      if (i > plain) out += iconv.decode(bytes.subarray(plain, i), mapping.encoding);
      out += ch;
      plain = i + 2;
    }
    i += 2;
  }
  if (plain === 0) return iconv.decode(bytes, mapping.encoding);
  if (plain < bytes.length) out += iconv.decode(bytes.subarray(plain), mapping.encoding);
  return out;
}

/** Bytes of text with the private-character table applied, or undefined when a character is in neither the encoding nor the table. */
export function encodeWithTable(text: string, mapping: Mapping): Buffer | undefined {
  if (mapping.encoding === 'utf-8') return Buffer.from(text, 'utf8');
  let ascii = true;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) { ascii = false; break; }
  if (ascii) return Buffer.from(text, 'latin1');
  let reverse = reverseTables.get(mapping);
  if (!reverse) {
    reverse = new Map(Object.entries(mapping.characters ?? {}).map(([hex, ch]) => [ch, Buffer.from(hex, 'hex')]));
    reverseTables.set(mapping, reverse);
  }
  if (reverse.size === 0 || ![...reverse.keys()].some((ch) => text.includes(ch))) {
    // the common case: the whole text at once; a `?` not in the text marks a character the encoding lacks
    const b = iconv.encode(text, mapping.encoding);
    if (mapping.encoding === 'cp936' && b.includes(0x3f) && b.filter((x) => x === 0x3f).length !== [...text].filter((c) => c === '?').length) return undefined;
    if (mapping.encoding !== 'cp936' && hasUserDefined(b)) return undefined;
    return b;
  }
  const parts: Buffer[] = [];
  for (const ch of text) {
    const own = reverse.get(ch);
    if (own) {
      parts.push(own);
      continue;
    }
    const b = iconv.encode(ch, mapping.encoding);
    if (mapping.encoding === 'cp936' && b.length === 1 && b[0] === 0x3f && ch !== '?') return undefined;
    if (b.length === 2 && isUserDefinedGbk(b[0], b[1]) && mapping.encoding !== 'cp936') return undefined; // a private-use character without a table entry
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/** Whether GB18030 bytes hold a two-byte code of a user-defined area (a private-use character). */
function hasUserDefined(b: Buffer): boolean {
  for (let i = 0; i < b.length; ) {
    if (b[i] < 0x80) {
      i++;
      continue;
    }
    if (i + 1 < b.length && b[i + 1] >= 0x30 && b[i + 1] <= 0x39) {
      i += 4;
      continue;
    }
    if (i + 1 < b.length && isUserDefinedGbk(b[i], b[i + 1])) return true;
    i += 2;
  }
  return false;
}

/** Whether the encoding, with the mapping's private-character table, holds every character of the text. */
export function holds(text: string, mapping: Mapping): boolean {
  return encodeWithTable(text, mapping) !== undefined;
}
