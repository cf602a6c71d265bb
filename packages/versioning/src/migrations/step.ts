/** The shape of one migration between two adjacent versions of the standard. */
import type { MigrationIssue } from '../issue-codes.ts';
import type { JsonObject } from '../load.ts';

export interface MigrationStep {
  from: string;
  to: string;
  /**
   * Converts one contribution record (already a copy, version marker already
   * moved) from `from` to `to`, in place. `pointer` is where the record sits
   * in the document ('' for a record on its own).
   */
  upRecord(record: JsonObject, pointer: string, issues: MigrationIssue[]): void;
  /** The reverse: `to` → `from`, reporting as a warning every value it has to drop. */
  downRecord(record: JsonObject, pointer: string, issues: MigrationIssue[]): void;
}

/** A warning for a value a down-conversion drops. */
export function dropped(pointer: string, value: unknown, zh: string, en: string): MigrationIssue {
  return { severity: 'warning', code: 'migration-value-dropped', message: { zh, en }, pointer, value };
}
