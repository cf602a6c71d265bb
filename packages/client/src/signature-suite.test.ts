/**
 * The signature cases of the conformance suite (schemas/<version>/tests/signatures.json,
 * docs/standard/conformance.md §10) through @jiexu/client's verification: each case's key
 * becomes the sender's one directory key (SPKI PEM, kid = its thumbprint by keyId, validity
 * open), and verifyEnvelope must find the case valid, or invalid with the expected code.
 */
import { describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyId, verifyEnvelope } from './envelope-signature.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface SignatureGroup {
  signature: string;
  tests: Array<{ description: string; envelope: unknown; publicKey: { kty: string; crv: string; x: string }; jws: string; valid: boolean; expected: Array<{ code: string }> }>;
}

const released = (JSON.parse(readFileSync(path.join(root, 'schemas/versions.json'), 'utf8')) as { versions: Array<{ version: string; status: string }> }).versions
  .filter((v) => v.status === 'released')
  .map((v) => v.version);

for (const version of released) {
  describe(`signature cases of ${version}`, () => {
    const groups = JSON.parse(readFileSync(path.join(root, 'schemas', version, 'tests', 'signatures.json'), 'utf8')) as SignatureGroup[];
    const tests = groups.flatMap((g) => g.tests);

    it('has a good case and a case for every code a signature alone can raise', () => {
      expect(tests.filter((t) => t.valid).length).toBeGreaterThan(0);
      expect([...new Set(tests.flatMap((t) => t.expected.map((e) => e.code)))].sort()).toEqual(['envelope-signature-invalid', 'envelope-signature-malformed', 'envelope-signature-unknown-key']);
    });

    for (const t of tests) {
      it(t.description, async () => {
        const publicKey = createPublicKey({ key: t.publicKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
        const check = await verifyEnvelope(t.envelope, t.jws, [{ kid: await keyId(publicKey), publicKey, notBefore: null, notAfter: null }]);
        expect(check.valid, JSON.stringify(check)).toBe(t.valid);
        if (!check.valid) expect([check.code]).toEqual(t.expected.map((e) => e.code));
        else expect(t.expected).toEqual([]);
      });
    }
  });
}
