/**
 * Every issue code the adapters report of their own (reading and writing legacy
 * files, canonical JSON Lines). They also pass on the standard's codes
 * (`ISSUE_CODES` of @jiexu/standard: identifier checks, `month-duplicate`, and
 * every code of a canonical record checked by `validateRecord`). The labels
 * and meanings are in schemas/<version>/codelists/issue-code.json and
 * docs/adapters.md#issue-codes; a test (packages/cli/src/issue-codes.test.ts)
 * keeps every version's list covering this one.
 */
import type { IssueCode } from '@jiexu/standard';

export const LEGACY_ISSUE_CODES = [
  // the file
  'legacy-encoding',
  'legacy-bom-missing',
  'legacy-line-end',
  'legacy-line-incomplete',
  'legacy-syntax',
  'legacy-file-too-large',
  'legacy-record-length',
  'legacy-record-type',
  'legacy-record-tail',
  'legacy-record-order',
  'legacy-record-deleted',
  'legacy-part-missing',
  'legacy-header-missing',
  'legacy-header-mismatch',
  'legacy-trailer-missing',
  'legacy-trailer-mismatch',
  'legacy-sheet-missing',
  'legacy-xlsx-too-large',
  'legacy-xlsx-entries',
  'legacy-xlsx-ratio',
  'legacy-formula-cell',
  'legacy-xml-dtd',
  'legacy-xml-syntax',
  'legacy-xml-namespace',
  'legacy-xml-unexpected',
  'legacy-xml-too-deep',
  'legacy-xml-attributes',
  // fields and values
  'legacy-field-missing',
  'legacy-field-invalid',
  'legacy-field-unexpected',
  'legacy-field-unknown',
  'legacy-field-too-large',
  'legacy-record-too-large',
  'legacy-amount-not-exact',
  'legacy-amount-negative',
  'legacy-code-unknown',
  'legacy-name-damaged',
  'legacy-region-mismatch',
  'legacy-region-unexpected',
  'legacy-run-invalid',
  'record-refused',
  // people and accounts
  'legacy-person-unknown',
  'legacy-person-duplicate',
  'legacy-person-inconsistent',
  'legacy-person-continued',
  'legacy-account-orphan',
  'legacy-account-scheme',
  'account-year-duplicate',
  // information
  'legacy-account-not-written',
  'records-not-in-region',
  'issues-truncated',
  // canonical JSON Lines
  'canonical-json-invalid',
] as const;

export type LegacyIssueCode = (typeof LEGACY_ISSUE_CODES)[number];

/** A code an adapter may put in its report: its own, or one of the standard's it passes on. */
export type AdapterIssueCode = LegacyIssueCode | IssueCode | FormatOwnIssueCode;

/** A code a format declares in its mapping (`issueCodes`): x-<format>-…, with its own zh/en labels. */
export type FormatOwnIssueCode = `x-${string}`;
