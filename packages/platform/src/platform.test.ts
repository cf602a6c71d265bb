import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEnvelope } from '@jiexu/client';
import { addWorkingDays } from '@jiexu/rules';
import { loadCatalogue } from './catalogue.ts';
import { addPublicKey, disableInstitution, generateKeyPair } from './directory.ts';
import { MAX_PATH_PARAM_LENGTH } from './server.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, setClientClock, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

// The platform's clock and the clients' clock, moved by the tests.
let clock = Date.parse('2026-09-28T02:00:00Z'); // Monday 2026-09-28 10:00 in China
const now = () => clock;
setClientClock(now);

let p: TestPlatform;
const logLines: string[] = [];
let newPlace: TestInstitution; // 转入地
let oldPlace: TestInstitution; // 转出地
let third: TestInstitution;

beforeAll(async () => {
  p = await startTestPlatform({ now: () => new Date(clock), bodyLimit: 64 * 1024, log: (line) => logLines.push(line) });
  newPlace = await registerInstitution(p, '360100-si');
  oldPlace = await registerInstitution(p, '110100-si');
  third = await registerInstitution(p, '440100-si');
});
afterAll(async () => {
  await p?.close();
});

function application(caseId = newCaseId(newPlace), applicationDate = '2026-09-28') {
  return envelope('pension.transfer-application', newPlace, [oldPlace], caseId, 'pension-transfer', exampleData('pension.transfer-application', { applicationDate }));
}

describe(`authentication (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('refuses a request without credentials: 401', async () => {
    const res = await call(p, undefined, 'GET', '/v1/inbox');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('unauthorized');
  });

  it('refuses a signature made with another key, a tampered body and a stale timestamp: 401', async () => {
    const impostor = { ...newPlace, privateKeyPem: oldPlace.privateKeyPem };
    expect((await call(p, impostor, 'GET', '/v1/inbox')).status).toBe(401);
    const stale = await call(p, newPlace, 'GET', '/v1/inbox', undefined, { now: () => clock - 301_000 });
    expect(stale.status).toBe(401);
    expect(stale.body.message).toMatch(/301 s/);
    expect((await call(p, newPlace, 'GET', '/v1/inbox', undefined, { now: () => clock + 299_000 })).status).toBe(200);
    // signed over one body, sent with another
    const env = application();
    const signedFor = JSON.stringify(env);
    const { signRequest } = await import('@jiexu/client');
    const headers = signRequest({ method: 'POST', pathWithQuery: '/v1/messages', body: signedFor, institutionId: newPlace.id, privateKey: newPlace.privateKeyPem, now });
    const tampered = await fetch(`${p.url}/v1/messages`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ...env, receivers: [third.id] }),
    });
    expect(tampered.status).toBe(401);
  });

  it('refuses an unknown or disabled institution: 401', async () => {
    const ghost = { ...newPlace, id: '999999-ghost' };
    expect((await call(p, ghost, 'GET', '/v1/inbox')).status).toBe(401);
    const gone = await registerInstitution(p, '510100-si');
    expect((await call(p, gone, 'GET', '/v1/inbox')).status).toBe(200);
    await disableInstitution(p.db, gone.id);
    const res = await call(p, gone, 'GET', '/v1/inbox');
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/disabled/);
  });

  it('accepts a signature by any of the institution\'s keys (key rotation)', async () => {
    const rotating = await registerInstitution(p, '350100-si');
    const next = generateKeyPair();
    expect((await call(p, { ...rotating, privateKeyPem: next.privateKeyPem }, 'GET', '/v1/inbox')).status).toBe(401);
    await addPublicKey(p.db, rotating.id, next.publicKeyPem);
    expect((await call(p, { ...rotating, privateKeyPem: next.privateKeyPem }, 'GET', '/v1/inbox')).status).toBe(200);
    expect((await call(p, rotating, 'GET', '/v1/inbox')).status).toBe(200);
  });

  it('leaves /healthz, /metrics and /openapi.json open', async () => {
    expect((await call(p, undefined, 'GET', '/healthz')).body).toEqual({ status: 'ok', storage: p.storage === 'postgres' ? 'postgres' : 'pglite' });
    expect((await call(p, undefined, 'GET', '/metrics')).text).toMatch(/^# HELP jiexu_http_requests_total/m);
    expect((await call(p, undefined, 'GET', '/openapi.json')).body.openapi).toBe('3.1.0');
  });
});

describe('sending messages', () => {
  it('accepts a message (202) and answers an identical replay with the original acceptance (200), delivering it once', async () => {
    const env = application();
    const first = await call(p, newPlace, 'POST', '/v1/messages', env);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ id: env.id, source: env.source, caseId: env.caseid, status: 'accepted' });
    clock += 5_000;
    // the same content, serialised differently (keys in another order)
    const reordered = Object.fromEntries(Object.entries(env).reverse());
    const again = await call(p, newPlace, 'POST', '/v1/messages', reordered);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const inbox = await call(p, oldPlace, 'GET', '/v1/inbox?limit=500');
    expect(inbox.body.messages.filter((m: any) => m.envelope.id === env.id)).toHaveLength(1);
  });

  it('answers concurrent identical sends with one 202 and 200s, storing the message once', async () => {
    const env = application();
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(p, newPlace, 'POST', '/v1/messages', env)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 202]);
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    const rows = await p.db.query(`SELECT count(*)::int AS n FROM messages WHERE source = $1 AND id = $2`, [env.source, env.id]);
    expect(rows[0].n).toBe(1);
    const inboxRows = await p.db.query(`SELECT count(*)::int AS n FROM inbox i JOIN messages m ON m.seq = i.message_seq WHERE m.id = $1`, [env.id]);
    expect(inboxRows[0].n).toBe(1);
  });

  it('accepts concurrent different messages of one case, each once (a send whose case changed under it reads it again)', async () => {
    const app = application();
    expect((await call(p, newPlace, 'POST', '/v1/messages', app)).status).toBe(202);
    const acks = Array.from({ length: 5 }, () =>
      envelope('admin.acknowledge', oldPlace, [newPlace], app.caseid, 'pension-transfer', exampleData('admin.acknowledge'), { inreplyto: app.id }),
    );
    const answers = await Promise.all(acks.map((env) => call(p, oldPlace, 'POST', '/v1/messages', env)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    const timeline = (await call(p, oldPlace, 'GET', `/v1/cases/${encodeURIComponent(app.caseid)}`)).body.timeline.map((m: any) => m.id);
    expect([...timeline].sort()).toEqual([app.id, ...acks.map((a) => a.id)].sort());
    const delivered = await p.db.query(`SELECT m.id FROM inbox i JOIN messages m ON m.seq = i.message_seq WHERE i.institution_id = $1 AND m.case_id = $2`, [newPlace.id, app.caseid]);
    expect(delivered.map((r) => r.id).sort()).toEqual(acks.map((a) => a.id).sort());
  });

  it('refuses the same source + id with a different body: 409', async () => {
    const env = application();
    expect((await call(p, newPlace, 'POST', '/v1/messages', env)).status).toBe(202);
    const res = await call(p, newPlace, 'POST', '/v1/messages', { ...env, data: { ...env.data, applicationDate: '2026-09-29' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('idempotency-conflict');
  });

  it('refuses a sender other than the authenticated institution: 403', async () => {
    const env = envelope('pension.transfer-application', oldPlace, [newPlace], newCaseId(oldPlace), 'pension-transfer', exampleData('pension.transfer-application'));
    const res = await call(p, newPlace, 'POST', '/v1/messages', env);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('sender-mismatch');
  });

  it('refuses a body over the limit: 413', async () => {
    const env = application();
    (env.data as any).note = 'x'.repeat(64 * 1024);
    const res = await call(p, newPlace, 'POST', '/v1/messages', env);
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('body-too-large');
  });

  it('refuses a message invalid against the standard with the full report: 422', async () => {
    const env: any = application();
    delete env.receivers;
    env.data.person = { ...env.data.person, id: '360124198503150015' }; // wrong check character (should be 4)
    const res = await call(p, newPlace, 'POST', '/v1/messages', env);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('invalid-message');
    expect(res.body.report.valid).toBe(false);
    // every issue, not only the first: the envelope's and the body's
    const found = res.body.report.issues.map((i: any) => `${i.code} ${i.pointer}`);
    expect(found).toEqual(expect.arrayContaining(['required /receivers', 'citizen-id-check /data/person/id']));
    for (const issue of res.body.report.issues) expect(issue.message.en.length).toBeGreaterThan(0);
  });

  it('refuses JSON that does not parse (400) and other media types (415)', async () => {
    expect((await call(p, newPlace, 'POST', '/v1/messages', undefined, { rawBody: '{"id": ', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    const res = await call(p, newPlace, 'POST', '/v1/messages', undefined, { rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
  });
});

describe('cases', () => {
  it('refuses a message that does not fit its case: 422 with the reason, 409 for a closed case', async () => {
    // a contact letter for a case that was never opened
    const orphan = envelope('pension.contact-letter', newPlace, [oldPlace], newCaseId(newPlace), 'pension-transfer', exampleData('pension.contact-letter'));
    const res = await call(p, newPlace, 'POST', '/v1/messages', orphan);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('case-mismatch');
    expect(res.body.report.issues[0].code).toBe('case-not-found');

    const app = application();
    expect((await call(p, newPlace, 'POST', '/v1/messages', app)).status).toBe(202);
    // the old place cannot send the contact letter: only the new place does
    const wrongSender = envelope('pension.contact-letter', oldPlace, [newPlace], app.caseid, 'pension-transfer', exampleData('pension.contact-letter'), { inreplyto: app.id });
    const r2 = await call(p, oldPlace, 'POST', '/v1/messages', wrongSender);
    expect(r2.status).toBe(422);
    expect(r2.body.report.issues.map((i: any) => i.code)).toContain('case-wrong-sender');
    // the information form answers the contact letter, which has not been sent
    const tooEarly = envelope('pension.transfer-info', oldPlace, [newPlace], app.caseid, 'pension-transfer', exampleData('pension.transfer-info'), { inreplyto: app.id });
    const r3 = await call(p, oldPlace, 'POST', '/v1/messages', tooEarly);
    expect(r3.status).toBe(422);
    expect(r3.body.report.issues.map((i: any) => i.code)).toContain('case-wrong-state');
    // a third institution is not party to the case
    const outsider = envelope('admin.remind', third, [newPlace], app.caseid, 'pension-transfer', exampleData('admin.remind'), { inreplyto: app.id });
    const r4 = await call(p, third, 'POST', '/v1/messages', outsider);
    expect(r4.status).toBe(422);
    expect(r4.body.report.issues.map((i: any) => i.code)).toContain('case-not-party');
    // closing the case, then writing to it
    const close = envelope('admin.close', newPlace, [oldPlace], app.caseid, 'pension-transfer', exampleData('admin.close'));
    expect((await call(p, newPlace, 'POST', '/v1/messages', close)).status).toBe(202);
    const late = envelope('pension.contact-letter', newPlace, [oldPlace], app.caseid, 'pension-transfer', exampleData('pension.contact-letter'), { inreplyto: app.id });
    const r5 = await call(p, newPlace, 'POST', '/v1/messages', late);
    expect(r5.status).toBe(409);
    expect(r5.body.error).toBe('case-conflict');
  });

  it('computes the current step and its deadline in working days from the catalogue', async () => {
    const app = application(newCaseId(newPlace), '2026-09-28');
    expect((await call(p, newPlace, 'POST', '/v1/messages', app)).status).toBe(202);
    const res = await call(p, oldPlace, 'GET', `/v1/cases/${encodeURIComponent(app.caseid)}`);
    expect(res.status).toBe(200);
    const step = res.body.currentStep;
    const catalogueStep = loadCatalogue()
      .caseTypes.find((t) => t.code === 'pension-transfer')!
      .steps.find((s) => s.message === 'pension.contact-letter')!;
    expect(step.workingDays).toBe(catalogueStep.deadline!.workingDays);
    expect(step.expects).toEqual(expect.arrayContaining(['pension.contact-letter', 'pension.transfer-refusal']));
    expect(step.awaiting).toEqual([newPlace.id]);
    // 15 working days after Mon 2026-09-28 on the official calendar: Sep 29, 30; (Oct 1–7 National Day);
    // Oct 8, 9, Sat 10 (调休 working day), 12–16, 19–23 → Fri 2026-10-23 (weekends only would say Oct 19).
    expect(step.deadline).toBe('2026-10-23');
    expect(step.deadline).toBe(addWorkingDays('2026-09-28', 15).date);
    expect(step.deadlineEstimated).toBe(false);
    expect(step.overdue).toBe(false);
    expect(res.body.state).toBe('applied');
    expect(res.body.parties).toEqual([oldPlace.id, newPlace.id].sort());
    expect(res.body.timeline.map((m: any) => m.id)).toEqual([app.id]);
    // the answer moves the case on: now the old place owes the information form, 15 working days from receipt
    clock = Date.parse('2026-10-09T03:00:00Z');
    const letter = envelope('pension.contact-letter', newPlace, [oldPlace], app.caseid, 'pension-transfer', exampleData('pension.contact-letter'), { inreplyto: app.id });
    expect((await call(p, newPlace, 'POST', '/v1/messages', letter)).status).toBe(202);
    const after = (await call(p, newPlace, 'GET', `/v1/cases/${encodeURIComponent(app.caseid)}`)).body;
    expect(after.state).toBe('contact-sent');
    expect(after.currentStep.expects).toEqual(['pension.transfer-info']);
    expect(after.currentStep.awaiting).toEqual([oldPlace.id]);
    expect(after.currentStep.deadline).toBe(addWorkingDays('2026-10-09', 15).date);
    // a case is visible only to its parties
    expect((await call(p, third, 'GET', `/v1/cases/${encodeURIComponent(app.caseid)}`)).status).toBe(403);
    expect((await call(p, third, 'GET', `/v1/cases/${encodeURIComponent('360100-si:nope')}`)).status).toBe(404);
  });

  it('lists overdue cases and reminds the late party once (admin.remind from the platform)', async () => {
    clock = Date.parse('2026-11-02T02:00:00Z');
    const app = application(newCaseId(newPlace), '2026-11-02');
    expect((await call(p, newPlace, 'POST', '/v1/messages', app)).status).toBe(202);
    const deadline = addWorkingDays('2026-11-02', 15).date;
    expect((await call(p, newPlace, 'GET', '/v1/cases?overdue=true')).body.cases.map((c: any) => c.caseId)).not.toContain(app.caseid);
    const early = await p.remindOverdue();
    const earlyCases = (await p.db.query(`SELECT case_id FROM messages WHERE id = ANY($1)`, [early])).map((r) => r.case_id);
    expect(earlyCases).not.toContain(app.caseid);
    // the day after the deadline, in China
    clock = Date.parse(`${deadline}T16:30:00Z`); // = deadline + 1 day, 00:30 +08:00
    const overdue = (await call(p, newPlace, 'GET', '/v1/cases?overdue=true')).body.cases;
    expect(overdue.map((c: any) => c.caseId)).toContain(app.caseid);
    expect(overdue.find((c: any) => c.caseId === app.caseid).currentStep.overdue).toBe(true);
    const before = (await call(p, newPlace, 'GET', '/v1/inbox?limit=500')).body.messages.length;
    const sent = await p.remindOverdue();
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(await p.remindOverdue()).toEqual([]); // once per step
    const inbox = (await call(p, newPlace, 'GET', '/v1/inbox?limit=500')).body.messages;
    const reminders = inbox.slice(before).filter((m: any) => m.envelope.caseid === app.caseid);
    expect(reminders).toHaveLength(1);
    expect(reminders[0].envelope).toMatchObject({ type: 'cn.jiexu.admin.remind.v1', sender: '100000-platform', inreplyto: app.id, receivers: [newPlace.id] });
    // signed with the platform's own key, like any institution's envelope
    const platformKeys = (await call(p, newPlace, 'GET', '/v1/platform/keys')).body;
    expect(platformKeys).toMatchObject({ id: '100000-platform', keys: [{ notAfter: null }] });
    expect(await verifyEnvelope(reminders[0].envelope, reminders[0].signature, platformKeys.keys)).toMatchObject({ valid: true, kid: platformKeys.keys[0].kid });
    // the day after the deadline is a working day here (Mon 2026-11-23 → Tue 2026-11-24): one working day late
    expect(reminders[0].envelope.data).toMatchObject({ awaited: 'pension.contact-letter', dueOn: deadline, overdueWorkingDays: 1 });
    const timeline = (await call(p, oldPlace, 'GET', `/v1/cases/${encodeURIComponent(app.caseid)}`)).body.timeline;
    expect(timeline.map((m: any) => m.type)).toEqual(['cn.jiexu.pension.transfer-application.v1', 'cn.jiexu.admin.remind.v1']);
  });

  it('marks an answer that comes after its step\'s deadline as late in the timeline (on time up to the deadline, China date)', async () => {
    clock = Date.parse('2026-11-02T02:00:00Z');
    const onTime = application(newCaseId(newPlace), '2026-11-02');
    const tooLate = application(newCaseId(newPlace), '2026-11-02');
    for (const app of [onTime, tooLate]) expect((await call(p, newPlace, 'POST', '/v1/messages', app)).status).toBe(202);
    const deadline = addWorkingDays('2026-11-02', 15).date;
    const letter = (app: { id: string; caseid: string }) =>
      envelope('pension.contact-letter', newPlace, [oldPlace], app.caseid, 'pension-transfer', exampleData('pension.contact-letter'), { inreplyto: app.id });
    clock = Date.parse(`${deadline}T15:30:00Z`); // 23:30 on the deadline in China
    expect((await call(p, newPlace, 'POST', '/v1/messages', letter(onTime))).status).toBe(202);
    clock = Date.parse(`${deadline}T16:30:00Z`); // 00:30 the day after
    expect((await call(p, newPlace, 'POST', '/v1/messages', letter(tooLate))).status).toBe(202);
    const timeline = async (caseId: string) => (await call(p, oldPlace, 'GET', `/v1/cases/${encodeURIComponent(caseId)}`)).body.timeline.map((m: any) => ({ type: m.type, dueOn: m.dueOn, late: m.late }));
    expect(await timeline(onTime.caseid)).toEqual([
      { type: 'cn.jiexu.pension.transfer-application.v1', dueOn: null, late: false },
      { type: 'cn.jiexu.pension.contact-letter.v1', dueOn: deadline, late: false },
    ]);
    expect(await timeline(tooLate.caseid)).toEqual([
      { type: 'cn.jiexu.pension.transfer-application.v1', dueOn: null, late: false },
      { type: 'cn.jiexu.pension.contact-letter.v1', dueOn: deadline, late: true },
    ]);
  });
});

describe('inbox', () => {
  it('returns only the caller\'s messages in cursor order, pages with next, and moves with ack', async () => {
    const a = await registerInstitution(p, '320100-si');
    const b = await registerInstitution(p, '330100-si');
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) {
      const env = envelope('pension.transfer-application', a, [b], newCaseId(a), 'pension-transfer', exampleData('pension.transfer-application', { applicationDate: '2026-11-02' }));
      expect((await call(p, a, 'POST', '/v1/messages', env)).status).toBe(202);
      sent.push(env.id);
    }
    const page1 = (await call(p, b, 'GET', '/v1/inbox?limit=2')).body;
    expect(page1.messages.map((m: any) => m.envelope.id)).toEqual(sent.slice(0, 2));
    const page2 = (await call(p, b, 'GET', `/v1/inbox?after=${page1.next}&limit=2`)).body;
    expect(page2.messages.map((m: any) => m.envelope.id)).toEqual(sent.slice(2, 4));
    const cursors = [...page1.messages, ...page2.messages].map((m: any) => BigInt(m.cursor));
    expect(cursors).toEqual([...cursors].sort((x, y) => (x < y ? -1 : 1)));
    // nothing acknowledged yet: without `after` it starts from the beginning
    expect((await call(p, b, 'GET', '/v1/inbox?limit=1')).body.messages[0].envelope.id).toBe(sent[0]);
    const ack = await call(p, b, 'POST', '/v1/inbox/ack', { upTo: page2.next });
    expect(ack.status).toBe(200);
    expect(ack.body.ackedUpTo).toBe(page2.next);
    const rest = (await call(p, b, 'GET', '/v1/inbox')).body;
    expect(rest.messages.map((m: any) => m.envelope.id)).toEqual([sent[4]]);
    // ack never moves back
    expect((await call(p, b, 'POST', '/v1/inbox/ack', { upTo: page1.next })).body.ackedUpTo).toBe(page2.next);
    // the sender's own inbox holds none of them
    expect((await call(p, a, 'GET', '/v1/inbox')).body.messages).toEqual([]);
    // the named-inbox path: own → 200, another's → 403
    expect((await call(p, b, 'GET', `/v1/institutions/${b.id}/inbox`)).body.messages).toHaveLength(1);
    const other = await call(p, a, 'GET', `/v1/institutions/${b.id}/inbox`);
    expect(other.status).toBe(403);
    expect(other.body.error).toBe('forbidden');
  });

  it('refuses a malformed cursor or limit: 400', async () => {
    expect((await call(p, newPlace, 'GET', '/v1/inbox?after=abc')).status).toBe(400);
    expect((await call(p, newPlace, 'GET', '/v1/inbox?limit=0')).status).toBe(400);
    expect((await call(p, newPlace, 'POST', '/v1/inbox/ack', { upTo: 5 })).status).toBe(400);
  });
});

describe('directory and operations', () => {
  it('lists institutions and lets an institution set only its own webhook', async () => {
    const dir = (await call(p, newPlace, 'GET', '/v1/institutions')).body.institutions;
    expect(dir.map((i: any) => i.id)).toEqual(expect.arrayContaining([newPlace.id, oldPlace.id]));
    expect(dir.find((i: any) => i.id === newPlace.id)).toMatchObject({ region: '360100', status: 'active', schemes: ['110', '210', '310'] });
    expect((await call(p, newPlace, 'PUT', `/v1/institutions/${oldPlace.id}/webhook`, { url: 'http://127.0.0.1:9/x' })).status).toBe(403);
    expect((await call(p, newPlace, 'PUT', `/v1/institutions/${newPlace.id}/webhook`, { url: 'http://127.0.0.1:9/jiexu', secret: 'sixteen-chars-long!' })).status).toBe(200);
    const seenBySelf = (await call(p, newPlace, 'GET', '/v1/institutions')).body.institutions.find((i: any) => i.id === newPlace.id);
    const seenByOther = (await call(p, oldPlace, 'GET', '/v1/institutions')).body.institutions.find((i: any) => i.id === newPlace.id);
    expect(seenBySelf.webhook).toEqual({ url: 'http://127.0.0.1:9/jiexu' });
    expect(seenByOther.webhook).toBeNull();
    expect(JSON.stringify(seenBySelf)).not.toContain('sixteen-chars-long!'); // the secret is never shown
    const own = await call(p, newPlace, 'PUT', `/v1/institutions/${newPlace.id}/webhook`, { url: null });
    expect(own.status).toBe(200);
    expect(own.body.webhook).toBeNull();
  });

  it('keeps the audit log append-only', async () => {
    const rows = await p.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'message.accept'`);
    expect(rows[0].n).toBeGreaterThan(0);
    await expect(p.db.query(`UPDATE audit_log SET actor = 'x'`)).rejects.toThrow(/append-only/);
    await expect(p.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(p.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const reads = await p.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'inbox.read'`);
    expect(reads[0].n).toBeGreaterThan(0);
  });

  it('writes one structured log line per request, with 公民身份号码 masked', async () => {
    await call(p, newPlace, 'GET', `/v1/cases/${encodeURIComponent('360100-si:11010519491231002X')}`);
    const line = JSON.parse(logLines.find((l) => l.includes('002X'))!);
    expect(line).toMatchObject({ method: 'GET', status: 404, institution: newPlace.id, route: '/v1/cases/:caseId' });
    expect(line.url).toContain('110105********002X');
    expect(logLines.join('\n')).not.toContain('11010519491231002X');
  });

  it('answers GET /v1/statistics with the caller\'s region only (statistics.test.ts has the figures)', async () => {
    const r = await call(p, newPlace, 'GET', '/v1/statistics');
    expect(r.status).toBe(200);
    expect(r.body.statistics.every((x: { region: string }) => x.region === '360100')).toBe(true);
  });

  it('serves the evidence routes: a case bundle, its receipts, the audit entries (parties only)', async () => {
    const app = application();
    expect((await call(p, newPlace, 'POST', '/v1/messages', app)).status).toBe(202);
    const caseId = encodeURIComponent(app.caseid);
    const bundle = await call(p, oldPlace, 'GET', `/v1/cases/${caseId}/bundle`);
    expect(bundle.status).toBe(200);
    expect(bundle.body).toMatchObject({ format: 'jiexu-case-bundle/1', caseId: app.caseid, messages: [{ envelope: { id: app.id } }] });
    expect((await call(p, third, 'GET', `/v1/cases/${caseId}/bundle`)).status).toBe(403);
    expect((await call(p, newPlace, 'GET', `/v1/cases/${caseId}/receipts`)).body).toEqual({ caseId: app.caseid, receipts: [] });
    expect((await call(p, third, 'GET', `/v1/cases/${caseId}/receipts`)).status).toBe(403);
    const audit = await call(p, newPlace, 'GET', `/v1/audit?caseId=${caseId}`);
    expect(audit.body.entries.map((e: any) => e.action)).toEqual(['message.accept', 'case.open', 'case.export']);
    expect((await call(p, newPlace, 'GET', '/v1/audit?limit=0')).status).toBe(400);
  });

  it('answers the console API without a session with 401 (console-api.test.ts signs in)', async () => {
    for (const [method, path] of [['GET', '/v1/console/session'], ['GET', '/v1/console/cases'], ['GET', '/v1/console/overdue'], ['GET', '/v1/console/cases/x'], ['GET', '/v1/console/cases/x/audit'], ['GET', '/v1/console/directory'], ['GET', '/v1/console/statistics']]) {
      expect((await call(p, newPlace, method, path)).status, path).toBe(401);
    }
    expect((await call(p, undefined, 'POST', '/v1/console/session', { principal: newPlace.id, challenge: 'x', signature: 'x..y' })).status).toBe(401);
    expect((await call(p, undefined, 'POST', '/v1/console/challenge')).status).toBe(200);
    expect((await call(p, undefined, 'DELETE', '/v1/console/session')).status).toBe(204);
  });

  it('takes the longest case id the standard allows, answers a longer path parameter with a 414 Problem, and documents 414 on every operation with one', async () => {
    // 6 + 1 + 31 + 1 + 64 characters: the envelope schema's longest caseid (over Fastify's default limit of 100)
    const longest = `360100-${'a'.repeat(31)}:${'B'.repeat(64)}`;
    expect(longest).toHaveLength(103);
    expect((await call(p, newPlace, 'GET', `/v1/cases/${encodeURIComponent(longest)}`)).status).toBe(404);
    const tooLong = `/v1/cases/${'C'.repeat(MAX_PATH_PARAM_LENGTH + 1)}`;
    const before = logLines.length;
    const r = await call(p, newPlace, 'GET', tooLong);
    expect(r.status).toBe(414);
    expect(r.body).toEqual({ error: 'uri-too-long', message: `a path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters` });
    expect(logLines.slice(before).map((l) => JSON.parse(l).status)).toContain(414); // logged like any request
    const doc = (await call(p, undefined, 'GET', '/openapi.json')).body;
    const withParam = Object.entries(doc.paths as Record<string, Record<string, any>>).filter(([path]) => path.includes('{'));
    expect(withParam.length).toBeGreaterThan(0);
    for (const [path, ops] of withParam) {
      for (const [method, op] of Object.entries(ops)) if (op.responses) expect(op.responses, `${method} ${path}`).toHaveProperty('414');
    }
    expect(doc.components.responses.UriTooLong.description).toContain(String(MAX_PATH_PARAM_LENGTH));
  });

  it('serves every operation of openapi.yaml (and documents every route it serves)', async () => {
    const doc = (await call(p, undefined, 'GET', '/openapi.json')).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const served = logLines.map((l) => JSON.parse(l)).map((l) => `${l.method} ${l.route}`);
    // every documented operation was exercised by this suite and matched a route
    for (const op of documented) expect(served).toContain(op);
    for (const op of new Set(served)) if (!op.endsWith('unmatched')) expect(documented).toContain(op);
  });

  it('counts requests in /metrics', async () => {
    const text = (await call(p, undefined, 'GET', '/metrics')).text;
    expect(text).toMatch(/jiexu_http_requests_total\{method="POST",route="\/v1\/messages",status="202"\} [1-9]/);
    expect(text).toMatch(/jiexu_messages_rejected_total\{error="idempotency-conflict"\} 1/);
    expect(text).toMatch(/jiexu_cases_open \d+/);
  });
});
