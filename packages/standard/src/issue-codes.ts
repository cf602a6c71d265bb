/**
 * Every issue code the standard's validator reports. The labels and meanings
 * are in schemas/<version>/codelists/issue-code.json (a test keeps each version's list equal to this one).
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
] as const;

export type IssueCode = (typeof ISSUE_CODES)[number];
