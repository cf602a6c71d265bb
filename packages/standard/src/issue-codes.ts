/**
 * Every issue code the standard's validator reports. The labels and meanings
 * are in schemas/<version>/codelists/issue-code.json, which also holds the
 * codes of the adapters, rules, migrations and CLI (each package keeps its own
 * array in its issue-codes.ts; packages/cli/src/issue-codes.test.ts keeps each
 * version's list equal to all of them together).
 */
export const ISSUE_CODES = [
  // the document itself
  'json-syntax',
  'unknown-kind',
  'version-unsupported',
  // JSON Schema keywords
  'required',
  'unknown-property',
  'type',
  'enum',
  'const',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'multiple-of',
  'min-length',
  'max-length',
  'min-items',
  'max-items',
  'unique-items',
  'contains',
  'min-properties',
  'max-properties',
  'property-name',
  'any-of',
  'one-of',
  'not',
  'schema-violation',
  // identifiers
  'citizen-id-check',
  'citizen-id-birth-date',
  'uscc-check',
  'region-unknown',
  // rules JSON Schema cannot state
  'month-duplicate',
  'month-order',
  'year-duplicate',
  'year-order',
  'employer-unlisted',
  'account-not-pension',
  'gender-mismatch',
  'birth-date-mismatch',
  'body-schema-mismatch',
  'source-sender-mismatch',
  'subject-caseid-mismatch',
  'unstorable-character',
] as const;

export type IssueCode = (typeof ISSUE_CODES)[number];
