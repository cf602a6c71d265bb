/**
 * The audit trail's hash chain: every accepted message, state change, receipt and directory
 * change is a link; concurrent writers do not fork it; changing one entry in the database is
 * found by the chain check, naming the entry. Runs on PostgreSQL when DATABASE_URL is set,
 * else on PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Envelope as ClientEnvelope, type PlatformClient } from '@jiexu/client';
import { checkAuditChain } from './audit.ts';
import { addPublicKey, generateKeyPair } from './directory.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

let p: TestPlatform;
let newPlace: TestInstitution;
let oldPlace: TestInstitution;
let third: TestInstitution;
let sender: PlatformClient;
let receiver: PlatformClient;

beforeAll(async () => {
  p = await startTestPlatform();
  newPlace = await registerInstitution(p, '360100-si');
  oldPlace = await registerInstitution(p, '110100-si');
  third = await registerInstitution(p, '440100-si');
  sender = createClient({ baseUrl: p.url, institutionId: newPlace.id, privateKey: newPlace.privateKeyPem, retries: 0 });
  receiver = createClient({ baseUrl: p.url, institutionId: oldPlace.id, privateKey: oldPlace.privateKeyPem, retries: 0 });
});
afterAll(async () => {
  await sender?.close();
  await receiver?.close();
  await p?.close();
});

function application(): ClientEnvelope {
  return <ClientEnvelope>envelope('pension.transfer-application', newPlace, [oldPlace], newCaseId(newPlace), 'pension-transfer', exampleData('pension.transfer-application'));
}

describe(`the audit hash chain (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('links every accepted message, state change, receipt and directory change; concurrent sends do not fork it', async () => {
    const first = application();
    await sender.send(first);
    await Promise.all(Array.from({ length: 12 }, () => sender.send(application())));
    const page = await receiver.inbox();
    await receiver.ack(page.next!);
    await addPublicKey(p.db, third.id, generateKeyPair().publicKeyPem);

    const actions = (await p.db.query(`SELECT action FROM audit_log ORDER BY chain_index`)).map((r) => r.action);
    for (const a of ['institution.add', 'message.accept', 'case.open', 'inbox.read', 'inbox.ack', 'receipt.accept', 'institution.add-key']) expect(actions).toContain(a);
    expect(await checkAuditChain(p.db)).toMatchObject({ ok: true, entries: actions.length });

    // an institution reads the entries of its own cases, not of others'
    const mine = await call(p, newPlace, 'GET', `/v1/audit?caseId=${encodeURIComponent(first.caseid)}`);
    expect(mine.status).toBe(200);
    expect(mine.body.entries.map((e: any) => e.action)).toEqual(['message.accept', 'case.open', 'receipt.accept']);
    expect(mine.body.entries[0].detail.digest).toMatch(/^[0-9a-f]{64}$/);
    const theirs = await call(p, third, 'GET', `/v1/audit?caseId=${encodeURIComponent(first.caseid)}`);
    expect(theirs.body.entries).toEqual([]);
  });

  it('finds one changed entry, naming it', async () => {
    await sender.send(application());
    const [victim] = await p.db.query(`SELECT chain_index::text AS index FROM audit_log WHERE action = 'message.accept' ORDER BY chain_index DESC LIMIT 1`);
    // the append-only trigger must be switched off to change it: what a person with database access could do
    await p.db.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`);
    await p.db.query(`UPDATE audit_log SET detail = jsonb_set(detail, '{receivers}', '["440100-si"]') WHERE chain_index = $1::bigint`, [victim.index]);
    const check = await checkAuditChain(p.db);
    expect(check).toMatchObject({ ok: false, index: victim.index, reason: expect.stringContaining(`#${victim.index}`) });

    // rewriting its text too does not help: its hash no longer fits
    await p.db.query(`UPDATE audit_log SET entry = jiexu_audit_entry_text(chain_index, at, actor, action, object, case_id, detail) WHERE chain_index = $1::bigint`, [victim.index]);
    const again = await checkAuditChain(p.db);
    expect(again).toMatchObject({ ok: false, index: victim.index, reason: expect.stringContaining('hash does not match') });
    await p.db.exec(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete`);
  });
});
