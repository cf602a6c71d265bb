/**
 * @jiexu/adapters: legacy regional exports ⇄ canonical contribution records.
 * Formats are declared as data (formats/<name>/mapping.json); see README.md.
 */
export {
  formats,
  addFormat,
  loadFormats,
  writesFolder,
  getAdapter,
  detectFormat,
  readRecords,
  writeRecords,
  decode,
  encode,
  Decoding,
  AdapterError,
  CANONICAL,
  type Adapter,
  type FormatInfo,
  type DecodeOptions,
  type EncodeOptions,
  type Input,
  type RecordSource,
} from './adapter.ts';
export type { ContributionRecord, Contribution, AccountYear, Person, Employer, Provenance, Position, Scheme, ContributionStatus } from './record.ts';
export type { Mapping, FieldSpec } from './mapping.ts';
export { MappingError } from './mapping.ts';
export { formatIssueCodes, formatDirsFromEnv } from './registry.ts';
export { preloadFormatCode } from './outside.ts';
export * from './sdk.ts';
export { LEGACY_ISSUE_CODES, type LegacyIssueCode, type AdapterIssueCode } from './issue-codes.ts';
export { trackTemp, removeTemp, keepTemp } from './temp.ts';
export { mergeBatches, mergeSorted, type MergeSource, type MergeOptions } from './merge.ts';
export { DEFAULT_LIMITS, LIMIT_OPTIONS, type Limits } from './limits.ts';
