/**
 * Message validation against the standard. The platform never judges messages itself:
 * it asks `validateDocument` of @jiexu/standard (the envelope schema, the message body
 * schema named by `type`, and the cross-field rules) and returns its Report unchanged.
 */
import * as standard from '@jiexu/standard';
import { makeReport, type Issue, type Report } from '@jiexu/standard';

export type Validator = (doc: unknown) => Report;

// TEMPORARY (until @jiexu/standard exports validateDocument): a structural check of the
// envelope's required fields only. Replace by the standard's validator — remove this block.
const REQUIRED = ['specversion', 'id', 'source', 'type', 'time', 'subject', 'dataschema', 'datacontenttype', 'sender', 'receivers', 'caseid', 'casetype', 'caseversion', 'standardversion', 'data'];
function temporaryEnvelopeCheck(doc: unknown): Report {
  const issues: Issue[] = [];
  const err = (code: string, pointer: string, en: string, zh: string) => issues.push({ severity: 'error', code, pointer, message: { en, zh } });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    err('type-mismatch', '', 'the message must be a JSON object', '消息必须是 JSON 对象');
    return makeReport(issues);
  }
  const env = doc as Record<string, unknown>;
  for (const key of REQUIRED) if (!(key in env)) err('required', `/${key}`, `required property ${key} is missing`, `缺少必填字段 ${key}`);
  if ('receivers' in env && (!Array.isArray(env.receivers) || env.receivers.length === 0 || env.receivers.some((r) => typeof r !== 'string'))) {
    err('type-mismatch', '/receivers', 'receivers must be a non-empty array of institution ids', 'receivers 必须是非空的机构编号数组');
  }
  if ('data' in env && (typeof env.data !== 'object' || env.data === null || Array.isArray(env.data))) err('type-mismatch', '/data', 'data must be an object', 'data 必须是对象');
  for (const key of ['id', 'source', 'type', 'sender', 'caseid', 'casetype', 'caseversion', 'standardversion']) {
    if (key in env && typeof env[key] !== 'string') err('type-mismatch', `/${key}`, `${key} must be a string`, `${key} 必须是字符串`);
  }
  return makeReport(issues);
}
// END TEMPORARY

export function defaultValidator(): Validator {
  const fromStandard = (standard as Record<string, unknown>).validateDocument;
  if (typeof fromStandard === 'function') return (doc) => (fromStandard as Validator)(doc);
  return temporaryEnvelopeCheck;
}
