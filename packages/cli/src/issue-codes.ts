/**
 * Every issue code the command line adds to a report of its own (it also
 * passes on the other packages' codes). The labels and meanings are in
 * schemas/<version>/codelists/issue-code.json; issue-codes.test.ts keeps every
 * version's list covering this one.
 */
export const CLI_ISSUE_CODES = [
  // jiexu assess: a person whose input file had errors is not assessed
  'input-incomplete',
] as const;

export type CliIssueCode = (typeof CLI_ISSUE_CODES)[number];
