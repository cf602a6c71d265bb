/**
 * Every issue code the platform puts in the Report of a refused message (the case fit:
 * `case-mismatch` and `case-conflict` answers of POST /v1/messages). The labels and
 * meanings are in schemas/<version>/codelists/issue-code.json; a test
 * (packages/cli/src/issue-codes.test.ts) keeps every version's list covering this one.
 * Issues are built as `PlatformIssue`s, so tsc rejects a code not listed here.
 * (Problem `error` values such as `case-mismatch`, `case-conflict`, `invalid-message` name
 * the kind of answer, not an issue: they are documented in openapi.yaml.)
 */
import type { Issue } from '@jiexu/standard';

export const PLATFORM_ISSUE_CODES = [
  'case-unknown-message',
  'case-unknown-type',
  'unknown-receiver',
  'case-not-found',
  'case-id-not-owned',
  'case-wrong-sender',
  'case-wrong-receiver',
  'case-type-mismatch',
  'case-version-changed',
  'case-not-party',
  'case-message-not-allowed',
  'case-wrong-state',
  'case-reply-missing',
  'case-reply-not-own',
  'case-reply-mismatch',
  // the sender's envelope signature (answer 422 invalid-signature; docs/standard/signatures.md)
  'envelope-signature-missing',
  'envelope-signature-malformed',
  'envelope-signature-unknown-key',
  'envelope-signature-key-not-valid',
  'envelope-signature-invalid',
  'envelope-signature-stale',
] as const;

export type PlatformIssueCode = (typeof PLATFORM_ISSUE_CODES)[number];

/** An issue the platform reports: the shared Issue shape with a registered code. */
export type PlatformIssue = Issue & { code: PlatformIssueCode };
