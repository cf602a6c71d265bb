export * from './report.ts';
export * from './identifiers.ts';
export * from './issue-codes.ts';
export { listSchemas, schemaFor, validateDocument, validateJsonText, validateRecord, type SchemaInfo, type ValidateOptions } from './validate.ts';
/** The types of the standard's latest version, generated from its schemas (ContributionRecord, Envelope, …). */
export type * from './generated/types/v1.0.ts';
export * from './json-positions.ts';
