export * from './report.ts';
export * from './identifiers.ts';
export * from './issue-codes.ts';
export * from './codelists.ts';
export { STORABLE_TEXT_PATTERN, firstUnstorable, isStorableText, unstorableStrings, type UnstorableString } from './storable-text.ts';
export {
  listSchemas,
  schemaFor,
  schemaOf,
  supportedVersions,
  validateDocument,
  validateJsonText,
  validateRecord,
  type SchemaInfo,
  type ValidateOptions,
} from './validate.ts';
export { referenceValidateDocument, referenceValidateRecord } from './reference.ts';
/**
 * The types generated from the schemas: the latest released version's under their plain names
 * (ContributionRecord, Envelope, …), every version's as a namespace (v1_0.ContributionRecord, v1_1.…).
 */
export type * from './generated/types/index.ts';
export * from './json-positions.ts';
export { schemasDir } from './schemas-dir.ts';
export * from './canonical-file.ts';
