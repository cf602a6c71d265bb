/** Client-facing names for the platform's schemas, taken from the generated OpenAPI types. */
import type { components, paths } from './generated/openapi.ts';

type Schemas = components['schemas'];

export type Envelope = Schemas['Envelope'];
export type Acceptance = Schemas['Acceptance'];
/** What `send` resolves with: the acceptance, and whether this was a replay of an already accepted message. */
export type SendResult = Acceptance & { replayed: boolean };
export type InboxMessage = Schemas['InboxMessage'];
export type InboxPage = Schemas['InboxPage'];
export type AckResult = Schemas['AckResult'];
export type Institution = Schemas['Institution'];
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
