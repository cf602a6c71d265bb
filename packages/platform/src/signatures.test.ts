/**
 * Signed envelopes end to end: the client signs, the platform verifies on accept and
 * delivers the signature, the receiver's client verifies against the directory; keys over
 * time (rotation keeps old signatures verifiable, a removed key cannot sign later); a body
 * changed in the database is refused by the receiver, naming the message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, envelopeDigest, receiptFor, signEnvelope, signReceipt, type Envelope as ClientEnvelope, type PlatformClient } from '@jiexu/client';
import { addPublicKey, generateKeyPair, removePublicKey } from './directory.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, setClientClock, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

let clock = Date.parse('2026-09-28T02:00:00Z');
setClientClock(() => clock);

let p: TestPlatform;
let newPlace: TestInstitution;
let oldPlace: TestInstitution;
let sender: PlatformClient;
let receiver: PlatformClient;

beforeAll(async () => {
  p = await startTestPlatform({ now: () => new Date(clock) });
  newPlace = await registerInstitution(p, '360100-si');
  oldPlace = await registerInstitution(p, '110100-si');
  sender = createClient({ baseUrl: p.url, institutionId: newPlace.id, privateKey: newPlace.privateKeyPem, now: () => clock, retries: 0 });
  receiver = createClient({ baseUrl: p.url, institutionId: oldPlace.id, privateKey: oldPlace.privateKeyPem, now: () => clock, retries: 0 });
});
afterAll(async () => {
  await sender?.close();
  await receiver?.close();
  await p?.close();
});

function application(from = newPlace): ClientEnvelope {
  return <ClientEnvelope>envelope('pension.transfer-application', from, [oldPlace], newCaseId(from), 'pension-transfer', exampleData('pension.transfer-application', { applicationDate: '2026-09-28' }));
}

async function inboxOf(client: PlatformClient, id: string) {
  const page = await client.inbox({ after: 0, limit: 500 });
  return page.messages.find((m) => m.envelope.id === id)!;
}

describe(`signed envelopes (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('the client signs, the platform stores and delivers the signature, the receiver verifies it', async () => {
    const env = application();
    expect((await sender.send(env)).status).toBe('accepted');
    const [row] = await p.db.query(`SELECT signature, digest FROM messages WHERE id = $1`, [env.id]);
    expect(row.signature).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/);
    const got = await inboxOf(receiver, env.id);
    expect(got.signature).toBe(row.signature);
    expect(got.verification).toMatchObject({ status: 'verified', signedAt: '2026-09-28T02:00:00.000Z' });
  });

  it('refuses an unsigned envelope, a signature over other content and one made with another key: 422 invalid-signature', async () => {
    const env = application();
    const unsigned = await call(p, newPlace, 'POST', '/v1/messages', env, { envelopeSignature: null });
    expect(unsigned.status).toBe(422);
    expect(unsigned.body.error).toBe('invalid-signature');
    expect(unsigned.body.report.issues[0]).toMatchObject({ code: 'envelope-signature-missing', message: { zh: expect.stringContaining('签名') } });

    const other = await signEnvelope({ ...env, data: { ...env.data, applicationDate: '2026-09-29' } }, newPlace.privateKeyPem, { now: () => clock });
    const tampered = await call(p, newPlace, 'POST', '/v1/messages', env, { envelopeSignature: other });
    expect(tampered.status).toBe(422);
    expect(tampered.body.report.issues[0].code).toBe('envelope-signature-invalid');

    const stranger = await signEnvelope(env, generateKeyPair().privateKeyPem, { now: () => clock });
    const unknownKey = await call(p, newPlace, 'POST', '/v1/messages', env, { envelopeSignature: stranger });
    expect(unknownKey.body.report.issues[0].code).toBe('envelope-signature-unknown-key');

    const old = await signEnvelope(env, newPlace.privateKeyPem, { now: () => clock - 3_600_000 });
    const stale = await call(p, newPlace, 'POST', '/v1/messages', env, { envelopeSignature: old });
    expect(stale.body.report.issues[0].code).toBe('envelope-signature-stale');

    expect((await p.db.query(`SELECT count(*)::int AS n FROM messages WHERE id = $1`, [env.id]))[0].n).toBe(0);
  });

  it('a body changed in the database is refused by the receiver, naming the message', async () => {
    const env = application();
    await sender.send(env);
    // one byte of the stored body: 2026-09-28 → 2026-09-29
    await p.db.query(`UPDATE messages SET envelope = jsonb_set(envelope, '{data,applicationDate}', '"2026-09-29"') WHERE id = $1`, [env.id]);
    const got = await inboxOf(receiver, env.id);
    expect(got.verification).toMatchObject({ status: 'refused', code: 'envelope-signature-invalid', reason: expect.stringContaining(env.id) });
  });

  it('keys over time: messages signed before a rotation still verify; the removed key cannot sign after its end', async () => {
    const rotating = await registerInstitution(p, '330100-si');
    const client = (key: string) => createClient({ baseUrl: p.url, institutionId: rotating.id, privateKey: key, now: () => clock, retries: 0 });
    const before = application(rotating);
    const oldKey = client(rotating.privateKeyPem);
    await oldKey.send(before);

    clock += 60_000;
    const next = generateKeyPair();
    await addPublicKey(p.db, rotating.id, next.publicKeyPem, new Date(clock));
    clock += 60_000;
    await removePublicKey(p.db, rotating.id, rotating.publicKeyPem, new Date(clock));
    clock += 60_000;

    // signed before the rotation: still verifies with the removed key's period
    expect((await inboxOf(receiver, before.id)).verification.status).toBe('verified');
    const keys = (await receiver.institutions()).institutions.find((i) => i.id === rotating.id)!.keys;
    expect(keys).toHaveLength(2);
    expect(keys.find((k) => k.publicKey === rotating.publicKeyPem)!.notAfter).toBe(new Date(clock - 60_000).toISOString());

    // the removed key, after its end: refused (signed over a valid request from the new key)
    const late = application(rotating);
    const lateSignature = await signEnvelope(late, rotating.privateKeyPem, { now: () => clock });
    const refused = await call(p, { ...rotating, privateKeyPem: next.privateKeyPem }, 'POST', '/v1/messages', late, { envelopeSignature: lateSignature });
    expect(refused.status).toBe(422);
    expect(refused.body.report.issues[0]).toMatchObject({ code: 'envelope-signature-key-not-valid', message: { en: expect.stringContaining('not valid at the signing time') } });

    // the new key signs
    const newKey = client(next.privateKeyPem);
    expect((await newKey.send(late)).status).toBe('accepted');
    expect((await inboxOf(receiver, late.id)).verification.status).toBe('verified');
    await oldKey.close();
    await newKey.close();
  });

  it('receipts: the receiver acknowledges with a receipt signed over the digest; the sender fetches and verifies it', async () => {
    const env = application();
    await sender.send(env);
    const page = await receiver.inbox();
    const got = page.messages.find((m) => m.envelope.id === env.id)!;
    clock += 1000;
    const acked = await receiver.ack(page.next!);
    expect(acked.receipts?.map((r) => r.message.id)).toContain(env.id);
    const { receipts } = await sender.receipts(env.caseid);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({
      receipt: { receiver: oldPlace.id, message: { id: env.id, digest: envelopeDigest(env) }, acknowledgedAt: new Date(clock).toISOString() },
      verification: { status: 'verified' },
    });
    const [entry] = await p.db.query(`SELECT detail FROM audit_log WHERE action = 'receipt.accept' AND object = $1`, [`${env.source}#${env.id}`]);
    expect(entry.detail.digest).toBe(envelopeDigest(env));

    // a receipt over another digest, or signed by another institution, is refused and nothing is kept
    const wrong = await signReceipt({ ...receiptFor(env, oldPlace.id, new Date(clock)), message: { source: env.source, id: env.id, digest: '0'.repeat(64) } }, oldPlace.privateKeyPem, () => clock);
    const refused = await call(p, oldPlace, 'POST', '/v1/inbox/ack', { upTo: got.cursor, receipts: [wrong] });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'invalid-receipt', message: expect.stringContaining('digest') });
    const forged = await signReceipt(receiptFor(env, oldPlace.id, new Date(clock)), newPlace.privateKeyPem, () => clock);
    expect((await call(p, oldPlace, 'POST', '/v1/inbox/ack', { upTo: got.cursor, receipts: [forged] })).body.message).toContain('does not verify');
    expect((await sender.receipts(env.caseid)).receipts).toHaveLength(1);
  });

  it("the platform's own messages (reminders) are signed with its key and verify in the reminded institution's client", async () => {
    const env = application();
    await sender.send(env);
    clock += 40 * 86_400_000; // far past the contact letter's deadline
    const sent = await p.remindOverdue(new Date(clock));
    expect(sent.length).toBeGreaterThan(0);
    // the new place owes the contact letter: the reminder is its
    const page = await sender.inbox({ after: 0, limit: 500 });
    const reminder = page.messages.find((m) => m.envelope.caseid === env.caseid && m.envelope.sender === '100000-platform')!;
    expect(reminder.signature).not.toBeNull();
    expect(reminder.verification).toMatchObject({ status: 'verified' });
  });
});
