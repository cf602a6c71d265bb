/**
 * The accept path's check of the sender's envelope signature (docs/standard/signatures.md):
 * the detached JWS from X-Jiexu-Envelope-Signature must verify over the envelope's RFC 8785
 * form with a key of the sender that was valid when it signed, and it must have signed
 * recently (its `iat` within the request clock skew of the platform's clock) — so a key
 * that was removed cannot sign "in the past".
 */
import { verifyEnvelopePayload, type DirectoryKey, type SignatureFailureCode } from '@jiexu/client';
import type { PlatformIssue, PlatformIssueCode } from './issue-codes.ts';

/** How far the signing time may be from the platform's clock (the same as for request timestamps). */
export const MAX_SIGNATURE_SKEW_MS = 300_000;

/** The platform's issue code for each way a signature fails. */
const CODES: Record<SignatureFailureCode, PlatformIssueCode> = {
  'envelope-signature-missing': 'envelope-signature-missing',
  'envelope-signature-malformed': 'envelope-signature-malformed',
  'envelope-signature-unknown-key': 'envelope-signature-unknown-key',
  'envelope-signature-key-not-valid': 'envelope-signature-key-not-valid',
  'envelope-signature-invalid': 'envelope-signature-invalid',
};

const ZH: Record<PlatformIssueCode & `envelope-signature-${string}`, string> = {
  'envelope-signature-missing': '消息缺少发送机构的签名（X-Jiexu-Envelope-Signature）',
  'envelope-signature-malformed': '消息签名格式不正确',
  'envelope-signature-unknown-key': '签名所用密钥不在发送机构的目录条目中',
  'envelope-signature-key-not-valid': '签名时该密钥不在有效期内',
  'envelope-signature-invalid': '签名与消息内容不符',
  'envelope-signature-stale': '签名时间与平台时钟相差过大',
};

function issue(code: PlatformIssueCode & `envelope-signature-${string}`, en: string): PlatformIssue {
  return { severity: 'error', code, pointer: '', message: { en, zh: ZH[code] } };
}

/**
 * The signature to store, or the issue that refuses the message (answer 422 invalid-signature).
 * `canonical`: the envelope's RFC 8785 canonical bytes (canonicalForm), the bytes the signature covers.
 */
export async function checkEnvelopeSignature(
  canonical: Uint8Array,
  signature: string | undefined,
  keys: readonly DirectoryKey[],
  now: Date,
): Promise<{ signature: string } | { issue: PlatformIssue }> {
  if (signature === undefined || signature === '') {
    return { issue: issue('envelope-signature-missing', 'the envelope carries no signature of its sender: send the detached JWS in X-Jiexu-Envelope-Signature') };
  }
  const check = await verifyEnvelopePayload(canonical, signature, keys);
  if (!check.valid) {
    const code = CODES[check.code] as PlatformIssueCode & `envelope-signature-${string}`;
    return { issue: issue(code, `envelope signature: ${check.reason}`) };
  }
  const skew = Math.abs(Date.parse(check.signedAt) - now.getTime());
  // iat has whole seconds: allow the second it was truncated to
  if (skew > MAX_SIGNATURE_SKEW_MS + 1000) {
    return { issue: issue('envelope-signature-stale', `envelope signature: signed at ${check.signedAt}, ${Math.round(skew / 1000)} s from the platform's clock (at most ${MAX_SIGNATURE_SKEW_MS / 1000} s)`) };
  }
  return { signature };
}
