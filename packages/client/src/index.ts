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
