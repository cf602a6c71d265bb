/**
 * 1.1 ↔ 1.2. Standard 1.2 (draft):
 * - states the storable-text rule in the schemas (every free-text string: no NUL, no lone
 *   surrogate) — every version's validator already applied it, so nothing moves;
 * - adds the benefit-period messages (unemployment.benefit-started / -ended,
 *   pension.benefit-drawn / -ended) and their case types: they go to the platform only and have
 *   no 1.1 form;
 * - adds the medical insutype codes 320, 330, 340 and 392 to the scheme list.
 * Up: nothing beyond the version marker (a 1.1 record is a 1.2 record).
 * Down: a record of scheme 320/330/340/392 has no 1.1 form: MigrationError (the platform answers
 * a business error; the receiver must be on 1.2 to read it).
 */
import type { MigrationIssue } from '../issue-codes.ts';
import type { JsonObject } from '../load.ts';
import type { MigrationStep } from './step.ts';

/** The scheme codes 1.2 adds (NHSA insutype, DOMAIN.md rule 4). */
export const SCHEMES_ADDED_IN_1_2 = ['320', '330', '340', '392'] as const;

export class SchemeUnknownBefore12 extends Error {
  constructor(
    readonly scheme: string,
    readonly pointer: string,
  ) {
    super(`scheme ${scheme} at ${pointer || '/'} exists from standard 1.2 on: a 1.1 record cannot carry it`);
    this.name = 'SchemeUnknownBefore12';
  }
}

export const step_1_1_to_1_2: MigrationStep = {
  from: '1.1',
  to: '1.2',
  upRecord(): void {
    // every 1.1 record is a 1.2 record once its version says so
  },
  downRecord(record: JsonObject, pointer: string, _issues: MigrationIssue[]): void {
    if (typeof record.scheme === 'string' && (SCHEMES_ADDED_IN_1_2 as readonly string[]).includes(record.scheme)) throw new SchemeUnknownBefore12(record.scheme, `${pointer}/scheme`);
  },
};
