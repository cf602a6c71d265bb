/**
 * The string formats the standard's schemas use, for ajv at build time and for
 * the generated standalone validators at run time (src/generated/validators.js
 * imports this module): the ajv-formats set plus the identifier checks
 * `citizen-id` (GB 11643), `uscc` (GB 32100) and `pooling-region` (GB/T 2260 in force).
 * A `citizen-id` whose address code is no longer in force passes here: that is
 * a warning, which validateDocument reports.
 */
import ajvFormats from 'ajv-formats/dist/formats.js';
import { checkCitizenId, checkUscc, isPoolingRegionInForce } from './identifiers.ts';
import { checkCitizenIdRemembered } from './citizen-id-memo.ts';

/** One remembered answer: the value (an own copy) and whether it passed. */
interface Answer {
  value: string;
  ok: boolean;
}

/**
 * Identifiers repeat (one employer on hundreds of months): remember recent answers. The last
 * value asked first: a record's months mostly name the employer of the month before, and comparing
 * with it costs less than hashing the value (a fresh slice each row) for the map. It is kept as it
 * was given, a slice of the reader's text like the value asked now: comparing a gd-xml slice (of
 * two-byte text) with a one-byte copy cost three times comparing two slices. The one value kept
 * keeps at most one decoded chunk alive.
 */
function memo(check: (value: string) => boolean): (value: string) => boolean {
  const cache = new Map<string, Answer>();
  let lastAsked: string | undefined;
  let lastOk = false;
  return (value) => {
    if (value === lastAsked) return lastOk;
    let answer = cache.get(value);
    if (answer === undefined) {
      // a copy: the value is often a slice of a reader's decoded chunk, which a cached key would keep alive
      answer = { value: JSON.parse(JSON.stringify(value)) as string, ok: check(value) };
      if (cache.size >= 10_000) cache.clear();
      cache.set(answer.value, answer);
    }
    lastAsked = value;
    lastOk = answer.ok;
    return lastOk;
  };
}

/** The identifier formats as plain checks, nothing remembered: the reference of src/reference.ts compiles with these. */
export const plainJiexuFormats = {
  'citizen-id': (value: string): boolean => checkCitizenId(value).valid,
  uscc: (value: string): boolean => checkUscc(value).valid,
  'pooling-region': (value: string): boolean => isPoolingRegionInForce(value),
};

export const jiexuFormats = {
  // Not in the map: validity depends on today's date (birth date not in the future); the last
  // answer is kept for validateDocument's second look at the same ID (its warnings).
  'citizen-id': (value: string): boolean => checkCitizenIdRemembered(value).valid,
  uscc: memo(plainJiexuFormats.uscc),
  'pooling-region': plainJiexuFormats['pooling-region'],
};

export const formats = { ...ajvFormats.fullFormats, ...jiexuFormats };
