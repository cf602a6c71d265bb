export {
  canonicalRequest,
  signRequest,
  verifyRequest,
  bodyHash,
  HEADER_INSTITUTION,
  HEADER_TIMESTAMP,
  HEADER_SIGNATURE,
  HEADER_NONCE,
  NONCE_PATTERN,
  newNonce,
  type SignRequestInput,
  type VerifyRequestInput,
  type PrivateKeyInput,
  type PublicKeyInput,
} from './signing.ts';
export { createClient, PlatformError, PlatformUnreachableError, type ClientOptions, type PlatformClient, type InboxQuery } from './client.ts';
export { makeEnvelope, type EnvelopeInput } from './envelope.ts';
export {
  HEADER_ENVELOPE_SIGNATURE,
  ENVELOPE_SIGNATURE_TYPE,
  canonicalBytes,
  envelopeDigest,
  keyId,
  keyValidAt,
  signDetached,
  signEnvelope,
  verifyDetached,
  verifyDetachedPayload,
  verifyEnvelope,
  verifyEnvelopePayload,
  readSignatureHeader,
  type DirectoryKey,
  type SignatureCheck,
  type SignatureFailureCode,
  type SignatureHeader,
  type SignOptions,
} from './envelope-signature.ts';
export type * from './types.ts';
export { RECEIPT_SIGNATURE_TYPE, receiptFor, signReceipt, verifyReceipt, type Receipt, type SignedReceipt } from './receipts.ts';
export { auditHash, checkChain, GENESIS_HASH, type AuditEntry, type ChainCheck } from './audit-chain.ts';
export { verifyBundle, type CaseBundleFile, type BundleCheck, type BundleProblem, type BundleProblemCode, type BundleMessage } from './bundle.ts';
export { EVIDENCE_ISSUE_CODES, type EvidenceIssueCode } from './issue-codes.ts';
export { PROBLEM_CODES, problemLabel, type ProblemCode } from './problem-codes.ts';
