/** Strict UTF-8: a body with invalid bytes is refused, never decoded with U+FFFD substituted. */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class InvalidUtf8Error extends Error {
  constructor(readonly offset: number) {
    super(`body is not valid UTF-8 (invalid byte at offset ${offset})`);
    this.name = 'InvalidUtf8Error';
  }
}

/** Decodes `bytes` as UTF-8 or throws InvalidUtf8Error with the offset of the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new InvalidUtf8Error(firstInvalidByte(bytes));
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // no UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i + k;
    }
    i += n + 1;
  }
  return b.length;
}
