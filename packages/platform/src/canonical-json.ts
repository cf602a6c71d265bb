/**
 * The content hash of a message: SHA-256 hex of its RFC 8785 (JCS) canonical form, by the
 * maintained `canonicalize` package — the same bytes as the envelope digest the client signs
 * and receipts name (`envelopeDigest` of @jiexu/client), so the platform computes it once.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** RFC 8785 canonical JSON: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('cannot canonicalize undefined');
  return text;
}

/** SHA-256 hex of the canonical JSON: the idempotency check's notion of "the same body", and the message's digest. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/** The canonical form's UTF-8 bytes and their SHA-256 hex, computed once: the bytes the envelope signature covers, the hash its digest. */
export function canonicalForm(value: unknown): { bytes: Uint8Array; hash: string } {
  const bytes = Buffer.from(canonicalJson(value), 'utf8');
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
}
