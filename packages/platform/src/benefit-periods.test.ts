import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftCatalogue, draftValidator } from './draft-standard.ts';
import { PLATFORM_ID } from './messages.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, setClientClock, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

const clock = Date.parse('2026-07-21T02:00:00Z'); // 2026-07-21 10:00 in China, a Tuesday
setClientClock(() => clock);

let p: TestPlatform;
let shenyang: TestInstitution;
let beijing: TestInstitution;
let nanchang: TestInstitution;
let hangzhou: TestInstitution;

beforeAll(async () => {
  // benefit periods are standard 1.2, still a draft: the platform runs on the draft
  p = await startTestPlatform({ now: () => new Date(clock), catalogue: draftCatalogue(), validate: draftValidator() });
  // the directory takes released versions only: every institution reads 1.1 or 1.0
  shenyang = await registerInstitution(p, '210100-si', ['110', '210', '310'], '1.1');
  beijing = await registerInstitution(p, '110000-si', ['110', '210', '310'], '1.0');
  nanchang = await registerInstitution(p, '360100-si', ['110', '210', '310'], '1.1');
  hangzhou = await registerInstitution(p, '330100-si', ['110', '210', '310'], '1.1');
});
afterAll(async () => {
  await p?.close();
});

const person = { id: '210102197805200034', name: '张伟', gender: 'M' };

function toPlatform(message: string, who: TestInstitution, caseType: string, data: Record<string, unknown>, version: string, caseId = newCaseId(who)) {
  return envelope(message, who, [PLATFORM_ID], caseId, caseType, data, version === '1.0' ? {} : versioned(message, version));
}

function versioned(message: string, version: string) {
  return { standardversion: version, caseversion: version, dataschema: `https://jiexu.org/standard/${version}/messages/${message}.schema.json` };
}

function enrollment(who: TestInstitution, who_person: Record<string, unknown>, data: Record<string, unknown>, version = '1.1') {
  return toPlatform('enrollment.registered', who, 'enrollment', exampleData('enrollment.registered', { person: who_person, region: who.region, category: 'employee', ...data }, version), version);
}

async function inbox(who: TestInstitution, type: string) {
  const page = (await call(p, who, 'GET', '/v1/inbox?limit=500')).body;
  return page.messages.filter((m: any) => m.envelope.type === type);
}

describe(`benefit periods (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('sends the paying institution a stop notice when the person enrolls elsewhere during the unemployment-benefit period, once', async () => {
    const started = toPlatform('unemployment.benefit-started', shenyang, 'unemployment-benefit', exampleData('unemployment.benefit-started', { person, payingInstitution: shenyang.id, startsOn: '2026-03-01', expectedEndOn: '2027-02-28' }, '1.2'), '1.2');
    expect((await call(p, shenyang, 'POST', '/v1/messages', started)).status).toBe(202);
    expect(await inbox(shenyang, 'cn.jiexu.unemployment.benefit-stop-notice.v1')).toHaveLength(0);

    // resident medical insurance elsewhere is no re-employment
    const resident = enrollment(hangzhou, person, { scheme: '390', category: 'resident', effectiveMonth: '2026-07', registeredOn: '2026-07-02' });
    expect((await call(p, hangzhou, 'POST', '/v1/messages', resident)).status).toBe(202);
    expect(await inbox(shenyang, 'cn.jiexu.unemployment.benefit-stop-notice.v1')).toHaveLength(0);

    const reemployed = enrollment(beijing, person, { scheme: '110', effectiveMonth: '2026-07', registeredOn: '2026-07-20', employer: { id: '91350100M000100Y43', name: '北京某科技有限公司' } });
    expect((await call(p, beijing, 'POST', '/v1/messages', reemployed)).status).toBe(202);
    const [notice] = await inbox(shenyang, 'cn.jiexu.unemployment.benefit-stop-notice.v1');
    expect(notice).toBeDefined();
    const env = notice.envelope;
    expect(env).toMatchObject({ sender: PLATFORM_ID, receivers: [shenyang.id], casetype: 'unemployment-transfer', standardversion: '1.1' }); // the version Shenyang reads
    expect(env.data).toMatchObject({
      person: { id: person.id, name: '张伟' },
      payingRegion: '210100',
      reemployedRegion: '110000',
      reemployedSince: '2026-07-20', // the day Beijing registered her
      evidence: 'enrollment-registered',
      employer: { id: '91350100M000100Y43' },
      stopFromMonth: '2026-07',
      issuedOn: '2026-07-21',
    });
    expect(env.data.note).toContain(reemployed.id); // the evidence: which message said so
    // a case step with its deadline: the paying place acknowledges within 5 working days
    const c = (await call(p, shenyang, 'GET', `/v1/cases/${encodeURIComponent(env.caseid)}`)).body;
    expect(c).toMatchObject({ caseType: 'unemployment-transfer', state: 'stop-requested' });
    expect(c.currentStep).toMatchObject({ expects: ['admin.acknowledge'], awaiting: [shenyang.id], workingDays: 5, deadline: '2026-07-28', overdue: false });

    // the same period and region: no second notice
    const again = enrollment(beijing, person, { scheme: '210', effectiveMonth: '2026-07', registeredOn: '2026-07-20' });
    expect((await call(p, beijing, 'POST', '/v1/messages', again)).status).toBe(202);
    expect(await inbox(shenyang, 'cn.jiexu.unemployment.benefit-stop-notice.v1')).toHaveLength(1);

    // the paying place acknowledges: the benefit is stopped
    const ack = envelope('admin.acknowledge', shenyang, [PLATFORM_ID], env.caseid, 'unemployment-transfer', exampleData('admin.acknowledge', {}, '1.1'), { ...versioned('admin.acknowledge', '1.1'), inreplyto: env.id });
    expect((await call(p, shenyang, 'POST', '/v1/messages', ack)).status).toBe(202);
    expect((await call(p, shenyang, 'GET', `/v1/cases/${encodeURIComponent(env.caseid)}`)).body).toMatchObject({ state: 'stopped' });
  });

  it('sends nothing for an enrollment after the period ended, and notices a period reported after the enrollment', async () => {
    const other = { id: '360702199007080028', name: '陈小红', gender: 'F' };
    const caseId = newCaseId(nanchang);
    const start = (who: TestInstitution, p2 = other) =>
      toPlatform('unemployment.benefit-started', who, 'unemployment-benefit', exampleData('unemployment.benefit-started', { person: p2, payingRegion: who.region, payingInstitution: who.id, startsOn: '2026-01-01', expectedEndOn: '2026-12-31' }, '1.2'), '1.2', caseId);
    expect((await call(p, nanchang, 'POST', '/v1/messages', start(nanchang))).status).toBe(202);
    const ended = toPlatform('unemployment.benefit-ended', nanchang, 'unemployment-benefit', exampleData('unemployment.benefit-ended', { person: other, payingRegion: '360100', endedOn: '2026-04-30', reason: 'period-expired' }, '1.2'), '1.2', caseId);
    expect((await call(p, nanchang, 'POST', '/v1/messages', ended)).status).toBe(202);
    const later = enrollment(hangzhou, other, { scheme: '110', effectiveMonth: '2026-06', registeredOn: '2026-06-03' });
    expect((await call(p, hangzhou, 'POST', '/v1/messages', later)).status).toBe(202);
    expect(await inbox(nanchang, 'cn.jiexu.unemployment.benefit-stop-notice.v1')).toHaveLength(0);

    // Beijing knew of the Hangzhou enrollment first, then reports a period covering it
    const third = { id: '110105200002290021', name: '刘洋' };
    expect((await call(p, hangzhou, 'POST', '/v1/messages', enrollment(hangzhou, third, { scheme: '310', effectiveMonth: '2026-05', registeredOn: '2026-05-11' }))).status).toBe(202);
    const late = toPlatform('unemployment.benefit-started', beijing, 'unemployment-benefit', exampleData('unemployment.benefit-started', { person: third, payingRegion: '110000', payingInstitution: beijing.id, startsOn: '2026-02-01', expectedEndOn: '2026-10-31' }, '1.2'), '1.2');
    expect((await call(p, beijing, 'POST', '/v1/messages', late)).status).toBe(202);
    const notices = await inbox(beijing, 'cn.jiexu.unemployment.benefit-stop-notice.v1');
    expect(notices.map((n: any) => n.envelope.data.person.id)).toEqual([third.id]);
    // Beijing reads 1.0: the notice is written in it
    expect(notices[0].envelope).toMatchObject({ standardversion: '1.0', data: { reemployedRegion: '330100', stopFromMonth: '2026-05' } });
  });

  it('sends a duplicate-registration notice to both when a pension is drawn and the person enrolls or applies for a pension elsewhere', async () => {
    const pensioner = { id: '360124196003150019', name: '王建华' };
    const drawn = toPlatform('pension.benefit-drawn', nanchang, 'pension-benefit', exampleData('pension.benefit-drawn', { person: pensioner }, '1.2'), '1.2');
    expect((await call(p, nanchang, 'POST', '/v1/messages', drawn)).status).toBe(202);
    expect((await call(p, hangzhou, 'POST', '/v1/messages', enrollment(hangzhou, pensioner, { scheme: '110', effectiveMonth: '2026-06', registeredOn: '2026-06-01' }))).status).toBe(202);
    const dup = (await inbox(nanchang, 'cn.jiexu.duplicate-registration.notice.v1')).filter((m: any) => m.envelope.data.person.id === pensioner.id);
    expect(dup).toHaveLength(1);
    expect(dup[0].envelope).toMatchObject({ sender: PLATFORM_ID, receivers: [nanchang.id, hangzhou.id], casetype: 'duplicate-registration' });
    expect(dup[0].envelope.data).toMatchObject({
      scheme: '110',
      registrations: [
        { region: '360100', institution: nanchang.id, since: '2025-04' },
        { region: '330100', institution: hangzhou.id, since: '2026-06' },
      ],
      proposedKeptRegion: '360100',
    });
    // a pension transfer application at Beijing for the same person
    const application = envelope('pension.transfer-application', beijing, [hangzhou], newCaseId(beijing), 'pension-transfer', exampleData('pension.transfer-application', { person: pensioner, toRegion: '110000', fromRegion: '330100' }, '1.1'), versioned('pension.transfer-application', '1.1'));
    expect((await call(p, beijing, 'POST', '/v1/messages', application)).status).toBe(202);
    const atBeijing = (await inbox(beijing, 'cn.jiexu.duplicate-registration.notice.v1')).filter((m: any) => m.envelope.data.person.id === pensioner.id);
    expect(atBeijing).toHaveLength(1);
    expect(atBeijing[0].envelope.data.registrations[1]).toMatchObject({ region: '110000', institution: beijing.id });
  });

  it('ends a pension with pension.benefit-ended (or admin.close of its case): a pension enrollment elsewhere after the end month brings no notice, one in a month the pension was still paid does', async () => {
    const dupNotices = async (who: TestInstitution, id: string) => (await inbox(who, 'cn.jiexu.duplicate-registration.notice.v1')).filter((m: any) => m.envelope.data.person.id === id);
    // Nanchang pays a pension since 2025-04; the pensioner dies, paid to 2026-05-31
    const pensioner = { id: '360102195502140015', name: '李国强' };
    const caseId = newCaseId(nanchang);
    const drawn = toPlatform('pension.benefit-drawn', nanchang, 'pension-benefit', exampleData('pension.benefit-drawn', { person: pensioner }, '1.2'), '1.2', caseId);
    expect((await call(p, nanchang, 'POST', '/v1/messages', drawn)).status).toBe(202);
    const ended = toPlatform('pension.benefit-ended', nanchang, 'pension-benefit', exampleData('pension.benefit-ended', { person: pensioner, endedOn: '2026-05-31', reason: 'death' }, '1.2'), '1.2', caseId);
    expect((await call(p, nanchang, 'POST', '/v1/messages', ended)).status).toBe(202);
    expect((await call(p, nanchang, 'GET', `/v1/cases/${encodeURIComponent(caseId)}`)).body).toMatchObject({ caseType: 'pension-benefit', state: 'ended' });
    // an enrollment from June (after the end): nothing
    expect((await call(p, hangzhou, 'POST', '/v1/messages', enrollment(hangzhou, pensioner, { scheme: '110', effectiveMonth: '2026-06', registeredOn: '2026-06-02' }))).status).toBe(202);
    expect(await dupNotices(nanchang, pensioner.id)).toHaveLength(0);
    // an enrollment from May (the pension still paid for it): the duplicate is noticed
    expect((await call(p, beijing, 'POST', '/v1/messages', enrollment(beijing, pensioner, { scheme: '110', effectiveMonth: '2026-05', registeredOn: '2026-05-06' }))).status).toBe(202);
    const [dup] = await dupNotices(nanchang, pensioner.id);
    expect(dup.envelope.data.registrations[1]).toMatchObject({ region: '110000', since: '2026-05' });
    // a pension transfer application elsewhere: after the end month nothing, in the end month noticed
    // (stored outside a transaction unless the store's guard sees the period: an ended one too)
    const applyAt = (applicationDate: string) =>
      envelope('pension.transfer-application', shenyang, [hangzhou], newCaseId(shenyang), 'pension-transfer', exampleData('pension.transfer-application', { person: pensioner, toRegion: '210100', fromRegion: '330100', applicationDate }, '1.1'), versioned('pension.transfer-application', '1.1'));
    expect((await call(p, shenyang, 'POST', '/v1/messages', applyAt('2026-06-10'))).status).toBe(202);
    expect(await dupNotices(shenyang, pensioner.id)).toHaveLength(0);
    expect((await call(p, shenyang, 'POST', '/v1/messages', applyAt('2026-05-20'))).status).toBe(202);
    expect((await dupNotices(shenyang, pensioner.id)).map((m: any) => m.envelope.data.registrations[1])).toMatchObject([{ region: '210100', since: '2026-05' }]);

    // a pension whose case the paying region closes (admin.close): ended on the closing day
    const other = { id: '330106195811030020', name: '周丽' };
    const closedCase = newCaseId(hangzhou);
    const drawnThere = toPlatform('pension.benefit-drawn', hangzhou, 'pension-benefit', exampleData('pension.benefit-drawn', { person: other, payingRegion: '330100', payingInstitution: hangzhou.id, drawnSince: '2024-01-01' }, '1.2'), '1.2', closedCase);
    expect((await call(p, hangzhou, 'POST', '/v1/messages', drawnThere)).status).toBe(202);
    const close = toPlatform('admin.close', hangzhou, 'pension-benefit', exampleData('admin.close', { reason: 'died', closedOn: '2026-03-15' }, '1.2'), '1.2', closedCase);
    expect((await call(p, hangzhou, 'POST', '/v1/messages', close)).status).toBe(202);
    expect((await call(p, shenyang, 'POST', '/v1/messages', enrollment(shenyang, other, { scheme: '110', effectiveMonth: '2026-04', registeredOn: '2026-04-01' }))).status).toBe(202);
    expect(await dupNotices(hangzhou, other.id)).toHaveLength(0);
    expect(await p.db.query(`SELECT ended_on::text AS ended_on FROM benefit_periods WHERE case_id = $1`, [closedCase])).toEqual([{ ended_on: '2026-03-15' }]);
  });

  it('refuses benefit-period messages while the platform runs on released versions only', async () => {
    const plain = await startTestPlatform({ now: () => new Date(clock) });
    try {
      const who = await registerInstitution(plain, '210100-si');
      const started = toPlatform('unemployment.benefit-started', who, 'unemployment-benefit', exampleData('unemployment.benefit-started', {}, '1.2'), '1.2');
      const res = await call(plain, who, 'POST', '/v1/messages', started);
      expect(res.status).toBe(422);
      expect(res.body.report.issues.map((i: any) => i.code)).toEqual(['version-unsupported']);
    } finally {
      await plain.close();
    }
  });
});
