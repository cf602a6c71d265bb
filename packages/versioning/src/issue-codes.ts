/**
 * Every issue code a migration between versions of the standard reports
 * (`migrate`, its steps in migrations/). The labels and meanings are in
 * schemas/<version>/codelists/issue-code.json; a test
 * (packages/cli/src/issue-codes.test.ts) keeps every version's list covering
 * this one. Issues are built as `MigrationIssue`s, so tsc rejects a code not
 * listed here.
 */
import type { Issue } from '@jiexu/standard';

export const MIGRATION_ISSUE_CODES = [
  'migration-value-dropped',
  'migration-case-version-newer',
] as const;

export type MigrationIssueCode = (typeof MIGRATION_ISSUE_CODES)[number];

/** An issue a migration reports: the shared Issue shape with a registered code. */
export type MigrationIssue = Issue & { code: MigrationIssueCode };
