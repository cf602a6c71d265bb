import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overlapOf } from './duplicates.ts';
import { PLATFORM_ID } from './messages.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, setClientClock, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

const clock = Date.parse('2026-05-06T02:00:00Z');
setClientClock(() => clock);

let p: TestPlatform;
let shenzhen: TestInstitution;
let ganzhou: TestInstitution;
let nanchang: TestInstitution;

beforeAll(async () => {
  p = await startTestPlatform({ now: () => new Date(clock) });
  shenzhen = await registerInstitution(p, '440300-si');
  ganzhou = await registerInstitution(p, '360700-si');
  nanchang = await registerInstitution(p, '360100-si');
});
afterAll(async () => {
  await p?.close();
});

const person = { id: '440305198811110059', name: '黄志强', gender: 'M' };

function enrollment(message: 'enrollment.registered' | 'enrollment.changed' | 'enrollment.terminated', who: TestInstitution, data: Record<string, unknown>, caseId = newCaseId(who)) {
  return envelope(message, who, [PLATFORM_ID], caseId, 'enrollment', exampleData(message, { person, region: who.region, ...data }));
}

async function notices(who: TestInstitution) {
  const page = (await call(p, who, 'GET', '/v1/inbox?limit=500')).body;
  return page.messages.filter((m: any) => m.envelope.type === 'cn.jiexu.duplicate-registration.notice.v1');
}

describe(`duplicate registration (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('notifies both institutions when one person is actively enrolled in the same scheme in two regions', async () => {
    expect((await call(p, shenzhen, 'POST', '/v1/messages', enrollment('enrollment.registered', shenzhen, { scheme: '110', effectiveMonth: '2012-03', registeredOn: '2012-03-01' }))).status).toBe(202);
    // another scheme elsewhere is no duplicate
    expect((await call(p, nanchang, 'POST', '/v1/messages', enrollment('enrollment.registered', nanchang, { scheme: '310', effectiveMonth: '2025-09', registeredOn: '2025-09-02' }))).status).toBe(202);
    expect(await notices(shenzhen)).toHaveLength(0);
    expect(await notices(nanchang)).toHaveLength(0);

    const second = enrollment('enrollment.registered', ganzhou, { scheme: '110', effectiveMonth: '2025-09', registeredOn: '2025-09-02' });
    expect((await call(p, ganzhou, 'POST', '/v1/messages', second)).status).toBe(202);
    const [atShenzhen] = await notices(shenzhen);
    const [atGanzhou] = await notices(ganzhou);
    expect(atShenzhen).toBeDefined();
    expect(atGanzhou.envelope.id).toBe(atShenzhen.envelope.id); // one notice, both receivers
    const env = atShenzhen.envelope;
    expect(env).toMatchObject({ sender: PLATFORM_ID, casetype: 'duplicate-registration', receivers: [shenzhen.id, ganzhou.id] });
    expect(env.data).toMatchObject({
      person: { id: person.id },
      scheme: '110',
      registrations: [
        { region: '440300', institution: shenzhen.id, since: '2012-03' },
        { region: '360700', institution: ganzhou.id, since: '2025-09' },
      ],
      proposedKeptRegion: '360700',
      detectedOn: '2026-05-06',
      // enrolled in both from the later first month (2025-09) to the month of detection (2026-05): Sep–Dec + Jan–May
      overlap: { firstMonth: '2025-09', lastMonth: '2026-05' },
      overlapMonths: 4 + 5,
    });
    expect(await notices(nanchang)).toHaveLength(0);
    // the notice opened a case both parties can follow
    const c = (await call(p, ganzhou, 'GET', `/v1/cases/${encodeURIComponent(env.caseid)}`)).body;
    expect(c).toMatchObject({ caseType: 'duplicate-registration', state: 'notified', parties: [ganzhou.id, shenzhen.id].sort() });

    // a repeated registration notice for the same pair causes no second notice
    const again = enrollment('enrollment.changed', ganzhou, { scheme: '110', effectiveMonth: '2026-01', changedOn: '2026-01-05', status: 'active' }, second.caseid);
    const res = await call(p, ganzhou, 'POST', '/v1/messages', again);
    expect(res.status).toBe(202);
    expect(await notices(shenzhen)).toHaveLength(1);
  });

  it('stops counting an enrollment once terminated, and notices a new duplicate after that', async () => {
    const other = { id: '360702199007080028', name: '陈小红', gender: 'F' };
    const reg = (who: TestInstitution) =>
      envelope('enrollment.registered', who, [PLATFORM_ID], newCaseId(who), 'enrollment', exampleData('enrollment.registered', { person: other, region: who.region, scheme: '210', effectiveMonth: '2024-01' }));
    const first = reg(nanchang);
    expect((await call(p, nanchang, 'POST', '/v1/messages', first)).status).toBe(202);
    const end = envelope('enrollment.terminated', nanchang, [PLATFORM_ID], first.caseid, 'enrollment', exampleData('enrollment.terminated', { person: other, region: nanchang.region, scheme: '210' }));
    expect((await call(p, nanchang, 'POST', '/v1/messages', end)).status).toBe(202);
    const before = (await notices(nanchang)).length;
    expect((await call(p, ganzhou, 'POST', '/v1/messages', reg(ganzhou))).status).toBe(202);
    expect((await notices(nanchang)).length).toBe(before); // terminated: no duplicate
  });
});

describe('overlapOf', () => {
  it('spans the later first month to the month of detection, both included; nothing when a first month is unknown or to come', () => {
    expect(overlapOf('2026-05', '2019-01', '2026-05-31')).toEqual({ overlap: { firstMonth: '2026-05', lastMonth: '2026-05' }, overlapMonths: 1 });
    expect(overlapOf('2024-11', '2025-02', '2026-01-10')).toEqual({ overlap: { firstMonth: '2025-02', lastMonth: '2026-01' }, overlapMonths: 12 });
    expect(overlapOf(null, '2025-02', '2026-01-10')).toBeUndefined();
    expect(overlapOf('2026-02', '2025-02', '2026-01-10')).toBeUndefined();
  });
});
