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

/** The text as the encoding can hold it: each character it cannot encode becomes `?` (what code page 936 systems write). */
export function representable(text: string, mapping: Mapping): string {
  if (mapping.encoding === 'utf-8' || mapping.encoding === 'gb18030') return text;
  return iconv.decode(iconv.encode(text, mapping.encoding), mapping.encoding);
}
