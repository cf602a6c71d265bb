/**
 * Console sign-in (docs/console.md, migration 011): the browser proves it holds a key of an
 * institution (or of the operator) by signing a single-use challenge of the platform, and
 * gets a short-lived session in an HttpOnly, SameSite=Strict cookie. The private key never
 * leaves the browser; the platform stores only the SHA-256 of the session token, and checks
 * on every request that the institution is still active and the key still current.
 */
import { createHash, randomBytes } from 'node:crypto';
import { keyId, verifyDetached, type DirectoryKey } from '@jiexu/client';
import type { Queryable } from './db.ts';
import { normalisePublicKey, DirectoryError } from './directory.ts';
import { PLATFORM_ID } from './messages.ts';

/** The JWS `typ` of a sign-in statement. */
export const SIGNIN_TYPE = 'jiexu-console-signin+jws';
/** The `type` inside the signed statement. */
export const SIGNIN_STATEMENT = 'jiexu.console-signin';
export const SESSION_COOKIE = 'jiexu_console';
export const CHALLENGE_LIFETIME_MS = 120_000;
export const SESSION_LIFETIME_MS = 30 * 60_000;
/** Unused challenges that may be outstanding at once (sign-in is unauthenticated: bounded). */
export const MAX_OPEN_CHALLENGES = 10_000;

/** Who is signed in: an institution (sees its own cases) or the platform operator (sees all). */
export type Viewer = { kind: 'institution'; id: string; region: string; name: string } | { kind: 'operator'; id: typeof PLATFORM_ID };

export interface SessionInfo {
  viewer: Viewer;
  kid: string;
  expiresAt: string;
}

/** A sign-in that does not go through; `message` is English, `zh` Chinese. */
export class SignInError extends Error {
  constructor(
    readonly status: 400 | 401 | 429,
    message: string,
    readonly zh: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A fresh challenge, stored for one use within CHALLENGE_LIFETIME_MS. */
export async function issueChallenge(q: Queryable, now: Date): Promise<{ challenge: string; expiresAt: string }> {
  await q.query(`DELETE FROM console_challenges WHERE expires_at < $1`, [now]);
  const [{ open }] = await q.query(`SELECT count(*)::int AS open FROM console_challenges WHERE used_at IS NULL`);
  if (open >= MAX_OPEN_CHALLENGES) throw new SignInError(429, 'too many sign-ins under way; try again in two minutes', '进行中的登录过多，请两分钟后再试');
  const challenge = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + CHALLENGE_LIFETIME_MS);
  await q.query(`INSERT INTO console_challenges (challenge, issued_at, expires_at) VALUES ($1, $2, $3)`, [challenge, now, expiresAt]);
  return { challenge, expiresAt: expiresAt.toISOString() };
}

/** The keys a principal may sign in with now: the institution's current keys (when active), or the operator's. */
async function currentKeys(q: Queryable, principal: string): Promise<DirectoryKey[]> {
  const rows =
    principal === PLATFORM_ID
      ? await q.query(`SELECT kid, public_key FROM console_operator_keys WHERE removed_at IS NULL`)
      : await q.query(
          `SELECT k.kid, k.public_key FROM institution_keys k JOIN institutions i ON i.id = k.institution_id
            WHERE i.id = $1 AND i.status = 'active' AND k.not_after IS NULL AND k.public_key = ANY (i.public_keys)`,
          [principal],
        );
  // validity is "current now", checked here; the browser's clock (iat) is not the platform's
  return rows.map((r) => ({ kid: r.kid, publicKey: r.public_key, notBefore: null, notAfter: null }));
}

export interface SignInRequest {
  /** Institution id, or 100000-platform for the operator. */
  principal?: unknown;
  challenge?: unknown;
  /** Detached JWS (typ jiexu-console-signin+jws) over the RFC 8785 form of the statement. */
  signature?: unknown;
}

/** The statement the browser signs (and the platform rebuilds to verify). */
export function signInStatement(principal: string, challenge: string, origin: string): Record<string, string> {
  return { type: SIGNIN_STATEMENT, principal, challenge, origin };
}

/**
 * Checks a signed challenge and opens a session: the challenge is known, unused and not
 * expired (and is used up now, whatever follows); the signature verifies with a current key
 * of the principal over the statement naming this origin. Returns the token (for the cookie).
 */
export async function signIn(q: Queryable, req: SignInRequest, origin: string, now: Date): Promise<{ token: string; session: SessionInfo }> {
  const { principal, challenge, signature } = req;
  if (typeof principal !== 'string' || typeof challenge !== 'string' || typeof signature !== 'string') {
    throw new SignInError(400, 'body must be {"principal": "<institution id>", "challenge": "…", "signature": "<detached JWS>"}', '请求体须为 {"principal": "<经办机构标识>", "challenge": "…", "signature": "<分离式 JWS>"}');
  }
  const used = await q.query(`UPDATE console_challenges SET used_at = $2 WHERE challenge = $1 AND used_at IS NULL AND expires_at >= $2 RETURNING challenge`, [challenge, now]);
  if (!used.length) throw new SignInError(401, 'the challenge is unknown, used or expired: ask for a new one', '挑战码未知、已用过或已过期：请重新获取');
  const keys = await currentKeys(q, principal);
  if (!keys.length) throw new SignInError(401, `${principal} cannot sign in (unknown, disabled, or without a current key)`, `${principal} 无法登录（未登记、已停用或没有有效密钥）`);
  const check = await verifyDetached(signInStatement(principal, challenge, origin), signature, keys, SIGNIN_TYPE);
  if (!check.valid) throw new SignInError(401, `the sign-in signature does not verify: ${check.reason}`, `登录签名未通过验证：${check.code}`);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await q.query(`INSERT INTO console_sessions (token_hash, principal, kid, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [hashToken(token), principal, check.kid, now, expiresAt]);
  await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, $2, 'console.sign-in', $2, $3)`, [now, principal, { kid: check.kid, expiresAt: expiresAt.toISOString() }]);
  const session = await sessionFor(q, token, now);
  if (!session) throw new SignInError(401, `${principal} cannot sign in`, `${principal} 无法登录`);
  return { token, session };
}

/**
 * The session of a token, or undefined when there is none: unknown, ended, expired, or its
 * principal disabled or its key removed since (one statement, on every console request).
 */
export async function sessionFor(q: Queryable, token: string | undefined, now: Date): Promise<SessionInfo | undefined> {
  if (!token) return undefined;
  const [row] = await q.query(
    `SELECT s.principal, s.kid, s.expires_at, i.region, i.name FROM console_sessions s
       LEFT JOIN institutions i ON i.id = s.principal
      WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2
        AND CASE WHEN s.principal = $3
                 THEN EXISTS (SELECT 1 FROM console_operator_keys o WHERE o.kid = s.kid AND o.removed_at IS NULL)
                 ELSE i.status = 'active' AND EXISTS (SELECT 1 FROM institution_keys k WHERE k.institution_id = s.principal AND k.kid = s.kid
                                                        AND k.not_after IS NULL AND k.public_key = ANY (i.public_keys))
            END`,
    [hashToken(token), now, PLATFORM_ID],
  );
  if (!row) return undefined;
  const viewer: Viewer = row.principal === PLATFORM_ID ? { kind: 'operator', id: PLATFORM_ID } : { kind: 'institution', id: row.principal, region: row.region, name: row.name };
  return { viewer, kid: row.kid, expiresAt: (row.expires_at as Date).toISOString() };
}

/** Ends a session (sign-out). */
export async function endSession(q: Queryable, token: string | undefined, now: Date): Promise<boolean> {
  if (!token) return false;
  const rows = await q.query(`UPDATE console_sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL RETURNING principal`, [hashToken(token), now]);
  if (rows.length) await q.query(`INSERT INTO audit_log (at, actor, action, object) VALUES ($1, $2, 'console.sign-out', $2)`, [now, rows[0].principal]);
  return rows.length > 0;
}

/** Adds an operator console key (SPKI PEM, Ed25519); returns its kid. */
export async function addOperatorKey(q: Queryable, pem: string, now: Date = new Date()): Promise<string> {
  const key = normalisePublicKey(pem);
  const kid = await keyId(key);
  const rows = await q.query(`INSERT INTO console_operator_keys (kid, public_key, added_at) VALUES ($1, $2, $3) ON CONFLICT (kid) DO NOTHING RETURNING kid`, [kid, key, now]);
  if (!rows.length) throw new DirectoryError(`the operator had this key before (kid ${kid}); a removed key cannot come back, generate a new one`, 'invalid-institution', `平台运营方已有或曾有这把密钥（kid ${kid}）；删除的密钥不能恢复，请生成新密钥`);
  await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, 'operator', 'console.add-operator-key', $2, $3)`, [now, PLATFORM_ID, { kid }]);
  return kid;
}

/** Removes an operator console key: its sessions end at once (checked on every request). */
export async function removeOperatorKey(q: Queryable, pem: string, now: Date = new Date()): Promise<string> {
  const kid = await keyId(normalisePublicKey(pem));
  const rows = await q.query(`UPDATE console_operator_keys SET removed_at = $2 WHERE kid = $1 AND removed_at IS NULL RETURNING kid`, [kid, now]);
  if (!rows.length) throw new DirectoryError(`the operator has no such console key (kid ${kid})`, 'invalid-institution', `平台运营方没有这把控制台密钥（kid ${kid}）`);
  await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, 'operator', 'console.remove-operator-key', $2, $3)`, [now, PLATFORM_ID, { kid }]);
  return kid;
}

/** The value of the session cookie in a Cookie header. */
export function sessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** The Set-Cookie value: HttpOnly, SameSite=Strict, only for the console API, Secure over TLS. */
export function sessionCookie(token: string, secure: boolean, maxAgeSeconds = SESSION_LIFETIME_MS / 1000): string {
  return `${SESSION_COOKIE}=${token}; Path=/v1/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}
