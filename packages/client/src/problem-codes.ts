/**
 * Every `error` code the platform puts in an HTTP problem answer (`{error, message, report?}`),
 * with the status it comes with and its label in Chinese and English: the one list the platform
 * types its answers with (an unknown code does not compile there), `openapi.yaml` enumerates
 * (packages/platform/src/problem-codes.test.ts keeps the two equal) and a client shows a user.
 * The answer's `message` is the platform's own English sentence about the instance; the label
 * says what the code means.
 */
export const PROBLEM_CODES = {
  'bad-request': { status: [400], zh: '请求有误', en: 'bad request' },
  unauthorized: { status: [401], zh: '未通过身份认证', en: 'not authenticated' },
  forbidden: { status: [403], zh: '无权访问', en: 'not allowed' },
  'sender-mismatch': { status: [403], zh: '发送方与认证机构不符', en: 'the sender is not the authenticated institution' },
  'not-found': { status: [404], zh: '不存在', en: 'not found' },
  'idempotency-conflict': { status: [409], zh: '同一 source + id 已用于另一报文', en: 'this source + id was used for another message' },
  'case-conflict': { status: [409], zh: '案件已被同时修改或已结案', en: 'the case changed meanwhile or is closed' },
  'body-too-large': { status: [413], zh: '请求体过大', en: 'request body too large' },
  'uri-too-long': { status: [414], zh: '请求路径过长', en: 'request path too long' },
  'unsupported-media-type': { status: [415], zh: '不支持的内容类型', en: 'unsupported content type' },
  'invalid-message': { status: [422], zh: '报文不符合标准', en: 'the message does not conform to the standard' },
  'case-mismatch': { status: [422], zh: '报文与案件不符', en: 'the message does not fit its case' },
  'invalid-signature': { status: [422], zh: '报文签名无效', en: 'the envelope signature is not valid' },
  'invalid-receipt': { status: [422], zh: '回执无效', en: 'a receipt is not valid' },
  'internal-error': { status: [500], zh: '平台内部错误', en: 'internal error of the platform' },
  unavailable: { status: [503], zh: '平台暂不可用', en: 'the platform is unavailable' },
} as const satisfies Record<string, { status: readonly number[]; zh: string; en: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** The code's label, or undefined for a code this client does not know (a newer platform's). */
export function problemLabel(code: string): { zh: string; en: string } | undefined {
  return Object.hasOwn(PROBLEM_CODES, code) ? PROBLEM_CODES[code as ProblemCode] : undefined;
}
