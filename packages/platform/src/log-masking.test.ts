/**
 * Every line the platform logs during a run, read back and decoded every way a line can
 * carry an identifier: no 公民身份号码 in the clear — whether it came in a path, percent-
 * encoded once or twice, in a query string, in a header, in a rejected body's error
 * message, or in a background task's error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenIdCheckChar } from '@jiexu/standard';
import { unmaskedIdentifiers } from './mask.ts';
import { PLATFORM_ID } from './messages.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

const lines: string[] = [];
let p: TestPlatform;
let nanchang: TestInstitution;

const first17 = '36012419850315001';
const ID = first17 + citizenIdCheckChar(first17);
const percent = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');

beforeAll(async () => {
  p = await startTestPlatform({ log: (line) => lines.push(line), onError: () => {} });
  nanchang = await registerInstitution(p, '360100-si');
});
afterAll(async () => {
  await p?.close();
});

describe(`every log line masked (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('finds no citizen ID in any line, decoded or not', async () => {
    const requests: Array<[string, string, unknown?]> = [
      ['GET', `/v1/cases/${nanchang.id}:${ID}`],
      ['GET', `/v1/cases/${encodeURIComponent(`${nanchang.id}:${ID}`)}`],
      ['GET', `/v1/cases/${nanchang.id}%3A${percent(ID)}`],
      ['GET', `/v1/cases/${nanchang.id}%253A${percent(ID).replaceAll('%', '%25')}`],
      ['GET', `/v1/cases?person=${ID}&limit=5`],
      ['GET', `/v1/cases?person=${percent(ID)}`],
      ['GET', `/v1/inbox?after=${ID}`],
      ['GET', `/v1/no-such-route/${percent(ID)}`],
      ['GET', `/v1/cases/x?q=${encodeURIComponent(String.fromCharCode(...[...ID].map((c) => (c === 'X' ? 0xff38 : c.charCodeAt(0) - 0x30 + 0xff10))))}`],
    ];
    for (const [method, path] of requests) {
      const res = await call(p, nanchang, method, path);
      expect(res.status, path).toBeLessThan(500);
    }
    // unauthenticated, the identifier in the institution header and the path
    await fetch(`${p.url}/v1/cases/${percent(ID)}`, { headers: { 'x-jiexu-institution': ID } });
    // rejected bodies whose error message repeats what was sent
    const enrollment = envelope('enrollment.registered', nanchang, [PLATFORM_ID], newCaseId(nanchang), 'enrollment', exampleData('enrollment.registered', { person: { id: ID, name: '测试' }, region: '360100' }));
    const rejections = [
      { ...enrollment, sender: ID },
      { ...enrollment, source: `urn:jiexu:institution:${ID}` },
      { ...enrollment, caseid: `${nanchang.id}:${ID}`, casetype: `x${ID}` },
      { ...enrollment, receivers: [`${ID}-si`] },
    ];
    for (const body of rejections) {
      const res = await call(p, nanchang, 'POST', '/v1/messages', body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    // and one accepted, with the identifier in the case id
    const accepted = await call(p, nanchang, 'POST', '/v1/messages', { ...enrollment, caseid: `${nanchang.id}:E-${ID}`, subject: `${nanchang.id}:E-${ID}` });
    expect(accepted.status, accepted.text).toBe(202);
    expect((await call(p, nanchang, 'GET', `/v1/cases/${encodeURIComponent(`${nanchang.id}:E-${ID}`)}`)).status).toBe(200);

    expect(lines.length).toBeGreaterThanOrEqual(requests.length + rejections.length + 3);
    // the requests did carry the identifier: the log would show it unmasked without masking
    expect(lines.filter((l) => l.includes('360124********'))).not.toHaveLength(0);
    expect(lines.filter((l) => unmaskedIdentifiers(l).length)).toEqual([]);
  });
});
