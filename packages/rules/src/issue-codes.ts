/**
 * Every issue code the rules report (mergeRecords, assessPerson, transferPlan).
 * The labels and meanings are in schemas/<version>/codelists/issue-code.json;
 * a test (packages/cli/src/issue-codes.test.ts) keeps every version's list
 * covering this one. Issues are built as `RuleIssue`s, so tsc rejects a code
 * not listed here.
 */
import type { Issue } from '@jiexu/standard';

export const RULE_ISSUE_CODES = [
  // merging the inputs
  'conflicting-month',
  'conflicting-account-year',
  'same-months-read-twice',
  // the person's hukou
  'hukou-disagrees',
  'hukou-from-citizen-id',
  'hukou-unknown',
  // the rules applied
  'rule-not-in-force',
  // a transfer plan
  'not-yet-insured-at-new-place',
  'within-province',
  'deadline-estimated',
] as const;

export type RuleIssueCode = (typeof RULE_ISSUE_CODES)[number];

/** An issue the rules report: the shared Issue shape with a registered code. */
export type RuleIssue = Issue & { code: RuleIssueCode };
