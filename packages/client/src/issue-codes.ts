/**
 * Every code `verifyBundle` (bundle.ts) puts on a problem of a case bundle (`jiexu verify
 * --json`). The labels and meanings are in schemas/<version>/codelists/issue-code.json;
 * packages/cli/src/issue-codes.test.ts keeps every version's list covering this one.
 */
export const EVIDENCE_ISSUE_CODES = [
  'bundle-malformed',
  'bundle-message-signature',
  'bundle-message-digest',
  'bundle-message-not-audited',
  'bundle-receipt-signature',
  'bundle-receipt-digest',
  'bundle-audit-chain',
] as const;

export type EvidenceIssueCode = (typeof EVIDENCE_ISSUE_CODES)[number];
