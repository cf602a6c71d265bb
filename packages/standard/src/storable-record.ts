/**
 * The storable-text pre-check (storable-text.ts) for a contribution record its schema has just
 * found valid, skipping what that schema already rules out. In every version listed in
 * FIXED_ENTRY_SCHEMAS a monthly entry (`$defs/contribution`) is a closed object
 * (`additionalProperties: false`) whose properties other than `at` are integers (amounts), a
 * string fixed by an enum of ASCII words (`status`) or by an anchored pattern of ASCII
 * characters only (`month`, `employerId`), and its `at` (`$defs/position`) is a closed object of
 * integers but for two strings the schema leaves open, the sheet name and the XML path: a valid
 * entry's names and other values cannot hold a NUL or a surrogate. Only those two strings are
 * tested (each row's position: one regex test per string instead of a walk of the position
 * object); everything outside the entries is walked as before. storable-record.test.ts proves
 * the listed schemas say so, and that the issues found are those of the full walk.
 *
 * Use only after the record validated against its version's contribution-record schema without
 * an error: for any other document the schema proves nothing.
 */
import { mayHoldUnstorable } from './storable-text.ts';

/** The contribution-record schemas ($id) that fix a monthly entry's text (proved by storable-record.test.ts). */
export const FIXED_ENTRY_SCHEMAS: ReadonlySet<string> = new Set(
  ['1.0', '1.1', '1.2'].map((v) => `https://jiexu.org/standard/${v}/contribution-record.schema.json`),
);

/** The one property of a monthly entry whose text the schema leaves open (a position). */
export const OPEN_ENTRY_PROPERTY = 'at';

/** The properties of a position (`at`) whose text the schema leaves open: strings of any content. */
export const OPEN_POSITION_PROPERTIES = ['sheet', 'path'] as const;

/**
 * Whether any string of a schema-valid contribution record might break the storable-text rule
 * (true: walk it with pointers). Like mayHoldUnstorable it may answer true for a storable record,
 * never false for one that is not.
 */
export function validRecordMayHoldUnstorable(record: Record<string, unknown>): boolean {
  for (const key in record) {
    const value = record[key];
    if (key !== 'contributions' || !Array.isArray(value)) {
      if (mayHoldUnstorable(key) || mayHoldUnstorable(value)) return true;
      continue;
    }
    for (let i = 0; i < value.length; i++) {
      const entry: unknown = value[i];
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        if (mayHoldUnstorable(entry)) return true; // not an entry the schema admits: walked whole
        continue;
      }
      const at: unknown = (entry as Record<string, unknown>)[OPEN_ENTRY_PROPERTY];
      if (at === undefined) continue;
      if (at === null || typeof at !== 'object' || Array.isArray(at)) {
        if (mayHoldUnstorable(at)) return true; // not a position the schema admits: walked whole
        continue;
      }
      // OPEN_POSITION_PROPERTIES, read by name (a loop over the list would look each up by a variable key)
      const { sheet, path } = at as { sheet?: unknown; path?: unknown };
      if (mayHoldUnstorable(sheet) || mayHoldUnstorable(path)) return true;
    }
  }
  return false;
}
