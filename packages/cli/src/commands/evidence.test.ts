/**
 * Evidence end to end through the CLI: a signed message and its receipt, `jiexu case
 * export` and `jiexu verify` offline; one byte of the stored body changed in the database
 * is refused by the receiver's client and by `jiexu verify` of the exported case, both
 * naming the message; a changed audit entry in a bundle is named by the chain check.
 * PostgreSQL when DATABASE_URL is set (a fresh schema), else PGlite in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, makeEnvelope, type PlatformClient } from '@jiexu/client';
import { addInstitution, startPlatform, type RunningPlatform } from '@jiexu/platform';
import { runCli as jiexu } from '../testing/run-cli.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const NEW = '360100-si';
const OLD = '440300-si';
const databaseUrl = process.env.DATABASE_URL;
const schema = databaseUrl ? `jiexu_test_${randomBytes(6).toString('hex')}` : undefined;

let platform: RunningPlatform;
let dir: string;
const clients = new Map<string, PlatformClient>();
const connection = (id: string) => ['--platform', platform.url, '--institution', id, '--key', join(dir, `${id}.pem`)];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-evidence-test-'));
  platform = await startPlatform({ port: 0, databaseUrl, schema, memory: !databaseUrl, log: () => {}, reminderIntervalMs: 0, outboxIntervalMs: 0 });
  for (const [id, region] of [[NEW, '360100'], [OLD, '440300']] as const) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    await writeFile(join(dir, `${id}.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await addInstitution(platform.db, { id, region, schemes: ['110'], publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
    clients.set(id, createClient({ baseUrl: platform.url, institutionId: id, privateKey, retries: 0 }));
  }
}, 300_000);

afterAll(async () => {
  for (const c of clients.values()) await c.close();
  if (databaseUrl && schema) await platform?.db.query(`DROP SCHEMA ${schema} CASCADE`);
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

async function application() {
  const data = JSON.parse(await readFile(join(ROOT, 'schemas/1.0/messages/examples/pension.transfer-application/valid/shenzhen-to-nanchang.json'), 'utf8'));
  const caseId = `${NEW}:PT-${randomBytes(4).toString('hex')}`;
  return makeEnvelope({ message: 'pension.transfer-application', sender: NEW, receivers: [OLD], caseId, caseType: 'pension-transfer', data });
}

describe(`evidence: export and verify offline (${databaseUrl ? 'postgres' : 'pglite'})`, () => {
  it('exports a signed, acknowledged case and verifies it without the platform (exit 0)', async () => {
    const env = await application();
    await clients.get(NEW)!.send(env);
    expect((await jiexu(['inbox', '--ack', ...connection(OLD)])).code).toBe(0);
    const file = join(dir, 'bundle.json');
    const exported = await jiexu(['case', 'export', env.caseid, '-o', file, ...connection(NEW)]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const bundle = JSON.parse(await readFile(file, 'utf8'));
    expect(bundle.messages).toHaveLength(1);
    expect(bundle.receipts).toHaveLength(1);
    expect(Object.keys(bundle.keys).sort()).toEqual([OLD, NEW].sort());
    expect(bundle.audit.map((e: { action: string }) => e.action)).toEqual(['message.accept', 'case.open', 'receipt.accept', 'case.export']);

    const verified = await jiexu(['verify', file, '--lang', 'en']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`case ${env.caseid} verifies: 1 message(s), 1 receipt(s), 4 audit entries`);

    // one audit entry changed in the bundle: the chain check names it
    bundle.audit[1].detail.to = 'closed';
    await writeFile(join(dir, 'audit-changed.json'), JSON.stringify(bundle));
    const changed = await jiexu(['verify', join(dir, 'audit-changed.json'), '--lang', 'zh']);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain(`audit entry #${bundle.audit[1].index}：哈希链不符`);
  });

  it('one byte of the stored body changed in the database: the receiver and jiexu verify refuse it, naming the message', async () => {
    const env = await application();
    await clients.get(NEW)!.send(env);
    // one byte: the last digit of the application date
    const [before] = await platform.db.query(`SELECT envelope->'data'->>'applicationDate' AS d FROM messages WHERE id = $1`, [env.id]);
    const changedDate = `${before.d.slice(0, -1)}${before.d.endsWith('1') ? '2' : '1'}`;
    await platform.db.query(`UPDATE messages SET envelope = jsonb_set(envelope, '{data,applicationDate}', to_jsonb($2::text)) WHERE id = $1`, [env.id, changedDate]);

    const inbox = await jiexu(['inbox', '--lang', 'en', ...connection(OLD)]);
    expect(inbox.code).toBe(1);
    expect(inbox.stdout).toContain(`REFUSED: signature does not verify (envelope-signature-invalid): message ${env.id}`);
    expect(inbox.stderr).toContain(env.id);

    const file = join(dir, 'tampered.json');
    expect((await jiexu(['case', 'export', env.caseid, '-o', file, ...connection(NEW)])).code).toBe(0);
    const verified = await jiexu(['verify', file, '--lang', 'en']);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`message ${env.source}#${env.id}: the sender's signature does not verify (envelope-signature-invalid)`);
    expect(verified.stdout).toContain(`message ${env.source}#${env.id}: its digest`);
    expect(verified.stdout).toContain('does NOT verify');
  });

  it('exits 2 for a bundle it cannot read and 1 for a file that is not a bundle', async () => {
    expect((await jiexu(['verify', join(dir, 'missing.json')])).code).toBe(2);
    await writeFile(join(dir, 'not-a-bundle.json'), '{"hello": 1}');
    const r = await jiexu(['verify', join(dir, 'not-a-bundle.json'), '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not a case bundle');
  });

  it('jiexu platform audit --check: exit 0 on an intact chain, 1 naming the first changed entry', async () => {
    const dataDir = join(dir, 'platform-data');
    const local = await startPlatform({ port: 0, dataDir, log: () => {}, reminderIntervalMs: 0, outboxIntervalMs: 0 });
    const { publicKey } = generateKeyPairSync('ed25519');
    await addInstitution(local.db, { id: NEW, region: '360100', schemes: ['110'], publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
    await addInstitution(local.db, { id: OLD, region: '440300', schemes: ['110'], publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
    const [second] = await local.db.query(`SELECT chain_index::text AS index FROM audit_log ORDER BY chain_index DESC LIMIT 1`);
    await local.db.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`);
    await local.close();
    const env = { DATABASE_URL: '' };
    const intact = await jiexu(['platform', 'audit', '--check', '--data-dir', dataDir, '--lang', 'en'], env);
    expect(intact.stdout).toContain('audit chain intact: 2 entries');
    expect(intact.code).toBe(0);

    const { openStorage } = await import('@jiexu/platform');
    const storage = await openStorage({ dataDir });
    await storage.db.query(`UPDATE audit_log SET actor = 'someone-else' WHERE chain_index = $1::bigint`, [second.index]);
    await storage.close();
    const broken = await jiexu(['platform', 'audit', '--check', '--data-dir', dataDir, '--lang', 'en'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`audit chain BROKEN at entry #${second.index}`);
  }, 120_000);
});
