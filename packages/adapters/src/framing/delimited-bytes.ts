/**
 * Records of an unquoted delimited file in a double-byte encoding (GBK/cp936,
 * GB18030), split on its bytes: the same records, line numbers and refusals
 * as decoding the whole file with iconv-lite and splitting the text
 * (delimited.ts `splitRecords`), without decoding what repeats. Most fields
 * are ASCII (identifiers, codes, months, amounts) and are read as latin1; a
 * field holding other bytes (a name) is decoded by iconv-lite on its own, and
 * remembered by its bytes (bytes-memo.ts): a person's name comes back on each
 * of their rows, and again month after month in a file sorted by month.
 *
 * Why the bytes can be split before decoding, exactly as the text would be:
 * - CR and LF are never part of a multi-byte character (a GBK trail byte is
 *   0x40–0xFE, a GB18030 four-byte form's second and fourth bytes are
 *   digits), so lines end at the same places, and iconv-lite's decoder starts
 *   afresh after each (it re-reads the bytes after a lead byte whose pair is
 *   not assigned).
 * - The delimiter is an ASCII byte other than a digit, CR or LF, but it may
 *   be a trail byte: "|" is 0x7C, and `81 7C` is one GBK character. Bytes are
 *   walked as the decoder reads them: an ASCII byte is one character; a byte
 *   from 0x80 up takes the next byte with it when iconv-lite decodes the two
 *   as one character (asked of iconv-lite itself, once per pair seen), else
 *   it is one character (U+FFFD, or € for 0x80). Four-byte forms need no
 *   rule: their digits are read as ASCII bytes, never a delimiter, and the
 *   walk is back in step after them.
 * - A field then starts where the decoder starts afresh, so decoding its
 *   bytes alone gives the text the whole file's decoding gives it (a lead
 *   byte left open at its end is U+FFFD either way).
 * Chunks are the text path's (the same reads), so batches and the points at
 * which an overlong record is refused are the same too.
 *
 * Given `fromBytes` (bytes-values.ts), a row is read from its fields' bytes
 * straight to its values where every field allows it (most rows: no texts
 * made and decoded again), and from its texts as above where one does not.
 */
import iconv from 'iconv-lite';
import type { DelimitedFraming } from '../mapping.ts';
import { BATCH, RecordError, type RecordBatch } from './delimited-batch.ts';
import { memoByBytes } from './bytes-memo.ts';
import { BY_TEXT, type RowFromBytes } from './bytes-values.ts';
import type { RowValues } from '../rows.ts';

const LF = 0x0a;
const CR = 0x0d;
/** Longest field remembered by its bytes, and how many distinct ones per field (a power of two): at most 16,384 × 64 bytes a field that holds non-ASCII text. */
const MEMO_WIDTH = 64;
const MEMO_SLOTS = 1 << 14;

/** An ASCII field's text: short ones (codes, months, amounts) from their bytes in one call, without a trip into Buffer's C++ (three times as costly at this size). */
function asciiText(buf: Buffer, s: number, e: number): string {
  switch (e - s) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(buf[s]);
    case 2:
      return String.fromCharCode(buf[s], buf[s + 1]);
    case 3:
      return String.fromCharCode(buf[s], buf[s + 1], buf[s + 2]);
    case 4:
      return String.fromCharCode(buf[s], buf[s + 1], buf[s + 2], buf[s + 3]);
    case 5:
      return String.fromCharCode(buf[s], buf[s + 1], buf[s + 2], buf[s + 3], buf[s + 4]);
    case 6:
      return String.fromCharCode(buf[s], buf[s + 1], buf[s + 2], buf[s + 3], buf[s + 4], buf[s + 5]);
    case 7:
      return String.fromCharCode(buf[s], buf[s + 1], buf[s + 2], buf[s + 3], buf[s + 4], buf[s + 5], buf[s + 6]);
    case 8:
      return String.fromCharCode(buf[s], buf[s + 1], buf[s + 2], buf[s + 3], buf[s + 4], buf[s + 5], buf[s + 6], buf[s + 7]);
    default:
      return buf.toString('latin1', s, e);
  }
}

/** A record read from its bytes holds no texts (its values are in the batch's `values`). */
const NO_TEXTS: string[] = Object.freeze([]) as unknown as string[];

/** A line's fields: start and end offsets in the line, and whether each field's bytes are all ASCII (1) or not (0). */
class LineFields {
  starts: Int32Array;
  ends: Int32Array;
  ascii: Uint8Array;
  count = 0;
  constructor(capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.ascii = new Uint8Array(capacity);
  }
  add(start: number, end: number, ascii: number): void {
    if (this.count === this.starts.length) {
      // a line of more fields than declared: room for them all (the reader reports the count)
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      this.ascii = grow(this.ascii);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.ascii[this.count] = ascii;
    this.count++;
  }
}

/** Encodings whose every byte below 0x80 outside a pair is that ASCII character and whose line ends are never a pair's byte: the walk below is right for these, and only these. */
const DOUBLE_BYTE = new Set(['cp936', 'gb18030']);

/** Whether the byte path reads this framing: unquoted, a one-byte ASCII delimiter that is not a digit or a line end, a GBK-family encoding. */
export function splitsOnBytes(framing: DelimitedFraming, encoding: string): boolean {
  if (framing.quoting !== 'none' || !DOUBLE_BYTE.has(encoding) || framing.delimiter.length !== 1) return false;
  const d = framing.delimiter.charCodeAt(0);
  return d < 0x80 && d !== LF && d !== CR && !(d >= 0x30 && d <= 0x39);
}

/** Whether iconv-lite decodes bytes `lead trail` as one character (not each byte on its own: U+FFFD or € for the first, the second read again), asked once per pair. */
function pairReader(encoding: string): (lead: number, trail: number) => boolean {
  const known = new Uint8Array(1 << 16); // 0 not asked, 1 no, 2 yes
  const alone = (b: number): string => iconv.decode(Buffer.from([b]), encoding);
  return (lead, trail) => {
    const k = (lead << 8) | trail;
    if (known[k] === 0) known[k] = iconv.decode(Buffer.from([lead, trail]), encoding) === alone(lead) + alone(trail) ? 1 : 2;
    return known[k] === 2;
  };
}

/** The file's records (see above); `fromBytes`: rows read from their bytes where they can be (bytes-values.ts), the others from their texts. */
export async function* splitRecordBytes(chunks: AsyncIterable<Buffer>, framing: DelimitedFraming, encoding: string, recordLength: number, fieldLength: number, fromBytes?: RowFromBytes): AsyncGenerator<RecordBatch> {
  const delim = framing.delimiter.charCodeAt(0);
  const pair = pairReader(encoding);
  const decodeSpan = (buf: Buffer, start: number, length: number): string => iconv.decode(buf.subarray(start, start + length), encoding);
  /** The text a streaming decoder has given for these bytes so far (an open sequence at the end held back): what the text path holds as a carried line. */
  const streamed = (buf: Buffer, start: number, end: number): string => iconv.getDecoder(encoding).write(buf.subarray(start, end));
  /** The encoding's byte order mark, where it has one (GB18030; cp936 cannot write U+FEFF). */
  const bomText = iconv.encode('\uFEFF', encoding);
  const bom = iconv.decode(bomText, encoding) === '\uFEFF' ? bomText : undefined;

  // non-ASCII fields decoded once per distinct bytes, per declared field
  const n = framing.fields.length;
  const memos = Array.from({ length: n }, () => memoByBytes(MEMO_WIDTH, MEMO_SLOTS, decodeSpan));
  const text = (buf: Buffer, s: number, e: number, ascii: boolean, idx: number): string => (ascii ? asciiText(buf, s, e) : idx < n ? memos[idx](buf, s, e - s) : decodeSpan(buf, s, e - s));

  /**
   * The line's fields: each field's start and end (offsets in the line) and
   * whether its bytes are all ASCII, as the line before left them until they
   * are this line's. A person's rows repeat their identifier, name, employer,
   * region and scheme at the start of the line: fields wholly within the
   * bytes the line shares with the one before end where they ended there
   * (the walk below reads a field's end from the bytes up to it alone), and
   * only the rest of the line is walked; their texts or values are the
   * previous line's, where it has them.
   */
  const line = new LineFields(n + 1);
  let prevBuf: Buffer | undefined;
  let prevView: DataView | undefined;
  let prevStart = 0;
  /** The previous line's texts (it was read from its texts), else undefined. */
  let prevRecord: string[] | undefined;
  /** The line's values read from its bytes; until they are read, the previous line's (where it was read from its bytes: `prevRead`). */
  const values: RowValues[string][] = new Array(n);
  let prevRead = false;
  let view: DataView | undefined;
  let viewOf: Buffer | undefined;
  /** The first record is the header: always read from its texts (the reader compares them). */
  let header = true;

  let lineNo = 0;
  const newBatch = (): RecordBatch => ({ records: [], lines: [], suspect: false, long: false, values: fromBytes ? [] : undefined });
  /** The row's values from its bytes, in `values`; false where a field is left to the text path (or the line does not have the declared fields). */
  const readBytes = (buf: Buffer, s: number, same: number): boolean => {
    if (fromBytes === undefined || header || line.count !== n) return false;
    for (let k = 0; k < n; k++) {
      if (k < same && prevRead) continue; // the previous line's value, where it is
      const start = s + line.starts[k];
      const end = s + line.ends[k];
      // a character is at most as long as its bytes: a field of more bytes may be too long, the text path says
      if (end - start > fieldLength) return false;
      const v = fromBytes.fields[k](buf, start, end, line.ascii[k] === 1);
      if (v === BY_TEXT) return false;
      values[k] = v;
    }
    return true;
  };
  /** The line of bytes s..e (without its line end) as a record. */
  const take = (buf: Buffer, s: number, e: number, out: RecordBatch): void => {
    lineNo++;
    if (e === s) return; // empty lines are skipped
    const len = e - s;
    // a character is at most as long as its bytes: only a line of more bytes than the limit can be too long
    if (len > recordLength && decodeSpan(buf, s, len).length > recordLength) throw new RecordError('record too large', 'CSV_MAX_RECORD_SIZE', lineNo);
    if (viewOf !== buf) {
      viewOf = buf;
      view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    }
    // how many of the previous line's fields this line repeats: the bytes both share, 4 at a time (fields followed by a delimiter, at most n)
    let same = 0;
    const shareable = prevBuf === undefined ? 0 : Math.min(line.count - 1, n);
    if (shareable > 0) {
      const limit = Math.min(line.ends[shareable - 1] + 1, len);
      let d = 0;
      while (d + 4 <= limit && view!.getUint32(s + d) === prevView!.getUint32(prevStart + d)) d += 4;
      while (d < limit && buf[s + d] === prevBuf![prevStart + d]) d++;
      while (same < shareable && line.ends[same] < d) same++;
    }
    // the fields it repeats stay as the previous line left them; the rest are this line's
    line.count = same;
    let from = same > 0 ? line.ends[same - 1] + 1 : 0;
    let ascii = 1;
    for (let i = s + from; i < e; ) {
      const b = buf[i];
      if (b < 0x80) {
        if (b === delim) {
          line.add(from, i - s, ascii);
          from = i - s + 1;
          ascii = 1;
        }
        i++;
      } else {
        ascii = 0;
        i += i + 1 < e && pair(b, buf[i + 1]) ? 2 : 1;
      }
    }
    line.add(from, len, ascii);
    if (readBytes(buf, s, same)) {
      out.records.push(NO_TEXTS);
      out.values!.push(fromBytes!.row(values));
      prevRead = true;
      prevRecord = undefined;
    } else {
      const record: string[] = [];
      let suspect = false;
      for (let k = 0; k < line.count; k++) {
        const fieldAscii = line.ascii[k] === 1;
        const t = k < same && prevRecord !== undefined ? prevRecord[k] : text(buf, s + line.starts[k], s + line.ends[k], fieldAscii, k);
        if (!fieldAscii && t.includes('\uFFFD')) suspect = true;
        record.push(t);
      }
      out.records.push(record);
      out.values?.push(undefined);
      if (suspect) out.suspect = true;
      if (len > fieldLength) out.long = true;
      prevRecord = record;
      prevRead = false;
    }
    out.lines.push(lineNo);
    header = false;
    prevBuf = buf;
    prevView = view;
    prevStart = s;
  };

  /** The line end, once the first line has shown it (as csv-parse detects it: CR LF, LF or CR alone). */
  let eol: 'lf' | 'crlf' | 'cr' | undefined;
  /** The first line's CR was the last text of its chunk (the bytes after it, if any, held back by the decoder): LF may follow. */
  let crPending = false;
  const eolLength = (): number => (eol === 'crlf' ? 2 : 1);
  const lineEnd = (buf: Buffer, pos: number): number => {
    if (eol === 'cr') return buf.indexOf(CR, pos);
    for (let lf = buf.indexOf(LF, pos); lf >= 0; lf = buf.indexOf(LF, lf + 1)) {
      if (eol === 'lf') return lf;
      if (lf - 1 >= pos && buf[lf - 1] === CR) return lf - 1;
    }
    return -1;
  };
  /** The batch being filled: over the carried line and the chunk after it, as over the two joined. */
  let out = newBatch();
  /** Takes the complete lines of `buf` from `pos`, yielding each full batch; returns where the unfinished last line starts. */
  function* complete(buf: Buffer, pos: number): Generator<RecordBatch, number> {
    for (let end = lineEnd(buf, pos); end >= 0; end = lineEnd(buf, pos)) {
      take(buf, pos, end, out);
      pos = end + eolLength();
      if (out.records.length >= BATCH) {
        yield out;
        out = newBatch();
      }
    }
    return pos;
  }
  /**
   * Takes the complete lines of `buf` from `pos` (after those of `head`, the carried line and its end, where given),
   * hands on the unfinished last line; `atEnd`: the file has ended, nothing of that line is held back.
   */
  async function* lines(buf: Buffer, pos: number, carried: (rest: Buffer) => void, atEnd = false, head?: Buffer): AsyncGenerator<RecordBatch> {
    if (head !== undefined) yield* complete(head, 0);
    const rest = buf.subarray(yield* complete(buf, pos));
    carried(rest);
    if (rest.length > recordLength && (atEnd ? decodeSpan(rest, 0, rest.length) : streamed(rest, 0, rest.length)).length > recordLength) throw new RecordError('record too large', 'CSV_MAX_RECORD_SIZE', lineNo + 1);
    if (out.records.length) {
      yield out;
      out = newBatch();
    }
  }
  /** Where the carried line ends in `chunk`, once the line end is known: the offset just after its end, or -1 (it goes on past the chunk). */
  const carriedEnd = (carry: Buffer, chunk: Buffer): number => {
    if (eol === 'cr') {
      const cr = chunk.indexOf(CR);
      return cr < 0 ? -1 : cr + 1;
    }
    for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, lf + 1)) {
      if (eol === 'lf' || (lf > 0 ? chunk[lf - 1] : carry[carry.length - 1]) === CR) return lf + 1;
    }
    return -1;
  };

  let carry: Buffer = Buffer.alloc(0);
  let first = true;
  for await (const chunk of chunks) {
    if (eol !== undefined && carry.length) {
      // only the carried line is joined with the start of the chunk, not the whole chunk copied after it
      const end = carriedEnd(carry, chunk);
      if (end >= 0) {
        yield* lines(chunk, end, (rest) => (carry = rest), false, Buffer.concat([carry, chunk.subarray(0, end)]));
        continue;
      }
    }
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    if (first) {
      first = false;
      // the text path drops U+FEFF at the start of its first text chunk: here, when the first read holds the whole mark
      if (bom && chunk.length >= bom.length && buf.subarray(0, bom.length).equals(bom)) buf = buf.subarray(bom.length);
    }
    if (eol === undefined) {
      const lf = buf.indexOf(LF);
      const cr = buf.indexOf(CR);
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        crPending = buf.length - (cr + 1) <= 3 && streamed(buf, cr + 1, buf.length) === '';
        if (crPending) {
          carry = buf;
          continue;
        }
        eol = buf[cr + 1] === LF ? 'crlf' : 'cr';
      } else if (lf >= 0) eol = 'lf';
      else {
        carry = buf;
        if (carry.length > recordLength && streamed(carry, 0, carry.length).length > recordLength) throw new RecordError('record too large', 'CSV_MAX_RECORD_SIZE', 1);
        continue;
      }
    }
    yield* lines(buf, 0, (rest) => (carry = rest));
  }
  if (eol === undefined && crPending) {
    // the bytes after the first CR were held back to the end of the file: decoded now, they are not LF
    const cr = carry.indexOf(CR);
    if (cr + 1 < carry.length) {
      eol = 'cr';
      yield* lines(carry, 0, (rest) => (carry = rest), true);
    }
  }
  if (carry.length) {
    take(carry, 0, carry.length, out);
    if (out.records.length) yield out;
  }
}
