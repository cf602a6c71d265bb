/** The framework's middle layer: one legacy row, as canonical values, with where it came from. */
import type { Position } from './record.ts';
import type { Value } from './values.ts';
import type { Problem } from './issues.ts';

/** Canonical values of one row, keyed by mapping target (plus `employerName`, which hooks may fill). */
export type RowValues = Partial<Record<string, Value>>;

export interface LegacyRow {
  /** row: one month (or one run of months); account: one year of the individual account. */
  role: 'row' | 'account';
  values: RowValues;
  at: Position;
}

/** What the framing learned from the file's header (or root element). */
export interface FileHeader {
  region?: string;
  exportedAt?: string;
  /**
   * Set by a framing, before its first row, that knows each person's rows come
   * together (and any account rows before them): the rows are then not grouped
   * (group.ts), which would hold them all until the input ends.
   */
  personsTogether?: boolean;
}

/**
 * A code hook: turns one legacy field into several canonical values and back.
 * `raw` is the field's value as the framing read it, typed: text as a string,
 * a JSON or spreadsheet number as a number, a date cell as a Date, a logical as a boolean.
 */
export interface FieldHook {
  decode(raw: string | number | boolean | Date): RowValues | Problem;
  encode(values: RowValues): string | Problem;
}

export type Hooks = Record<string, FieldHook>;
