/**
 * A delimited row's values read from its bytes (the byte path of unquoted
 * GBK/GB18030 files, delimited-bytes.ts), without making each field's text
 * and decoding it again the way every row was: the value the text path would
 * give, or BY_TEXT, where the line is then read from its texts as before.
 *
 * Only values that need nothing but their bytes, read without a problem, are
 * taken here; anything else (an empty field, bytes invalid in the encoding,
 * a value with a problem) is left to the text path, so its issues are its
 * own. Why each value is the text path's:
 * - an amount in yuan: plainYuanBytes, plainYuan over the bytes of an ASCII
 *   field (each byte its character's code); anything plainYuan does not take
 *   (a negative, a wrong number of decimals) is left to the text path;
 * - any other field: decodeValue of the field's text (latin1 of ASCII bytes,
 *   iconv-lite's decoding of others: what the text path's splitting gives
 *   it), remembered by the field's bytes (bytes-memo.ts): decodeValue of a
 *   text depends on the text and the mapping alone.
 */
import iconv from 'iconv-lite';
import type { FieldSpec, Mapping } from '../mapping.ts';
import type { RowValues } from '../rows.ts';
import { decodeValue, isProblemValue, plainYuanBytes, type Value } from '../values.ts';
import { memoByBytes } from './bytes-memo.ts';
import { valuesBuilder } from './common.ts';

/** The field's value is left to the text path. */
export const BY_TEXT = Symbol('by text');

/** A field's value from its bytes start..end (`ascii`: every byte below 0x80), or BY_TEXT. */
export type FieldFromBytes = (buf: Buffer, start: number, end: number, ascii: boolean) => Value | typeof BY_TEXT;

export interface RowFromBytes {
  /** One a declared field, in order. */
  fields: FieldFromBytes[];
  /** The row's object from its fields' values, as decodeFields builds it (common.ts valuesBuilder). */
  row: (values: RowValues[string][]) => RowValues;
}

/** Longest field remembered by its bytes, and how many distinct values per field (a power of two). */
const MEMO_WIDTH = 64;
const MEMO_SLOTS = 1 << 13;
/** Field types read by decodeValue from a text; hooks and literals (a field without a value) are not read here. */
const BY_VALUE = new Set<FieldSpec['type']>(['text', 'code', 'fen', 'integer', 'month', 'date', 'datetime']);

/**
 * How the byte path reads a row of these fields, or undefined where it cannot
 * (a hook, a literal, a field without a target, two fields with one target:
 * decodeFields builds those rows otherwise).
 */
export function rowFromBytes(fields: FieldSpec[], mapping: Mapping): RowFromBytes | undefined {
  if (!fields.every((f) => f.as && (f.type === 'yuan' || BY_VALUE.has(f.type)))) return undefined;
  const row = valuesBuilder(fields);
  if (!row) return undefined;
  const decodeText = (buf: Buffer, start: number, length: number): string => {
    for (let i = start; i < start + length; i++) if (buf[i] >= 0x80) return iconv.decode(buf.subarray(start, start + length), mapping.encoding);
    return buf.toString('latin1', start, start + length);
  };
  const byValue = (f: FieldSpec): FieldFromBytes => {
    const memo = memoByBytes(MEMO_WIDTH, MEMO_SLOTS, (buf, start, length): Value | typeof BY_TEXT => {
      if (length === 0) return BY_TEXT; // empty: missing, or not known where optional (the text path says which)
      const text = decodeText(buf, start, length);
      if (text.includes('\uFFFD')) return BY_TEXT; // bytes invalid in the encoding: the text path reports them
      const v = decodeValue(text, f, mapping);
      return isProblemValue(v) || v === undefined ? BY_TEXT : v;
    });
    return (buf, start, end) => memo(buf, start, end - start);
  };
  const yuan: FieldFromBytes = (buf, start, end, ascii) => {
    const fen = ascii ? plainYuanBytes(buf, start, end) : -1;
    return fen >= 0 ? fen : BY_TEXT;
  };
  return { fields: fields.map((f) => (f.type === 'yuan' ? yuan : byValue(f))), row };
}
