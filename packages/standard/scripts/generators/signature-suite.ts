/**
 * The signature section of the conformance suite: schemas/<version>/tests/signatures.json for
 * every released version. Each case is an envelope (a valid example of the version), the
 * sender's public key (a JWK), a detached JWS and what a verifier must conclude — `valid`, and
 * for an invalid one the envelope-signature-* issue code. The check is specified step by step
 * in docs/standard/conformance.md §10 (the signature itself: docs/standard/signatures.md);
 * layout: schemas/TESTS.md.
 *
 * Deterministic: the keys are fixed test vectors (scripts/conformance/signature-test-keys.json,
 * published on purpose), `iat` is fixed, and Ed25519 signatures are deterministic. Written with
 * node:crypto and `canonicalize` (RFC 8785) only — the standard does not depend on
 * @jiexu/client; packages/client/src/signature-suite.test.ts runs the cases through its
 * verification, examples/other-languages/python/check_suite.py through an independent one.
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { readVersions } from '../../../versioning/src/versions.ts';
import type { Expected } from '../conformance/extra-cases.ts';
import { GENERATED_NOTICE, type GeneratedFile } from './common.ts';

/** The envelope the cases sign (a valid example of every version; names in Chinese, integers only). */
const ENVELOPE = 'envelope/examples/valid/pension-transfer-application.json';
/** The signing time of every case: 2026-03-16T02:00:00Z. */
const IAT = 1773626400;
const TYP = 'jiexu-envelope+jws';

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

export interface SignatureTest {
  description: string;
  /** The envelope as received. */
  envelope: unknown;
  /** The sender's key in the directory (validity period open). */
  publicKey: PublicJwk;
  /** The detached JWS that came with it. */
  jws: string;
  valid: boolean;
  /** [] or the one envelope-signature-* issue (severity error, no pointer). */
  expected: Expected[];
}

export interface SignatureGroup {
  comment: string;
  description: string;
  /** Marks a signature group (instead of `schema`): the check of conformance.md §10. */
  signature: 'detached-jws';
  tests: SignatureTest[];
}

interface TestKey extends PublicJwk {
  name: string;
  d: string;
}

const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');

/** RFC 7638 thumbprint of an Ed25519 JWK: SHA-256 of {"crv","kty","x"} in that order, base64url. */
export function thumbprint(jwk: PublicJwk): string {
  return createHash('sha256').update(`{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`).digest('base64url');
}

/** RFC 8785 canonical form; refuses non-integer numbers (the suite's envelopes have none, so JCS stays simple for checkers). */
function jcs(value: unknown): string {
  const walk = (v: unknown): void => {
    if (typeof v === 'number' && !Number.isInteger(v)) throw new Error(`signature suite: ${ENVELOPE} holds a non-integer number`);
    if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  const text = canonicalize(value);
  if (text === undefined) throw new Error('cannot canonicalize');
  return text;
}

/** `BASE64URL(header).BASE64URL(JCS(envelope))` signed with `key`: the attached compact JWS parts. */
function signParts(header: Record<string, unknown> | string, envelope: unknown, key: KeyObject): [string, string, string] {
  const h = b64(typeof header === 'string' ? header : JSON.stringify(header));
  const p = b64(jcs(envelope));
  return [h, p, b64(sign(null, Buffer.from(`${h}.${p}`, 'ascii'), key))];
}

const detached = ([h, , s]: [string, string, string]) => `${h}..${s}`;
const fail = (code: string): Expected[] => [{ code, severity: 'error' }];

export async function generate(root: string): Promise<GeneratedFile[]> {
  const { keys } = JSON.parse(readFileSync(path.join(root, 'packages/standard/scripts/conformance/signature-test-keys.json'), 'utf8')) as { keys: TestKey[] };
  const [signer, other] = ['signer', 'other'].map((n) => keys.find((k) => k.name === n)!);
  const priv = (k: TestKey) => createPrivateKey({ key: { kty: k.kty, crv: k.crv, x: k.x, d: k.d }, format: 'jwk' });
  const signerKey = priv(signer);
  const otherKey = priv(other);
  const publicKey: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: signer.x };
  const kid = thumbprint(publicKey);
  const header = { alg: 'EdDSA', typ: TYP, kid, iat: IAT };

  const out: GeneratedFile[] = [];
  const released = readVersions(path.join(root, 'schemas')).versions.filter((v) => v.status === 'released');
  for (const { version } of released) {
    const envelope = JSON.parse(readFileSync(path.join(root, 'schemas', version, ENVELOPE), 'utf8')) as Record<string, unknown>;
    const good = signParts(header, envelope, signerKey);
    const changed = { ...envelope, id: `${String(envelope.id).slice(0, -1)}${String(envelope.id).endsWith('0') ? '1' : '0'}` };
    const t = (description: string, jws: string, expected: Expected[], env: unknown = envelope): SignatureTest => ({ description, envelope: env, publicKey, jws, valid: expected.length === 0, expected });
    const tests: SignatureTest[] = [
      t('a good signature', detached(good), []),
      t('the envelope changed by one byte after signing (the last character of id)', detached(good), fail('envelope-signature-invalid'), changed),
      t('signed by another key, with the sender key\'s kid', detached(signParts(header, envelope, otherKey)), fail('envelope-signature-invalid')),
      t('kid names another key (the thumbprint of a key the sender does not have)', detached(signParts({ ...header, kid: thumbprint({ kty: 'OKP', crv: 'Ed25519', x: other.x }) }, envelope, signerKey)), fail('envelope-signature-unknown-key')),
      t('alg is not EdDSA (ES256)', detached(signParts({ ...header, alg: 'ES256' }, envelope, signerKey)), fail('envelope-signature-malformed')),
      t('typ is not jiexu-envelope+jws (a receipt\'s jiexu-receipt+jws)', detached(signParts({ ...header, typ: 'jiexu-receipt+jws' }, envelope, signerKey)), fail('envelope-signature-malformed')),
      t('typ missing', detached(signParts({ alg: 'EdDSA', kid, iat: IAT }, envelope, signerKey)), fail('envelope-signature-malformed')),
      t('iat missing', detached(signParts({ alg: 'EdDSA', typ: TYP, kid }, envelope, signerKey)), fail('envelope-signature-malformed')),
      t('crit present', detached(signParts({ ...header, crit: ['b64'], b64: true }, envelope, signerKey)), fail('envelope-signature-malformed')),
      t('malformed JWS: header and signature joined by one dot', `${good[0]}.${good[2]}`, fail('envelope-signature-malformed')),
      t('malformed JWS: the header is not base64url JSON', detached(signParts('{"alg":"EdDSA",', envelope, signerKey)), fail('envelope-signature-malformed')),
      t('payload not detached (header.payload.signature)', good.join('.'), fail('envelope-signature-malformed')),
    ];
    const group: SignatureGroup = {
      comment: `${GENERATED_NOTICE}. The signature cases of standard version ${version}: see schemas/TESTS.md and docs/standard/conformance.md §10. The keys are test vectors (packages/standard/scripts/conformance/signature-test-keys.json), never to be trusted.`,
      description: `envelope signatures (detached JWS, EdDSA over JCS); signing key kid ${kid}, iat ${IAT}`,
      signature: 'detached-jws',
      tests,
    };
    out.push({ path: `schemas/${version}/tests/signatures.json`, content: `${JSON.stringify([group], null, 2)}\n` });
  }
  return out;
}
