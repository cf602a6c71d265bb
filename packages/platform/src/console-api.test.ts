/**
 * The console API (/v1/console/): sign-in with a signed challenge, session revocation, and
 * what each viewer sees — an institution its own cases unmasked and nothing of others', the
 * operator every case with personal identifiers masked. Runs on PGlite, and on PostgreSQL
 * when DATABASE_URL is set.
 */
import { signDetached } from '@jiexu/client';
import { addWorkingDays } from '@jiexu/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOperatorKey, SIGNIN_TYPE, signInStatement } from './console-sessions.ts';
import { generateKeyPair, removePublicKey, setInstitutionStatus, addPublicKey } from './directory.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, setClientClock, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

let clock = Date.parse('2026-11-02T02:00:00Z'); // Mon 2026-11-02 10:00 in China
setClientClock(() => clock);
let p: TestPlatform;
let nanchang: TestInstitution; // new place of case A
let beijing: TestInstitution; // old place of case A
let ganzhou: TestInstitution; // new place of case B
let shenzhen: TestInstitution; // old place of case B
const operator = generateKeyPair();
let caseA: string;
let caseB: string;
const PERSON_A = '360702199007080028';
const PERSON_B = '440305198506150011';

beforeAll(async () => {
  p = await startTestPlatform({ now: () => new Date(clock) });
  nanchang = await registerInstitution(p, '360100-si');
  beijing = await registerInstitution(p, '110000-si');
  ganzhou = await registerInstitution(p, '360700-si');
  shenzhen = await registerInstitution(p, '440300-si');
  await addOperatorKey(p.db, operator.publicKeyPem, new Date(clock));
  // A: Beijing → Nanchang, the contact letter sent (Beijing owes the information form)
  const appA = envelope('pension.transfer-application', nanchang, [beijing], newCaseId(nanchang), 'pension-transfer', exampleData('pension.transfer-application', { applicationDate: '2026-11-02', person: { id: PERSON_A, name: '陈小红' } }));
  caseA = appA.caseid;
  expect((await call(p, nanchang, 'POST', '/v1/messages', appA)).status).toBe(202);
  const letter = envelope('pension.contact-letter', nanchang, [beijing], caseA, 'pension-transfer', exampleData('pension.contact-letter'), { inreplyto: appA.id });
  expect((await call(p, nanchang, 'POST', '/v1/messages', letter)).status).toBe(202);
  // B: Shenzhen → Ganzhou, only applied
  const appB = envelope('pension.transfer-application', ganzhou, [shenzhen], newCaseId(ganzhou), 'pension-transfer', exampleData('pension.transfer-application', { applicationDate: '2026-11-02', person: { id: PERSON_B, name: '李四' } }));
  caseB = appB.caseid;
  expect((await call(p, ganzhou, 'POST', '/v1/messages', appB)).status).toBe(202);
});
afterAll(async () => {
  await p?.close();
});

interface Session {
  cookie: string;
  setCookie: string;
  body: any;
}

async function challenge(): Promise<string> {
  const r = await fetch(`${p.url}/v1/console/challenge`, { method: 'POST' });
  expect(r.status).toBe(200);
  return ((await r.json()) as { challenge: string }).challenge;
}

/** Signs in as `principal` with `privateKeyPem`, the way the console page does (origin = the platform's). */
async function signInRaw(principal: string, privateKeyPem: string, opts: { challenge?: string; origin?: string; signedOrigin?: string } = {}) {
  const ch = opts.challenge ?? (await challenge());
  const origin = opts.origin ?? p.url;
  const signature = await signDetached(signInStatement(principal, ch, opts.signedOrigin ?? origin), privateKeyPem, { typ: SIGNIN_TYPE });
  const r = await fetch(`${p.url}/v1/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ principal, challenge: ch, signature }),
  });
  return { status: r.status, body: (await r.json()) as any, setCookie: r.headers.get('set-cookie') ?? '', challenge: ch };
}

async function signIn(principal: string, privateKeyPem: string): Promise<Session> {
  const r = await signInRaw(principal, privateKeyPem);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { cookie: r.setCookie.split(';')[0], setCookie: r.setCookie, body: r.body };
}

async function get(s: Session | undefined, path: string) {
  const r = await fetch(`${p.url}${path}`, { headers: s ? { cookie: s.cookie } : {} });
  return { status: r.status, body: (await r.json()) as any };
}

describe('console sign-in', () => {
  it('opens a session for a signed challenge: an HttpOnly, SameSite=Strict cookie for the console API only', async () => {
    const s = await signIn(nanchang.id, nanchang.privateKeyPem);
    expect(s.setCookie).toMatch(/^jiexu_console=[A-Za-z0-9_-]{43}; Path=\/v1\/console; HttpOnly; SameSite=Strict; Max-Age=1800$/);
    expect(s.body.viewer).toEqual({ kind: 'institution', id: nanchang.id, region: '360100', name: nanchang.id });
    const me = await get(s, '/v1/console/session');
    expect(me.status).toBe(200);
    expect(me.body.viewer.id).toBe(nanchang.id);
    // the platform keeps only a hash of the token
    const [row] = await p.db.query(`SELECT token_hash FROM console_sessions WHERE principal = $1 ORDER BY created_at DESC LIMIT 1`, [nanchang.id]);
    expect(row.token_hash).not.toBe(s.cookie.split('=')[1]);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a replayed challenge, another institution\'s key, a statement for another origin, an expired challenge', async () => {
    const first = await signInRaw(nanchang.id, nanchang.privateKeyPem);
    expect(first.status).toBe(200);
    const replay = await signInRaw(nanchang.id, nanchang.privateKeyPem, { challenge: first.challenge });
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/challenge is unknown, used or expired/);
    const wrongKey = await signInRaw(nanchang.id, beijing.privateKeyPem);
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.message).toMatch(/does not verify/);
    const phished = await signInRaw(nanchang.id, nanchang.privateKeyPem, { signedOrigin: 'https://jiexu.example.org' });
    expect(phished.status).toBe(401);
    const ch = await challenge();
    clock += 121_000;
    expect((await signInRaw(nanchang.id, nanchang.privateKeyPem, { challenge: ch })).status).toBe(401);
    expect((await signInRaw('360100-nobody', nanchang.privateKeyPem)).status).toBe(401);
    const malformed = await fetch(`${p.url}/v1/console/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"principal":1}' });
    expect(malformed.status).toBe(400);
  });

  it('ends the session on sign-out, after 30 minutes, when the key is removed and when the institution is disabled', async () => {
    const out = await signIn(ganzhou.id, ganzhou.privateKeyPem);
    const r = await fetch(`${p.url}/v1/console/session`, { method: 'DELETE', headers: { cookie: out.cookie } });
    expect(r.status).toBe(204);
    expect(r.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await get(out, '/v1/console/cases')).status).toBe(401);

    const expiring = await signIn(ganzhou.id, ganzhou.privateKeyPem);
    clock += 29 * 60_000;
    expect((await get(expiring, '/v1/console/cases')).status).toBe(200);
    clock += 61_000;
    expect((await get(expiring, '/v1/console/cases')).status).toBe(401);

    const spare = generateKeyPair();
    await addPublicKey(p.db, shenzhen.id, spare.publicKeyPem, new Date(clock));
    const withOld = await signIn(shenzhen.id, shenzhen.privateKeyPem);
    const withSpare = await signIn(shenzhen.id, spare.privateKeyPem);
    await removePublicKey(p.db, shenzhen.id, shenzhen.publicKeyPem, new Date(clock));
    expect((await get(withOld, '/v1/console/cases')).status).toBe(401);
    expect((await get(withSpare, '/v1/console/cases')).status).toBe(200);
    expect((await signInRaw(shenzhen.id, shenzhen.privateKeyPem)).status).toBe(401);
    shenzhen = { ...shenzhen, ...spare };

    const disabled = await signIn(beijing.id, beijing.privateKeyPem);
    await setInstitutionStatus(p.db, beijing.id, 'disabled', new Date(clock));
    expect((await get(disabled, '/v1/console/cases')).status).toBe(401);
    expect((await signInRaw(beijing.id, beijing.privateKeyPem)).status).toBe(401);
    await setInstitutionStatus(p.db, beijing.id, 'active', new Date(clock));
  });

  it('a signed request (institution headers) is no session: every console read needs the cookie', async () => {
    for (const path of ['/v1/console/cases', '/v1/console/overdue', '/v1/console/directory', '/v1/console/statistics', `/v1/console/cases/${encodeURIComponent(caseA)}`, `/v1/console/cases/${encodeURIComponent(caseA)}/audit`]) {
      expect((await call(p, nanchang, 'GET', path)).status, path).toBe(401);
      expect((await get(undefined, path)).status, path).toBe(401);
    }
  });
});

describe('console visibility and masking', () => {
  it('an institution lists only the cases it is party to, unmasked; the other\'s case is 403', async () => {
    const n = await signIn(nanchang.id, nanchang.privateKeyPem);
    const g = await signIn(ganzhou.id, ganzhou.privateKeyPem);
    const mine = (await get(n, '/v1/console/cases')).body;
    expect(mine.cases.map((c: any) => c.caseId)).toEqual([caseA]);
    expect(mine.cases[0]).toMatchObject({ own: true, person: { id: PERSON_A, name: '陈小红', masked: false }, state: 'contact-sent' });
    expect(mine.byStateAndStep).toEqual([expect.objectContaining({ caseType: 'pension-transfer', state: 'contact-sent', step: 'pension.transfer-info', cases: 1 })]);
    const theirs = (await get(g, '/v1/console/cases')).body;
    expect(theirs.cases.map((c: any) => c.caseId)).toEqual([caseB]);
    expect(JSON.stringify(theirs)).not.toContain(PERSON_A);
    expect(JSON.stringify(mine)).not.toContain(PERSON_B);
    for (const path of [`/v1/console/cases/${encodeURIComponent(caseB)}`, `/v1/console/cases/${encodeURIComponent(caseB)}/audit`]) {
      const r = await get(n, path);
      expect(r.status, path).toBe(403);
      expect(JSON.stringify(r.body)).not.toContain(PERSON_B);
    }
    expect((await get(n, `/v1/console/cases/${encodeURIComponent('360100-si:nope')}`)).status).toBe(404);
    // the old place of A sees A too
    const b = await signIn(beijing.id, beijing.privateKeyPem);
    expect((await get(b, '/v1/console/cases')).body.cases.map((c: any) => c.caseId)).toEqual([caseA]);
  });

  it('the operator sees every case, every person masked (no case is the operator\'s)', async () => {
    const o = await signIn('100000-platform', operator.privateKeyPem);
    expect(o.body.viewer).toEqual({ kind: 'operator', id: '100000-platform' });
    const all = (await get(o, '/v1/console/cases')).body;
    expect(all.cases.map((c: any) => c.caseId).sort()).toEqual([caseA, caseB].sort());
    const a = all.cases.find((c: any) => c.caseId === caseA);
    expect(a.person).toEqual({ id: '360702********0028', name: '陈**', masked: true });
    expect(JSON.stringify(all)).not.toContain(PERSON_A);
    expect(JSON.stringify(all)).not.toContain(PERSON_B);
    const timeline = (await get(o, `/v1/console/cases/${encodeURIComponent(caseA)}`)).body;
    expect(timeline.case.person.masked).toBe(true);
    const audit = await get(o, `/v1/console/cases/${encodeURIComponent(caseA)}/audit`);
    expect(audit.status).toBe(200);
    expect(audit.body.masked).toBe(true);
    expect(JSON.stringify(audit.body)).not.toContain(PERSON_A);
    // an institution key is no operator credential
    expect((await signInRaw('100000-platform', nanchang.privateKeyPem)).status).toBe(401);
  });

  it('filters by region (a province takes in its prefectures), scheme, state and step', async () => {
    const o = await signIn('100000-platform', operator.privateKeyPem);
    const ids = async (q: string) => (await get(o, `/v1/console/cases?${q}`)).body.cases.map((c: any) => c.caseId).sort();
    expect(await ids('region=360000')).toEqual([caseA, caseB].sort());
    expect(await ids('region=440300')).toEqual([caseB]);
    expect(await ids('region=110000')).toEqual([caseA]);
    expect(await ids('scheme=110')).toEqual([caseA, caseB].sort());
    expect(await ids('scheme=310')).toEqual([]);
    expect(await ids('state=applied')).toEqual([caseB]);
    expect(await ids('step=pension.transfer-info')).toEqual([caseA]);
    expect((await get(o, '/v1/console/cases?region=36')).status).toBe(400);
    expect((await get(o, '/v1/console/cases?overdue=maybe')).status).toBe(400);
  });
});

describe('console views', () => {
  it('overdue steps by region and step, with the deadline on the official calendar; the timeline says what was late', async () => {
    const n = await signIn(nanchang.id, nanchang.privateKeyPem);
    const before = (await get(n, `/v1/console/cases/${encodeURIComponent(caseA)}`)).body;
    const deadline = before.case.step.deadline as string;
    expect(deadline).toBe(addWorkingDays(before.case.step.startedAt.slice(0, 10), 15).date);
    expect((await get(n, '/v1/console/overdue')).body.groups).toEqual([]);
    clock = Date.parse(`${addWorkingDays(deadline, 2).date}T02:00:00Z`);
    const n2 = await signIn(nanchang.id, nanchang.privateKeyPem);
    const overdue = (await get(n2, '/v1/console/overdue')).body;
    const group = overdue.groups.find((x: any) => x.step === 'pension.transfer-info');
    expect(group).toMatchObject({ region: '110000', regionLabel: { zh: '北京市' }, stepLabel: { zh: expect.any(String) } });
    expect(group.steps).toEqual([expect.objectContaining({ caseId: caseA, awaiting: beijing.id, deadline, overdueWorkingDays: 2 })]);
    expect(group.steps[0].calendar.calendarDays).toBeGreaterThanOrEqual(15);
    // Ganzhou's case is not Nanchang's: its overdue step does not show
    expect(JSON.stringify(overdue)).not.toContain(caseB);
    const o = await signIn('100000-platform', operator.privateKeyPem);
    const all = (await get(o, '/v1/console/overdue')).body.groups;
    expect(all.map((x: any) => `${x.region} ${x.step}`)).toEqual(expect.arrayContaining(['110000 pension.transfer-info', '360700 pension.contact-letter']));
    expect((await get(o, '/v1/console/overdue?region=440000')).body.groups).toEqual([]);
    // the information form arrives late: the timeline marks it
    const info = envelope('pension.transfer-info', beijing, [nanchang], caseA, 'pension-transfer', exampleData('pension.transfer-info', { fromRegion: '110000', toRegion: '360100', totalTransferFen: 1_234_567 }), {
      inreplyto: before.timeline[1].id,
    });
    const sent = await call(p, beijing, 'POST', '/v1/messages', info);
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    const after = (await get(n2, `/v1/console/cases/${encodeURIComponent(caseA)}`)).body;
    expect(after.timeline.map((m: any) => [m.message, m.late])).toEqual([
      ['pension.transfer-application', false],
      ['pension.contact-letter', false],
      ['pension.transfer-info', true],
    ]);
    expect(after.timeline[2]).toMatchObject({ dueOn: deadline, workingDaysLate: 2, sender: beijing.id });
    expect(after.case.person).toEqual({ id: PERSON_A, name: '陈小红', masked: false });
    // reading the timeline is itself in the audit trail
    const audit = (await get(n2, `/v1/console/cases/${encodeURIComponent(caseA)}/audit`)).body;
    expect(audit.masked).toBe(false);
    expect(audit.entries.map((e: any) => e.action)).toContain('console.case.read');
    expect(audit.entries.some((e: any) => e.actor === beijing.id)).toBe(true);
  });

  it('transfers per region and year: the institution its own region, the operator all', async () => {
    const n = await signIn(nanchang.id, nanchang.privateKeyPem);
    const own = (await get(n, '/v1/console/statistics')).body;
    expect(own.scope).toBe('360100');
    expect(own.statistics).toEqual([expect.objectContaining({ region: '360100', transfersIn: 1, fundsInFen: 1_234_567, regionLabel: { zh: '南昌市', en: '南昌市' } })]);
    const o = await signIn('100000-platform', operator.privateKeyPem);
    const all = (await get(o, '/v1/console/statistics')).body.statistics.map((r: any) => r.region).sort();
    expect(all).toEqual(['110000', '360100']);
  });

  it('the directory groups institutions per province with the connected prefectures (2 of Jiangxi\'s 11)', async () => {
    const g = await signIn(ganzhou.id, ganzhou.privateKeyPem);
    const { provinces } = (await get(g, '/v1/console/directory')).body;
    const jiangxi = provinces.find((x: any) => x.province === '360000');
    expect(jiangxi).toMatchObject({ provinceLabel: { zh: '江西省' }, connectedPrefectures: 2, totalPrefectures: 11 });
    expect(jiangxi.prefectures.filter((x: any) => x.connected).map((x: any) => x.code)).toEqual(['360100', '360700']);
    const nc = jiangxi.institutions.find((i: any) => i.id === nanchang.id);
    expect(nc).toMatchObject({ connected: true, standardVersion: '1.0', messagesSent: 2, self: false });
    expect(nc.lastMessageAt).toMatch(/^2026-11-02T/);
    const beijingProvince = provinces.find((x: any) => x.province === '110000');
    expect(beijingProvince.provincial).toEqual([beijing.id]);
    expect(jiangxi.institutions.find((i: any) => i.id === ganzhou.id).self).toBe(true);
  });
});
