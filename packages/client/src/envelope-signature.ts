/**
 * Signed envelopes (docs/standard/signatures.md): the sending institution signs the
 * envelope itself, so the receiver — and anyone holding the message later — can check who
 * sent exactly these bytes without trusting the platform.
 *
 *   payload   = UTF-8 of the RFC 8785 (JCS) canonical form of the envelope, as sent
 *   signature = JWS compact serialization (RFC 7515) with the payload detached
 *               (Appendix F): `BASE64URL(header)..BASE64URL(signature)`
 *   header    = {"alg":"EdDSA","typ":"jiexu-envelope+jws","kid":<RFC 7638 thumbprint of
 *               the sender's Ed25519 key>,"iat":<Unix seconds when it was signed>}
 *
 * The signature travels beside the envelope (HTTP header X-Jiexu-Envelope-Signature when
 * sending; `signature` next to `envelope` in inbox items, webhook pushes and case bundles).
 * A key verifies a signature only when `iat` lies in the key's validity period in the
 * directory ([notBefore, notAfter)).
 */
import { createHash, createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { base64url, calculateJwkThumbprint, CompactSign, exportJWK } from 'jose';

export const HEADER_ENVELOPE_SIGNATURE = 'X-Jiexu-Envelope-Signature';
export const ENVELOPE_SIGNATURE_TYPE = 'jiexu-envelope+jws';

/** A key of an institution in the directory, with the period in which it may sign. */
export interface DirectoryKey {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  kid: string;
  /** SPKI PEM, Ed25519. */
  publicKey: string;
  /** RFC 3339; null = since the institution was registered. */
  notBefore: string | null;
  /** RFC 3339, exclusive; null = still valid. */
  notAfter: string | null;
}

/** Why a signature does not verify: the platform and the verifiers report these codes. */
export type SignatureFailureCode =
  | 'envelope-signature-missing'
  | 'envelope-signature-malformed'
  | 'envelope-signature-unknown-key'
  | 'envelope-signature-key-not-valid'
  | 'envelope-signature-invalid';

export type SignatureCheck =
  | { valid: true; kid: string; signedAt: string }
  | { valid: false; code: SignatureFailureCode; reason: string; kid?: string; signedAt?: string };

/** The exact bytes that are signed: RFC 8785 canonical JSON of `value`. */
export function canonicalBytes(value: unknown): Uint8Array {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('cannot canonicalize undefined');
  return new TextEncoder().encode(text);
}

/** SHA-256 hex of the canonical form: "the message's digest" (receipts and the audit trail name a message by it). */
export function envelopeDigest(value: unknown): string {
  return createHash('sha256').update(canonicalBytes(value)).digest('hex');
}

function toPublicKey(key: KeyObject | string): KeyObject {
  const k = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  if (k.asymmetricKeyType !== 'ed25519') throw new Error(`key must be Ed25519 (got ${k.asymmetricKeyType ?? 'unknown'})`);
  return k;
}

/** The key id of a public (or private) Ed25519 key: its RFC 7638 JWK thumbprint. */
export async function keyId(key: KeyObject | string): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(toPublicKey(key)), 'sha256');
}

export interface SignOptions {
  /** Signing time (Unix ms), default now; goes into the header as `iat` (seconds). */
  now?: () => number;
  /** Header `typ` (default jiexu-envelope+jws; receipts use jiexu-receipt+jws). */
  typ?: string;
}

/** Signs `value` (an envelope, or a receipt): the detached compact JWS. */
export async function signDetached(value: unknown, privateKey: KeyObject | string, opts: SignOptions = {}): Promise<string> {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw new Error('signing key must be an Ed25519 private key');
  const iat = Math.floor((opts.now ? opts.now() : Date.now()) / 1000);
  const jws = await new CompactSign(canonicalBytes(value))
    .setProtectedHeader({ alg: 'EdDSA', typ: opts.typ ?? ENVELOPE_SIGNATURE_TYPE, kid: await keyId(key), iat })
    .sign(key);
  const [header, , signature] = jws.split('.');
  return `${header}..${signature}`;
}

/** Signs an envelope as its sender: the value of X-Jiexu-Envelope-Signature. */
export function signEnvelope(envelope: unknown, privateKey: KeyObject | string, opts: SignOptions = {}): Promise<string> {
  return signDetached(envelope, privateKey, { ...opts, typ: ENVELOPE_SIGNATURE_TYPE });
}

export interface SignatureHeader {
  alg: string;
  typ?: string;
  kid: string;
  iat: number;
}

/** The protected header of a detached JWS, or a reason it is not one of ours. */
export function readSignatureHeader(jws: unknown, typ = ENVELOPE_SIGNATURE_TYPE): SignatureHeader | { error: string } {
  if (typeof jws !== 'string' || !/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/.test(jws)) return { error: 'not a detached JWS compact serialization (header..signature)' };
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(base64url.decode(jws.split('.')[0])));
  } catch {
    return { error: 'the JWS header is not base64url JSON' };
  }
  if (header.alg !== 'EdDSA') return { error: `alg must be EdDSA, got ${JSON.stringify(header.alg)}` };
  if (header.typ !== typ) return { error: `typ must be ${typ}, got ${JSON.stringify(header.typ)}` };
  if (typeof header.kid !== 'string' || !header.kid) return { error: 'kid missing' };
  if (typeof header.iat !== 'number' || !Number.isInteger(header.iat) || header.iat < 0) return { error: 'iat (signing time, Unix seconds) missing' };
  if (header.crit !== undefined) return { error: 'crit is not supported' };
  return header as unknown as SignatureHeader;
}

/** Parsed public keys by PEM text (parsing is a pure function of the text). */
const parsed = new Map<string, KeyObject>();
function parsedKey(pem: string): KeyObject {
  let key = parsed.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(pem, key);
  }
  return key;
}

/** Whether the key may sign at `at` (ms): notBefore ≤ at < notAfter. */
export function keyValidAt(key: DirectoryKey, at: number): boolean {
  if (key.notBefore !== null && at < Date.parse(key.notBefore)) return false;
  if (key.notAfter !== null && at >= Date.parse(key.notAfter)) return false;
  return true;
}

/**
 * Checks a detached JWS over `value` against the signer's directory keys: the header, the
 * key named by `kid`, the key's validity at the signing time `iat`, and the Ed25519
 * signature over the canonical form. Never throws for a bad signature.
 */
export function verifyDetached(value: unknown, jws: unknown, keys: readonly DirectoryKey[], typ = ENVELOPE_SIGNATURE_TYPE): Promise<SignatureCheck> {
  return verifyDetachedPayload(() => canonicalBytes(value), jws, keys, typ);
}

/**
 * verifyDetached over payload bytes already computed (the canonical form of the value, when
 * the caller needs it anyway — the platform hashes the same bytes for the message's digest).
 * The Ed25519 check is RFC 7515 §5.2 for the one algorithm allowed (EdDSA, RFC 8037): the
 * signature over ASCII(BASE64URL(header) '.' BASE64URL(payload)), verified by node:crypto
 * (the header itself is checked by readSignatureHeader: alg, typ, kid, iat, no crit).
 */
export async function verifyDetachedPayload(payload: Uint8Array | (() => Uint8Array), jws: unknown, keys: readonly DirectoryKey[], typ = ENVELOPE_SIGNATURE_TYPE): Promise<SignatureCheck> {
  if (jws === undefined || jws === null || jws === '') return { valid: false, code: 'envelope-signature-missing', reason: 'no signature' };
  const header = readSignatureHeader(jws, typ);
  if ('error' in header) return { valid: false, code: 'envelope-signature-malformed', reason: header.error };
  const signedAt = new Date(header.iat * 1000).toISOString();
  const key = keys.find((k) => k.kid === header.kid);
  if (!key) return { valid: false, code: 'envelope-signature-unknown-key', reason: `no key ${header.kid} in the signer's directory entry`, kid: header.kid, signedAt };
  if (!keyValidAt(key, header.iat * 1000)) {
    const period = `${key.notBefore ?? 'registration'} – ${key.notAfter ?? 'open'}`;
    return { valid: false, code: 'envelope-signature-key-not-valid', reason: `key ${header.kid} was not valid at the signing time ${signedAt} (valid ${period})`, kid: header.kid, signedAt };
  }
  const [protectedHeader, , signature] = (jws as string).split('.');
  const bytes = typeof payload === 'function' ? payload() : payload;
  let ok = false;
  try {
    const signingInput = Buffer.from(`${protectedHeader}.${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')}`, 'latin1');
    const publicKey = parsedKey(key.publicKey);
    // EdDSA only: any other kind of key would verify under its own default algorithm
    ok = publicKey.asymmetricKeyType === 'ed25519' && verify(null, signingInput, publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    ok = false;
  }
  if (!ok) return { valid: false, code: 'envelope-signature-invalid', reason: `the signature does not match the content (key ${header.kid})`, kid: header.kid, signedAt };
  return { valid: true, kid: header.kid, signedAt };
}

/** verifyDetached for an envelope (typ jiexu-envelope+jws). */
export function verifyEnvelope(envelope: unknown, jws: unknown, keys: readonly DirectoryKey[]): Promise<SignatureCheck> {
  return verifyDetached(envelope, jws, keys, ENVELOPE_SIGNATURE_TYPE);
}

/** verifyEnvelope over the envelope's canonical bytes already computed (canonicalBytes). */
export function verifyEnvelopePayload(canonical: Uint8Array, jws: unknown, keys: readonly DirectoryKey[]): Promise<SignatureCheck> {
  return verifyDetachedPayload(canonical, jws, keys, ENVELOPE_SIGNATURE_TYPE);
}
