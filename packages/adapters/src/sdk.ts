/**
 * @jiexu/adapters/sdk: what a format's own code (framing.*, hooks.*) builds
 * on. Stable across minor versions of @jiexu/adapters; the Framing interface
 * carries its own version (FRAMING_API_VERSION). See docs/adapters.md#framings.
 */
export { defineFraming, registerFraming, FRAMING_API_VERSION, type Framing, type ReadSource, type WriteTarget, type Part, type JsonSchema } from './framing/index.ts';
export { inPart, partOfPosition } from './framing/parts.ts';
export { Sink, decodeFields, encodeFields, personValues, contributionRows, accountRows, recordLabel, decodedText, lineBatches, type DecodeContext, type EncodeContext, type LineBatch } from './framing/common.ts';
export { decodeValue, encodeValue, isProblemValue, type Raw, type Value } from './values.ts';
export { decodeText, encodeText, decodeWithTable, encodeWithTable } from './encoding.ts';
export { problem, type Problem, type Issues } from './issues.ts';
export type { LegacyRow, RowValues, FileHeader, FieldHook, Hooks } from './rows.ts';
export type { Mapping, FieldSpec, FieldType, Target, WriterOptions, FormatIssueCode } from './mapping.ts';
export type { ContributionRecord, Position } from './record.ts';
