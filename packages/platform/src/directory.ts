/**
 * The institution directory: every regional agency's id, pooling region, schemes,
 * Ed25519 public keys (SPKI PEM), connection status and webhook.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { keyId, type DirectoryKey } from '@jiexu/client';
import { supportedVersions } from '@jiexu/standard';
import type { Queryable } from './db.ts';

export interface Institution {
  id: string;
  name: string;
  region: string;
  schemes: string[];
  /** The current keys (SPKI PEM): any of them authenticates a request. */
  publicKeys: string[];
  /** Every key the institution has had, with its validity period: envelope signatures are checked against these. */
  keys: DirectoryKey[];
  status: 'active' | 'disabled';
  webhook: { url: string } | null;
  /** The version of the standard the institution reads: its inbox and webhook deliver in it. */
  standardVersion: string;
}

/** A directory entry that cannot be stored as given. */
export class DirectoryError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid-institution' | 'duplicate-institution' | 'unknown-institution',
    /** The same in Chinese, for programs that speak Chinese (the CLI); `message` is English. */
    readonly zh?: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

export interface NewInstitution {
  id: string;
  name?: string;
  region: string;
  schemes: string[];
  publicKeys: string[];
  /** Default 1.0. */
  standardVersion?: string;
  /** Start of the keys' validity period (default: none, i.e. since registration). */
  keysNotBefore?: Date;
}

const changeListeners = new Set<(id: string) => void>();

/**
 * Calls `fn` with the id of every institution changed through this module in this process
 * (the directory cache drops it at once; other processes learn it by NOTIFY). Returns the
 * unsubscribe function.
 */
export function onDirectoryChange(fn: (id: string) => void): () => void {
  changeListeners.add(fn);
  return () => changeListeners.delete(fn);
}

function changed(id: string): void {
  for (const fn of changeListeners) fn(id);
}

/** common.schema.json#/$defs/institutionId: the pooling region, a dash, a short name. */
const ID = /^[1-9][0-9]{5}-[a-z0-9][a-z0-9-]{0,30}$/;
/** Reserved for the platform itself (messages it generates and receives). */
const RESERVED_ID = '100000-platform';

/** Checks and normalises a public key: must be Ed25519; returned as SPKI PEM. */
export function normalisePublicKey(pem: string): string {
  let key;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new DirectoryError(`not a public key: ${(err as Error).message}`, 'invalid-institution', `不是公钥：${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new DirectoryError(`public key must be Ed25519, got ${key.asymmetricKeyType}`, 'invalid-institution', `公钥须为 Ed25519，而不是 ${key.asymmetricKeyType}`);
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export async function addInstitution(q: Queryable, inst: NewInstitution, now: Date = new Date()): Promise<Institution> {
  if (!ID.test(inst.id)) throw new DirectoryError(`institution id ${JSON.stringify(inst.id)} must be <6-digit region>-<short name in a-z, 0-9, ->, e.g. 360100-si`, 'invalid-institution', `经办机构标识 ${JSON.stringify(inst.id)} 须为 <6 位地区代码>-<由 a-z、0-9、- 组成的简称>，例如 360100-si`);
  if (inst.id === RESERVED_ID) throw new DirectoryError(`institution id ${RESERVED_ID} is reserved for the platform`, 'invalid-institution', `经办机构标识 ${RESERVED_ID} 保留给平台使用`);
  if (!/^[0-9]{6}$/.test(inst.region)) throw new DirectoryError(`region ${JSON.stringify(inst.region)} must be a 6-digit GB/T 2260 code`, 'invalid-institution', `地区 ${JSON.stringify(inst.region)} 须为 6 位 GB/T 2260 代码`);
  if (!inst.schemes.length || inst.schemes.some((s) => !/^[0-9]{3}$/.test(s))) {
    throw new DirectoryError(`schemes must be 3-digit 险种 codes (e.g. 110,210), got ${JSON.stringify(inst.schemes)}`, 'invalid-institution', `险种须为 3 位险种代码（例如 110,210），而不是 ${JSON.stringify(inst.schemes)}`);
  }
  if (!inst.publicKeys.length) throw new DirectoryError('at least one public key is required', 'invalid-institution', '至少需要一把公钥');
  const keys = inst.publicKeys.map(normalisePublicKey);
  const standardVersion = checkStandardVersion(inst.standardVersion ?? '1.0');
  const rows = await q.query(
    `INSERT INTO institutions (id, name, region, schemes, public_keys, status, created_at, updated_at, standard_version)
     VALUES ($1, $2, $3, $4, $5, 'active', $6, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [inst.id, inst.name ?? inst.id, inst.region, inst.schemes, keys, now, standardVersion],
  );
  if (!rows.length) throw new DirectoryError(`institution ${inst.id} already exists`, 'duplicate-institution', `经办机构 ${inst.id} 已存在`);
  await q.query(`INSERT INTO inbox_state (institution_id) VALUES ($1) ON CONFLICT DO NOTHING`, [inst.id]);
  for (const key of keys) await insertKey(q, inst.id, key, inst.keysNotBefore ? toSecond(inst.keysNotBefore) : null, now);
  await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, 'operator', 'institution.add', $2, $3)`, [
    now,
    inst.id,
    { region: inst.region, schemes: inst.schemes, standardVersion },
  ]);
  changed(inst.id);
  return (await getInstitution(q, inst.id))!;
}

/** Signatures carry their time in whole seconds (JWS iat): a period starts at a whole second. */
function toSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

async function insertKey(q: Queryable, id: string, pem: string, notBefore: Date | null, now: Date): Promise<string> {
  const kid = await keyId(pem);
  const rows = await q.query(
    `INSERT INTO institution_keys (institution_id, kid, public_key, not_before, not_after, added_at) VALUES ($1, $2, $3, $4, NULL, $5)
     ON CONFLICT (institution_id, kid) DO NOTHING RETURNING kid`,
    [id, kid, pem, notBefore, now],
  );
  if (!rows.length) throw new DirectoryError(`institution ${id} had this key before (kid ${kid}); a removed key cannot come back, generate a new one`, 'invalid-institution');
  return kid;
}

/** An institution row with its key history (one statement). */
const SELECT_INSTITUTION = `SELECT i.*,
  (SELECT json_agg(json_build_object('kid', k.kid, 'publicKey', k.public_key,
                                     'notBefore', to_char(k.not_before AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                     'notAfter', to_char(k.not_after AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                   ORDER BY k.not_before NULLS FIRST, k.added_at, k.kid)
     FROM institution_keys k WHERE k.institution_id = i.id) AS key_history
  FROM institutions i`;

function toInstitution(r: Record<string, any>): Institution {
  return {
    id: r.id,
    name: r.name,
    region: r.region,
    schemes: r.schemes,
    publicKeys: r.public_keys,
    keys: (r.key_history ?? []) as DirectoryKey[],
    status: r.status,
    webhook: r.webhook_url ? { url: r.webhook_url } : null,
    standardVersion: r.standard_version,
  };
}

/** A version the institution may declare: one of the standard's released versions. */
function checkStandardVersion(version: string): string {
  const supported = supportedVersions();
  if (!supported.includes(version)) throw new DirectoryError(`standard version ${JSON.stringify(version)} is not supported (supported: ${supported.join(', ')})`, 'invalid-institution', `不支持标准版本 ${JSON.stringify(version)}（支持：${supported.join(', ')}）`);
  return version;
}

/**
 * Changes the version of the standard an institution reads. Messages already in its inbox
 * are delivered in the new version from the next read on; stored messages and the
 * version of its cases (caseversion) do not change.
 */
export async function setStandardVersion(q: Queryable, id: string, version: string, now: Date = new Date()): Promise<Institution> {
  checkStandardVersion(version);
  const rows = await q.query(`UPDATE institutions SET standard_version = $2, updated_at = $3 WHERE id = $1 RETURNING id`, [id, version, now]);
  if (!rows.length) throw new DirectoryError(`no institution ${id}`, 'unknown-institution', `没有经办机构 ${id}`);
  await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, 'operator', 'institution.set-standard-version', $2, $3)`, [now, id, { standardVersion: version }]);
  changed(id);
  return (await getInstitution(q, id))!;
}

export async function getInstitution(q: Queryable, id: string): Promise<Institution | undefined> {
  const rows = await q.query(`${SELECT_INSTITUTION} WHERE i.id = $1`, [id]);
  return rows.length ? toInstitution(rows[0]) : undefined;
}

export async function listInstitutions(q: Queryable): Promise<Institution[]> {
  return (await q.query(`${SELECT_INSTITUTION} ORDER BY i.id`)).map(toInstitution);
}

export async function setInstitutionStatus(q: Queryable, id: string, status: 'active' | 'disabled', now: Date = new Date()): Promise<Institution> {
  const rows = await q.query(`UPDATE institutions SET status = $2, updated_at = $3 WHERE id = $1 RETURNING id`, [id, status, now]);
  if (!rows.length) throw new DirectoryError(`no institution ${id}`, 'unknown-institution', `没有经办机构 ${id}`);
  await q.query(`INSERT INTO audit_log (at, actor, action, object) VALUES ($1, 'operator', $2, $3)`, [now, `institution.${status === 'disabled' ? 'disable' : 'enable'}`, id]);
  changed(id);
  return (await getInstitution(q, id))!;
}

export function disableInstitution(q: Queryable, id: string, now?: Date): Promise<Institution> {
  return setInstitutionStatus(q, id, 'disabled', now);
}

export async function setWebhook(q: Queryable, id: string, url: string | null, secret: string | null, now: Date = new Date()): Promise<Institution> {
  if (url !== null) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DirectoryError(`webhook url ${JSON.stringify(url)} is not a URL`, 'invalid-institution', `webhook 地址 ${JSON.stringify(url)} 不是 URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new DirectoryError('webhook url must be http or https', 'invalid-institution', 'webhook 地址须为 http 或 https');
  }
  const rows = await q.query(`UPDATE institutions SET webhook_url = $2, webhook_secret = $3, updated_at = $4 WHERE id = $1 RETURNING id`, [
    id,
    url,
    url === null ? null : secret,
    now,
  ]);
  if (!rows.length) throw new DirectoryError(`no institution ${id}`, 'unknown-institution', `没有经办机构 ${id}`);
  await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, $2, 'webhook.set', $2, $3)`, [now, id, { url }]);
  changed(id);
  return (await getInstitution(q, id))!;
}

/**
 * Adds a public key (key rotation: add the new key, switch the institution over, remove the
 * old). It may sign from `notBefore` (default: now, to the second) on.
 */
export async function addPublicKey(q: Queryable, id: string, pem: string, now: Date = new Date(), opts: { notBefore?: Date } = {}): Promise<Institution> {
  const key = normalisePublicKey(pem);
  const inst = await getInstitution(q, id);
  if (!inst) throw new DirectoryError(`no institution ${id}`, 'unknown-institution', `没有经办机构 ${id}`);
  if (inst.publicKeys.includes(key)) throw new DirectoryError(`institution ${id} already has this key`, 'invalid-institution', `经办机构 ${id} 已有这把公钥`);
  const notBefore = toSecond(opts.notBefore ?? now);
  const kid = await insertKey(q, id, key, notBefore, now);
  await q.query(`UPDATE institutions SET public_keys = array_append(public_keys, $2), updated_at = $3 WHERE id = $1`, [id, key, now]);
  await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, 'operator', 'institution.add-key', $2, $3)`, [now, id, { kid, notBefore: notBefore.toISOString() }]);
  changed(id);
  return (await getInstitution(q, id))!;
}

/**
 * Removes a public key; the last key cannot be removed (disable the institution instead).
 * The key stays in the history with its period ending now: signatures made before still
 * verify, signatures made later are refused.
 */
export async function removePublicKey(q: Queryable, id: string, pem: string, now: Date = new Date()): Promise<Institution> {
  const key = normalisePublicKey(pem);
  const inst = await getInstitution(q, id);
  if (!inst) throw new DirectoryError(`no institution ${id}`, 'unknown-institution', `没有经办机构 ${id}`);
  if (!inst.publicKeys.includes(key)) throw new DirectoryError(`institution ${id} has no such key`, 'invalid-institution', `经办机构 ${id} 没有这把公钥`);
  if (inst.publicKeys.length === 1) throw new DirectoryError(`cannot remove the last key of ${id} (disable the institution instead)`, 'invalid-institution', `不能删除 ${id} 的最后一把公钥（请改为停用该经办机构）`);
  await q.query(`UPDATE institutions SET public_keys = array_remove(public_keys, $2), updated_at = $3 WHERE id = $1`, [id, key, now]);
  const kid = await keyId(key);
  await q.query(`UPDATE institution_keys SET not_after = $3 WHERE institution_id = $1 AND kid = $2`, [id, kid, now]);
  await q.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, 'operator', 'institution.remove-key', $2, $3)`, [now, id, { kid, notAfter: now.toISOString() }]);
  changed(id);
  return (await getInstitution(q, id))!;
}

/** A fresh Ed25519 key pair: PKCS#8 private key and SPKI public key, both PEM. */
export function generateKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
