/**
 * Signing in from the browser (docs/console.md): the private key file the user picks is read
 * and imported into WebCrypto here, signs the platform's one-time challenge, and is dropped —
 * it is never sent anywhere. The signature is the standard's construction (a detached JWS,
 * EdDSA, `kid` = the key's RFC 7638 thumbprint, over the RFC 8785 form of the statement), with
 * `typ` jiexu-console-signin+jws; the platform answers with an HttpOnly session cookie.
 */
import canonicalize from 'canonicalize';
import { calculateJwkThumbprint, CompactSign, exportJWK, importPKCS8 } from 'jose';

export const SIGNIN_TYPE = 'jiexu-console-signin+jws';

/** Why signing in failed, in both languages. */
export class SignInFailure extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

/** The key from a PKCS#8 PEM file (what `jiexu platform keygen` writes), as a non-extractable signing key and its kid. */
export async function importSigningKey(pem: string): Promise<{ key: CryptoKey; kid: string }> {
  if (!/-----BEGIN PRIVATE KEY-----/.test(pem)) {
    throw new SignInFailure('所选文件不是 PKCS#8 PEM 私钥（应以 -----BEGIN PRIVATE KEY----- 开头，例如 jiexu platform keygen 写出的 .key 文件）', 'the file is not a PKCS#8 PEM private key (it should begin with -----BEGIN PRIVATE KEY-----, like the .key file of jiexu platform keygen)');
  }
  let extractable: CryptoKey;
  try {
    // extractable once, to compute the public part's thumbprint; the key used to sign is not
    extractable = (await importPKCS8(pem, 'EdDSA', { extractable: true })) as CryptoKey;
  } catch (err) {
    throw new SignInFailure(`无法读取私钥（须为 Ed25519）：${(err as Error).message}`, `cannot read the private key (it must be Ed25519): ${(err as Error).message}`);
  }
  const jwk = await exportJWK(extractable);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'sha256');
  const key = (await importPKCS8(pem, 'EdDSA', { extractable: false })) as CryptoKey;
  return { key, kid };
}

async function problemOf(res: Response): Promise<SignInFailure> {
  let body: { message?: string; zh?: string } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON
  }
  return new SignInFailure(body.zh ?? `平台拒绝登录（${res.status}）`, body.message ?? `the platform refused the sign-in (${res.status})`);
}

/** Gets a challenge, signs it with the key, opens the session. Resolves with the session the platform answered. */
export async function signIn(platformUrl: string, principal: string, pem: string): Promise<unknown> {
  const { key, kid } = await importSigningKey(pem);
  const ch = await fetch(`${platformUrl}/v1/console/challenge`, { method: 'POST', credentials: 'same-origin' });
  if (!ch.ok) throw await problemOf(ch);
  const { challenge } = (await ch.json()) as { challenge: string };
  const statement = { type: 'jiexu.console-signin', principal, challenge, origin: location.origin };
  const jws = await new CompactSign(new TextEncoder().encode(canonicalize(statement)!))
    .setProtectedHeader({ alg: 'EdDSA', typ: SIGNIN_TYPE, kid, iat: Math.floor(Date.now() / 1000) })
    .sign(key);
  const [header, , signature] = jws.split('.');
  const res = await fetch(`${platformUrl}/v1/console/session`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ principal, challenge, signature: `${header}..${signature}` }),
  });
  if (!res.ok) throw await problemOf(res);
  return res.json();
}
