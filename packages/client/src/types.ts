/** Client-facing names for the platform's schemas, taken from the generated OpenAPI types. */
import type { components, paths } from './generated/openapi.ts';

type Schemas = components['schemas'];

export type Envelope = Schemas['Envelope'];
export type Acceptance = Schemas['Acceptance'];
/** What `send` resolves with: the acceptance, and whether this was a replay of an already accepted message. */
export type SendResult = Acceptance & { replayed: boolean };
export type InboxMessage = Schemas['InboxMessage'];
export type InboxPage = Schemas['InboxPage'];
/** What the client found checking a delivered message's sender signature against the directory. */
export type Verification =
  | { status: 'verified'; kid: string; signedAt: string }
  | { status: 'unsigned'; reason: string }
  | { status: 'refused'; code: string; reason: string; kid?: string };
export type VerifiedInboxMessage = InboxMessage & { verification: Verification };
export type VerifiedInboxPage = Omit<InboxPage, 'messages'> & { messages: VerifiedInboxMessage[] };
export type AckResult = Schemas['AckResult'];
export type Institution = Schemas['Institution'];
export type StoredReceipt = Schemas['StoredReceipt'];
/** GET /v1/cases/{caseId}/receipts, each receipt checked by the client against its receiver's keys. */
export type CaseReceipts = { caseId: string; receipts: Array<StoredReceipt & { verification: Verification }> };
export type InstitutionList = paths['/v1/institutions']['get']['responses'][200]['content']['application/json'];
export type StatisticsList = paths['/v1/statistics']['get']['responses'][200]['content']['application/json'];
export type TransferStatistics = Schemas['TransferStatistics'];
export type Step = Schemas['Step'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type CaseSummary = Schemas['CaseSummary'];
export type CaseView = Schemas['Case'];
export type CaseList = paths['/v1/cases']['get']['responses'][200]['content']['application/json'];
export type Problem = Schemas['Problem'];
export type ProblemReport = Schemas['Report'];
export type ReportIssue = Schemas['Issue'];
export type CaseBundle = Schemas['CaseBundle'];
export type AuditPage = paths['/v1/audit']['get']['responses'][200]['content']['application/json'];
