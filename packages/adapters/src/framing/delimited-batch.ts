/** What both ways of splitting a delimited file into records hand the reader (delimited.ts). */
import type { RowValues } from '../rows.ts';

/** A record that a splitter refuses: too long, or a quoted field that never closes. */
export class RecordError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Records a batch: small enough that rows are done with before the young generation fills. */
export const BATCH = 512;

/**
 * Records of one chunk and their line numbers. `suspect`: some record may
 * hold U+FFFD; `long`: some record may have a field longer than the field
 * limit. Both may be set when no record does (they only ask the reader for
 * its exact per-field scans); where neither holds, no record of the batch
 * needs those scans. `values`: rows the byte path read from their bytes
 * (bytes-values.ts), the row's values at its record's index (its record then
 * holds no texts); undefined at a record to be decoded from its texts.
 */
export interface RecordBatch {
  records: string[][];
  lines: number[];
  suspect: boolean;
  long: boolean;
  values?: (RowValues | undefined)[];
}
