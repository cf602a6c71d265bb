/**
 * Request signing for the jiexu platform.
 *
 * Every request an institution makes is signed with its Ed25519 private key over a
 * canonical string; the platform verifies it with the public key in its directory.
 *
 *   canonical = METHOD \n path-with-query \n timestamp \n sha256-hex(body)
 *
 * Headers: X-Jiexu-Institution (the institution id), X-Jiexu-Timestamp (unix ms),
 * X-Jiexu-Signature (base64url Ed25519 signature of the canonical string), and optionally
 * X-Jiexu-Nonce (16–64 base64url characters, used once): when present it is signed too,
 * appended as a fifth line, and the platform refuses a second request with the same nonce
 * within the timestamp window (docs/standard/signatures.md, "Replay").
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

export const HEADER_INSTITUTION = 'X-Jiexu-Institution';
export const HEADER_TIMESTAMP = 'X-Jiexu-Timestamp';
export const HEADER_SIGNATURE = 'X-Jiexu-Signature';
export const HEADER_NONCE = 'X-Jiexu-Nonce';
/** What a nonce may be: 16–64 base64url characters. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** A fresh nonce: 128 random bits, base64url. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** sha256 hex digest of a request body; an empty or missing body hashes the empty string. */
export function bodyHash(body: Uint8Array | string | undefined | null): string {
  const hash = createHash('sha256');
  if (body !== undefined && body !== null) hash.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return hash.digest('hex');
}

/** The exact string that is signed: `${METHOD}\n${pathWithQuery}\n${timestamp}\n${sha256 hex of body}`, then `\n${nonce}` when a nonce is sent. */
export function canonicalRequest(method: string, pathWithQuery: string, timestamp: string, body: Uint8Array | string, nonce?: string): string {
  const base = `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${bodyHash(body)}`;
  return nonce === undefined ? base : `${base}\n${nonce}`;
}

export type PrivateKeyInput = KeyObject | string;
export type PublicKeyInput = KeyObject | string;

function toPrivateKey(key: PrivateKeyInput): KeyObject {
  const k = typeof key === 'string' ? createPrivateKey(key) : key;
  if (k.type !== 'private' || k.asymmetricKeyType !== 'ed25519') {
    throw new Error(`signing key must be an Ed25519 private key (got ${k.type} ${k.asymmetricKeyType ?? 'unknown'})`);
  }
  return k;
}

function toPublicKey(key: PublicKeyInput): KeyObject {
  const k = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  if (k.asymmetricKeyType !== 'ed25519') throw new Error(`verification key must be an Ed25519 public key (got ${k.asymmetricKeyType ?? 'unknown'})`);
  return k;
}

export interface SignRequestInput {
  method: string;
  /** Path and query exactly as sent, e.g. `/v1/inbox?after=12&limit=100`. */
  pathWithQuery: string;
  body?: Uint8Array | string;
  institutionId: string;
  /** A node KeyObject or a PKCS#8 PEM string holding an Ed25519 private key. */
  privateKey: PrivateKeyInput;
  /** Clock override (unix ms), for tests and replays. */
  now?: () => number;
  /** A nonce to sign and send (X-Jiexu-Nonce): the platform accepts the request once. */
  nonce?: string;
}

/** Returns the X-Jiexu-* headers that authenticate one request (three, four with a nonce). */
export function signRequest(input: SignRequestInput): Record<string, string> {
  if (input.nonce !== undefined && !NONCE_PATTERN.test(input.nonce)) throw new Error('a nonce must be 16–64 base64url characters');
  const timestamp = String(Math.trunc(input.now ? input.now() : Date.now()));
  const canonical = canonicalRequest(input.method, input.pathWithQuery, timestamp, input.body ?? '', input.nonce);
  const signature = sign(null, Buffer.from(canonical, 'utf8'), toPrivateKey(input.privateKey)).toString('base64url');
  return {
    [HEADER_INSTITUTION]: input.institutionId,
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_SIGNATURE]: signature,
    ...(input.nonce !== undefined ? { [HEADER_NONCE]: input.nonce } : {}),
  };
}

export interface VerifyRequestInput {
  method: string;
  pathWithQuery: string;
  body?: Uint8Array | string;
  timestamp: string;
  signature: string;
  /** A node KeyObject (public or private) or an SPKI PEM string holding an Ed25519 public key. */
  publicKey: PublicKeyInput;
  /** The X-Jiexu-Nonce header, when the request carried one (it is signed). */
  nonce?: string;
}

/** True when `signature` is a valid base64url Ed25519 signature of the canonical request. Never throws on a bad signature. */
export function verifyRequest(input: VerifyRequestInput): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(input.signature)) return false;
  const canonical = canonicalRequest(input.method, input.pathWithQuery, input.timestamp, input.body ?? '', input.nonce);
  try {
    return verify(null, Buffer.from(canonical, 'utf8'), toPublicKey(input.publicKey), Buffer.from(input.signature, 'base64url'));
  } catch {
    return false;
  }
}
