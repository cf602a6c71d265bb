/**
 * Masking personal identifiers for logs: a 公民身份号码 (18 characters, GB 11643) keeps its
 * address code and its last four characters — 110105********002X — enough to tell
 * records apart when debugging, not enough to identify the person.
 *
 * An identifier is found however it is written in the line: plain, percent-encoded in a URL
 * (`%31%31%30…`, also twice encoded `%2531…`, and mixed with plain digits), as JSON or
 * JavaScript escapes (`\u0031`), as HTML character references (`&#49;`, `&#x31;`), or in
 * full-width digits (１１０１０５…). Each character of the line is read as the character it
 * stands for; the eight birth-date characters of every identifier found are replaced by `*`
 * in the line as written (one `*` per encoded character), the rest of the line is kept.
 */

/** One character of the decoded text and the span of the original text it came from. */
interface Unit {
  ch: string;
  start: number;
  end: number;
}

const ID_IN_DECODED = /(?<![0-9])[1-9][0-9]{5}[0-9]{8}[0-9]{3}[0-9Xx](?![0-9Xx])/g;
const PLAIN_ID = /(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9Xx])/g;
/** Anything that may encode a character: without one of these the fast path is exact. */
const MAY_ENCODE = /[%\\&\uff10-\uff19\uff38\uff58]/;

const PERCENT = /%(?:25)*([0-9A-Fa-f]{2})/y;
const BACKSLASH_U = /\\+u([0-9A-Fa-f]{4})/y;
const CHAR_REF = /&#(?:([0-9]{1,7})|[xX]([0-9A-Fa-f]{1,6}));?/y;

/** Full-width digits and X read as their ASCII forms; every other character stays. */
function fold(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 0x30);
  if (code === 0xff38 || code === 0xff58) return code === 0xff38 ? 'X' : 'x';
  return ch;
}

function match(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** Percent-encoded UTF-8 (each byte possibly encoded more than once) from `at`: one character, or null. */
function percentChar(text: string, at: number): { ch: string; end: number } | null {
  const first = match(PERCENT, text, at);
  if (!first) return null;
  const lead = parseInt(first[1], 16);
  const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
  if (!length) return null;
  const bytes = [lead];
  let end = at + first[0].length;
  while (bytes.length < length) {
    const next = match(PERCENT, text, end);
    if (!next) return null;
    bytes.push(parseInt(next[1], 16));
    end += next[0].length;
  }
  const ch = new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(bytes));
  return ch.includes('\ufffd') ? null : { ch, end };
}

function decodeUnits(text: string): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    let decoded: { ch: string; end: number } | null = null;
    if (c === '%') decoded = percentChar(text, i);
    else if (c === '\\') {
      const m = match(BACKSLASH_U, text, i);
      if (m) decoded = { ch: String.fromCharCode(parseInt(m[1], 16)), end: i + m[0].length };
    } else if (c === '&') {
      const m = match(CHAR_REF, text, i);
      const code = m ? (m[1] !== undefined ? Number(m[1]) : parseInt(m[2], 16)) : NaN;
      if (m && code <= 0x10ffff) decoded = { ch: String.fromCodePoint(code), end: i + m[0].length };
    }
    if (!decoded) {
      const code = text.codePointAt(i)!;
      decoded = { ch: String.fromCodePoint(code), end: i + (code > 0xffff ? 2 : 1) };
    }
    units.push({ ch: fold(decoded.ch), start: i, end: decoded.end });
    i = decoded.end;
  }
  return units;
}

export function maskIdentifiers(text: string): string {
  if (!MAY_ENCODE.test(text)) return text.replace(PLAIN_ID, '$1********$2');
  const units = decodeUnits(text);
  // one character per unit: digits and X as decoded, anything else a neutral `_`
  const decoded = units.map((u) => (/^[0-9Xx]$/.test(u.ch) ? u.ch : '_')).join('');
  const masked = new Set<number>();
  for (const m of decoded.matchAll(ID_IN_DECODED)) for (let k = m.index + 6; k < m.index + 14; k++) masked.add(k);
  if (!masked.size) return text;
  let out = '';
  units.forEach((u, k) => (out += masked.has(k) ? '*' : text.slice(u.start, u.end)));
  return out;
}

const ANY_ID = /(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9Xx])/g;

/**
 * Citizen IDs still readable in `text` after decoding it every way a log line may encode
 * one (percent-encoding up to three times over, JSON escapes, HTML character references,
 * full-width forms): the check that a log is clean, independent of how maskIdentifiers works.
 */
export function unmaskedIdentifiers(text: string): string[] {
  const variants = new Set<string>([text]);
  let percent = text;
  for (let round = 0; round < 3; round++) {
    percent = percent.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    variants.add(percent);
  }
  for (const v of [...variants]) {
    const unescaped = v
      .replace(/\\+u([0-9A-Fa-f]{4})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&#([0-9]{1,7});?/g, (_, dec) => String.fromCodePoint(Math.min(Number(dec), 0x10ffff)))
      .replace(/&#[xX]([0-9A-Fa-f]{1,6});?/g, (_, hex) => String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)));
    variants.add(unescaped);
    variants.add(unescaped.normalize('NFKC'));
  }
  const found = new Set<string>();
  for (const v of variants) for (const m of v.matchAll(ANY_ID)) found.add(m[0]);
  return [...found];
}
