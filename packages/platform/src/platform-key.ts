/**
 * The platform's signing key (migration 010): the platform signs the envelopes it generates
 * with it, so a receiver verifies a reminder or a duplicate notice like any other message.
 * Made on first start and kept in the database; the public keys are served at
 * GET /v1/platform/keys (with validity periods, like a directory entry).
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { keyId, type DirectoryKey } from '@jiexu/client';
import type { Queryable } from './db.ts';
import { generateKeyPair } from './directory.ts';

export interface PlatformKey {
  kid: string;
  privateKey: KeyObject;
}

/** The platform's current signing key, made and stored when there is none. */
export async function ensurePlatformKey(q: Queryable, now: Date): Promise<PlatformKey> {
  const find = async () => (await q.query(`SELECT kid, private_key FROM platform_keys WHERE not_after IS NULL ORDER BY created_at DESC LIMIT 1`))[0];
  let row = await find();
  if (!row) {
    const pair = generateKeyPair();
    await q.query(`INSERT INTO platform_keys (kid, private_key, public_key, not_before, not_after, created_at) VALUES ($1, $2, $3, NULL, NULL, $4) ON CONFLICT DO NOTHING`, [
      await keyId(pair.publicKeyPem),
      pair.privateKeyPem,
      pair.publicKeyPem,
      now,
    ]);
    row = await find();
  }
  return { kid: row.kid, privateKey: createPrivateKey(row.private_key) };
}

/** The platform's public keys, as directory keys. */
export async function platformKeys(q: Queryable): Promise<DirectoryKey[]> {
  const rows = await q.query(
    `SELECT kid, public_key, to_char(not_before AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS not_before,
            to_char(not_after AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS not_after FROM platform_keys ORDER BY created_at, kid`,
  );
  return rows.map((r) => ({ kid: r.kid, publicKey: r.public_key, notBefore: r.not_before, notAfter: r.not_after }));
}
