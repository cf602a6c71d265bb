export {
  canonicalRequest,
  signRequest,
  verifyRequest,
  bodyHash,
  HEADER_INSTITUTION,
  HEADER_TIMESTAMP,
  HEADER_SIGNATURE,
  type SignRequestInput,
  type VerifyRequestInput,
  type PrivateKeyInput,
  type PublicKeyInput,
} from './signing.ts';
export { createClient, PlatformError, PlatformUnreachableError, type ClientOptions, type PlatformClient, type InboxQuery } from './client.ts';
export { makeEnvelope, type EnvelopeInput } from './envelope.ts';
export type * from './types.ts';
