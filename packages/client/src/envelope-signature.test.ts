/**
 * The Ed25519 check of a detached envelope JWS (envelope-signature.ts) beyond the standard's
 * signature cases (signature-suite.test.ts): over bytes the caller computed, with a key of
 * another type under the kid named, with a signature of the wrong length.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, keyId, signEnvelope, verifyEnvelope, verifyEnvelopePayload, type DirectoryKey } from './envelope-signature.ts';
import { makeEnvelope } from './envelope.ts';

const envelope = makeEnvelope({ message: 'pension.transfer-application', sender: '360100-si', receivers: ['110100-si'], caseId: '360100-si:T-1', caseType: 'pension-transfer', data: { note: '接续' } });

async function signed() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keys: DirectoryKey[] = [{ kid: await keyId(publicKey), publicKey: pem, notBefore: null, notAfter: null }];
  return { jws: await signEnvelope(envelope, privateKey), keys };
}

describe('the envelope signature check', () => {
  it('verifies over the canonical bytes given as over the envelope, and refuses other bytes', async () => {
    const { jws, keys } = await signed();
    expect(await verifyEnvelope(envelope, jws, keys)).toMatchObject({ valid: true });
    expect(await verifyEnvelopePayload(canonicalBytes(envelope), jws, keys)).toMatchObject({ valid: true });
    const other = canonicalBytes({ ...envelope, id: `${envelope.id}x` });
    expect(await verifyEnvelopePayload(other, jws, keys)).toMatchObject({ valid: false, code: 'envelope-signature-invalid' });
  });

  it('refuses an RSA key under the kid named: EdDSA only, never the key type default algorithm', async () => {
    const { jws, keys } = await signed();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const [header] = jws.split('.');
    // an RSA signature over the same signing input, under the EdDSA header
    const input = Buffer.from(`${header}.${Buffer.from(canonicalBytes(envelope)).toString('base64url')}`);
    const forged = `${header}..${sign(null, input, rsa.privateKey).toString('base64url')}`;
    const rsaKeys = [{ ...keys[0], publicKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() }];
    expect(await verifyEnvelope(envelope, forged, rsaKeys)).toMatchObject({ valid: false, code: 'envelope-signature-invalid' });
  });

  it('answers a signature of the wrong length as invalid, without throwing', async () => {
    const { jws, keys } = await signed();
    const [header, , signature] = jws.split('.');
    expect(await verifyEnvelope(envelope, `${header}..${signature.slice(0, 40)}`, keys)).toMatchObject({ valid: false, code: 'envelope-signature-invalid' });
    expect(await verifyEnvelope(envelope, `${header}..${signature}AAAA`, keys)).toMatchObject({ valid: false, code: 'envelope-signature-invalid' });
  });
});
