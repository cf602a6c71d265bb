/** GET /v1/statistics: transfers in and out per region and year with their funds (the report's table 8), own region only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transferStatistics } from './statistics.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, setClientClock, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

let clock = Date.parse('2026-12-31T15:30:00Z'); // 2026-12-31 23:30 in China
setClientClock(() => clock);
let p: TestPlatform;
let nanchang: TestInstitution;
let beijing: TestInstitution;
let guangzhou: TestInstitution;

beforeAll(async () => {
  p = await startTestPlatform({ now: () => new Date(clock) });
  nanchang = await registerInstitution(p, '360100-si');
  beijing = await registerInstitution(p, '110100-si');
  guangzhou = await registerInstitution(p, '440100-si');
});
afterAll(async () => {
  await p?.close();
});

/** Application, contact letter and the information form with its funds, old → new. */
async function transfer(from: TestInstitution, to: TestInstitution, fromRegion: string, toRegion: string, totalTransferFen: number) {
  const app = envelope('pension.transfer-application', to, [from], newCaseId(to), 'pension-transfer', exampleData('pension.transfer-application', { applicationDate: '2026-12-28' }));
  expect((await call(p, to, 'POST', '/v1/messages', app)).status).toBe(202);
  const letter = envelope('pension.contact-letter', to, [from], app.caseid, 'pension-transfer', exampleData('pension.contact-letter'), { inreplyto: app.id });
  expect((await call(p, to, 'POST', '/v1/messages', letter)).status).toBe(202);
  const info = envelope('pension.transfer-info', from, [to], app.caseid, 'pension-transfer', exampleData('pension.transfer-info', { fromRegion, toRegion, totalTransferFen }), { inreplyto: letter.id });
  const r = await call(p, from, 'POST', '/v1/messages', info);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
}

describe('transfer statistics', () => {
  it('counts each information form out for its fromRegion and in for its toRegion, by China year, with the funds', async () => {
    await transfer(beijing, nanchang, '110100', '360100', 1_780_000); // 2026 in China
    clock = Date.parse('2026-12-31T16:30:00Z'); // 2027-01-01 00:30 in China
    await transfer(beijing, nanchang, '110100', '360100', 2_000_001);
    await transfer(nanchang, guangzhou, '360100', '440100', 1_670_000);
    const all = await transferStatistics(p.db);
    expect(all.filter((r) => r.region === '360100')).toEqual([
      { region: '360100', year: 2026, transfersIn: 1, transfersOut: 0, fundsInFen: 1_780_000, fundsOutFen: 0 },
      { region: '360100', year: 2027, transfersIn: 1, transfersOut: 1, fundsInFen: 2_000_001, fundsOutFen: 1_670_000 },
    ]);
    expect(all.find((r) => r.region === '110100' && r.year === 2027)).toMatchObject({ transfersOut: 1, fundsOutFen: 2_000_001 });
  });

  it('an institution sees its own region only; unauthenticated: 401', async () => {
    const r = await call(p, nanchang, 'GET', '/v1/statistics');
    expect(r.status).toBe(200);
    expect(new Set(r.body.statistics.map((x: { region: string }) => x.region))).toEqual(new Set(['360100']));
    const g = await call(p, guangzhou, 'GET', '/v1/statistics');
    expect(g.body.statistics).toEqual([{ region: '440100', year: 2027, transfersIn: 1, transfersOut: 0, fundsInFen: 1_670_000, fundsOutFen: 0 }]);
    expect((await call(p, undefined, 'GET', '/v1/statistics')).status).toBe(401);
  });
});
