import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, verify } from 'node:crypto';
import { canonicalRequest, signRequest, verifyRequest, bodyHash } from './signing.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

describe('canonicalRequest', () => {
  it('joins method, path, timestamp and the body hash with newlines', () => {
    // sha256("") and sha256("abc") are the FIPS 180-2 test vectors
    expect(canonicalRequest('get', '/v1/inbox?after=3', '1700000000000', '')).toBe(
      'GET\n/v1/inbox?after=3\n1700000000000\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(canonicalRequest('POST', '/v1/messages', '1', 'abc')).toBe(
      'POST\n/v1/messages\n1\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('hashes strings as UTF-8, the same as their bytes', () => {
    const text = '{"name":"高强兰"}';
    expect(bodyHash(text)).toBe(bodyHash(new TextEncoder().encode(text)));
    expect(bodyHash(text)).not.toBe(bodyHash(Buffer.from(text, 'latin1')));
  });
});

describe('signRequest', () => {
  const body = JSON.stringify({ id: 'm-1', data: { amount: 12345 } });
  const headers = signRequest({ method: 'POST', pathWithQuery: '/v1/messages', body, institutionId: 'cn-210100-si', privateKey, now: () => 1764372000123 });

  it('returns the institution, the unix-ms timestamp and a base64url signature', () => {
    expect(headers['X-Jiexu-Institution']).toBe('cn-210100-si');
    expect(headers['X-Jiexu-Timestamp']).toBe('1764372000123');
    expect(headers['X-Jiexu-Signature']).toMatch(/^[A-Za-z0-9_-]{86}$/); // 64 bytes, unpadded
  });

  it('signs exactly the canonical string (checked with node:crypto directly)', () => {
    const canonical = `POST\n/v1/messages\n1764372000123\n${bodyHash(body)}`;
    const sig = Buffer.from(headers['X-Jiexu-Signature'], 'base64url');
    expect(verify(null, Buffer.from(canonical), publicKey, sig)).toBe(true);
  });

  it('accepts a PKCS#8 PEM private key', () => {
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const h = signRequest({ method: 'GET', pathWithQuery: '/v1/cases', institutionId: 'x', privateKey: pem, now: () => 5 });
    expect(verifyRequest({ method: 'GET', pathWithQuery: '/v1/cases', timestamp: '5', signature: h['X-Jiexu-Signature'], publicKey })).toBe(true);
  });

  it('refuses a key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => signRequest({ method: 'GET', pathWithQuery: '/', institutionId: 'x', privateKey: rsa })).toThrow(/Ed25519/);
  });
});

describe('verifyRequest', () => {
  const base = { method: 'POST', pathWithQuery: '/v1/messages', body: '{"a":1}' };
  const h = signRequest({ ...base, institutionId: 'i', privateKey, now: () => 42 });
  const sig = h['X-Jiexu-Signature'];
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('accepts the untouched request with a KeyObject or an SPKI PEM', () => {
    expect(verifyRequest({ ...base, timestamp: '42', signature: sig, publicKey })).toBe(true);
    expect(verifyRequest({ ...base, timestamp: '42', signature: sig, publicKey: pem })).toBe(true);
  });

  it('rejects any change to body, path, method, timestamp or key', () => {
    expect(verifyRequest({ ...base, body: '{"a":2}', timestamp: '42', signature: sig, publicKey })).toBe(false);
    expect(verifyRequest({ ...base, pathWithQuery: '/v1/messages?x=1', timestamp: '42', signature: sig, publicKey })).toBe(false);
    expect(verifyRequest({ ...base, method: 'PUT', timestamp: '42', signature: sig, publicKey })).toBe(false);
    expect(verifyRequest({ ...base, timestamp: '43', signature: sig, publicKey })).toBe(false);
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(verifyRequest({ ...base, timestamp: '42', signature: sig, publicKey: other })).toBe(false);
  });

  it('returns false (does not throw) for garbage signatures', () => {
    expect(verifyRequest({ ...base, timestamp: '42', signature: 'not base64!', publicKey })).toBe(false);
    expect(verifyRequest({ ...base, timestamp: '42', signature: 'AAAA', publicKey })).toBe(false);
  });
});
