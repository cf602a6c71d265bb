/** @jiexu/platform — the reference national transfer platform (HTTP + PostgreSQL or PGlite). */
export { startPlatform, DEFAULT_PORT, type PlatformOptions, type RunningPlatform } from './platform.ts';
export { openStorage, StorageError, DEFAULT_DATA_DIR, type Storage, type StorageOptions } from './storage.ts';
export { migrate, type Db, type Queryable } from './db.ts';
export {
  addInstitution,
  listInstitutions,
  getInstitution,
  disableInstitution,
  setInstitutionStatus,
  setWebhook,
  addPublicKey,
  removePublicKey,
  generateKeyPair,
  normalisePublicKey,
  setStandardVersion,
  DirectoryError,
  type Institution,
  type NewInstitution,
} from './directory.ts';
export { sendOverdueReminders, getCase, listCases, type CaseView, type CaseSummary, type CaseStep } from './cases.ts';
export { PLATFORM_ID, PLATFORM_SOURCE, type Envelope, type Acceptance } from './messages.ts';
export { loadCatalogue, type Catalogue } from './catalogue.ts';
export { maskIdentifiers } from './mask.ts';
export { DEFAULT_BODY_LIMIT, MAX_PATH_PARAM_LENGTH, MAX_SKEW_MS } from './server.ts';
export type { StaticFiles } from './static-files.ts';
export { deliverIn, type Delivered, type DeliveryMigration } from './delivery.ts';
export { PLATFORM_ISSUE_CODES, type PlatformIssueCode, type PlatformIssue } from './issue-codes.ts';
export { transferStatistics, type TransferStatistics } from './statistics.ts';
export { readAudit, caseAudit, checkAuditChain, type AuditQuery } from './audit.ts';
export { caseReceipts, storeReceipts, ReceiptError, type StoredReceipt } from './receipts.ts';
export { caseBundle, type CaseBundle } from './bundle.ts';
export { ensurePlatformKey, platformKeys, type PlatformKey } from './platform-key.ts';
export { draftCatalogue, draftValidator, latestListedVersion, standardChoices, standardOptions, type StandardChoice } from './draft-standard.ts';
export { addOperatorKey, removeOperatorKey, signInStatement, SIGNIN_TYPE, SESSION_LIFETIME_MS, type Viewer, type SessionInfo } from './console-sessions.ts';
