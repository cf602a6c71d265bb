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

/** Identifiers repeat (one employer on hundreds of months): remember recent answers. */
function memo(check: (value: string) => boolean): (value: string) => boolean {
  const cache = new Map<string, boolean>();
  return (value) => {
    let ok = cache.get(value);
    if (ok === undefined) {
      ok = check(value);
      if (cache.size >= 10_000) cache.clear();
      // kept as a fresh string: a value sliced from a reader's text would pin the whole decoded chunk it came from for as long as it is cached
      cache.set(JSON.parse(JSON.stringify(value)) as string, ok);
    }
    return ok;
  };
}

export const jiexuFormats = {
  // Not memoised: validity depends on today's date (birth date not in the future).
  'citizen-id': (value: string): boolean => checkCitizenId(value).valid,
  uscc: memo((value) => checkUscc(value).valid),
  'pooling-region': (value: string): boolean => isPoolingRegionInForce(value),
};

export const formats = { ...ajvFormats.fullFormats, ...jiexuFormats };
