import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '@jiexu/standard';
import { migrate } from '@jiexu/versioning';
import { setStandardVersion } from './directory.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

// Each institution reads the version of the standard it declared; a case keeps the version it started with.
let p: TestPlatform;
let reads10: TestInstitution; // a region still on 1.0
let reads11: TestInstitution; // a region on 1.1
let hook: Server;
let hookUrl: string;
const pushed: any[] = [];

beforeAll(async () => {
  p = await startTestPlatform();
  reads10 = await registerInstitution(p, '360100-si');
  reads11 = await registerInstitution(p, '440300-si', undefined, '1.1');
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      pushed.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/jiexu`;
});
afterAll(async () => {
  await p?.close();
  await new Promise((r) => hook?.close(r));
});

/** The 1.1 envelope of `message`: standardversion and dataschema 1.1, the case's version as given. */
function in11(env: ReturnType<typeof envelope>): ReturnType<typeof envelope> {
  return { ...env, standardversion: '1.1', dataschema: env.dataschema!.replace('/standard/1.0/', '/standard/1.1/') };
}

async function inbox(who: TestInstitution): Promise<any[]> {
  const res = await call(p, who, 'GET', '/v1/inbox?limit=500');
  expect(res.status).toBe(200);
  return res.body.messages;
}

async function stored(source: string, id: string): Promise<any> {
  return (await p.db.query(`SELECT envelope FROM messages WHERE source = $1 AND id = $2`, [source, id]))[0].envelope;
}

describe(`standard versions (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('shows each institution\'s declared version in the directory and refuses an unsupported one', async () => {
    const list = (await call(p, reads10, 'GET', '/v1/institutions')).body.institutions;
    expect(Object.fromEntries(list.map((i: any) => [i.id, i.standardVersion]))).toEqual({ [reads10.id]: '1.0', [reads11.id]: '1.1' });
    await expect(setStandardVersion(p.db, reads10.id, '0.9')).rejects.toThrow(/not supported.*1\.0, 1\.1/);
    await expect(registerInstitution(p, '110100-si', undefined, '2.0')).rejects.toThrow(/not supported/);
  });

  it('delivers a 1.0 sender\'s message to a 1.1 institution as 1.1, losslessly, keeping caseversion', async () => {
    const app = envelope('pension.transfer-application', reads10, [reads11], newCaseId(reads10), 'pension-transfer', exampleData('pension.transfer-application'));
    const accepted = await call(p, reads10, 'POST', '/v1/messages', app);
    expect(accepted.status).toBe(202);
    expect(accepted.body.losses).toBeUndefined(); // going up loses nothing
    const item = (await inbox(reads11)).find((m) => m.envelope.id === app.id);
    expect(item.envelope.standardversion).toBe('1.1');
    expect(item.envelope.caseversion).toBe('1.0');
    expect(item.envelope.dataschema).toContain('/standard/1.1/');
    expect(item.migration).toMatchObject({ from: '1.0', to: '1.1', lossless: true, issues: [] });
    expect(validateDocument(item.envelope, { schema: 'envelope' }).valid).toBe(true);
    // the delivered copy is exactly what migrate() makes of the stored message, which stays 1.0
    const kept = await stored(app.source, app.id);
    expect(kept).toEqual(app);
    expect(item.envelope).toEqual(migrate(kept, '1.1').doc);
  });

  it('delivers a 1.1 message to a 1.0 institution as 1.0 and says what was dropped; the stored message keeps it', async () => {
    // reads10 is the new place (转入地), reads11 the old place (转出地) that sends the information form in 1.1
    const caseId = newCaseId(reads10);
    const app = envelope('pension.transfer-application', reads10, [reads11], caseId, 'pension-transfer', exampleData('pension.transfer-application'));
    expect((await call(p, reads10, 'POST', '/v1/messages', app)).status).toBe(202);
    const letter = envelope('pension.contact-letter', reads10, [reads11], caseId, 'pension-transfer', exampleData('pension.contact-letter'), { inreplyto: app.id });
    expect((await call(p, reads10, 'POST', '/v1/messages', letter)).status).toBe(202);
    const data = JSON.parse(readFileSync(new URL('../../../schemas/1.1/messages/examples/pension.transfer-info/valid/shenzhen-to-nanchang-with-record.json', import.meta.url), 'utf8'));
    const record = data.records.find((r: any) => r.kind === 'contribution-record');
    record.deemedMonths = 96;
    const info = in11(envelope('pension.transfer-info', reads11, [reads10], caseId, 'pension-transfer', data, { inreplyto: letter.id }));
    expect((await call(p, reads10, 'PUT', `/v1/institutions/${reads10.id}/webhook`, { url: hookUrl })).status).toBe(200);
    pushed.length = 0;
    const sent = await call(p, reads11, 'POST', '/v1/messages', info);
    expect(sent.status, sent.text).toBe(202);
    // the sender learns what its 1.0 receiver will not see
    expect(sent.body.losses).toEqual([{ receiver: reads10.id, standardVersion: '1.0', issues: migrate(info, '1.0').report.issues }]);

    const item = (await inbox(reads10)).find((m) => m.envelope.id === info.id);
    expect(item.envelope.standardversion).toBe('1.0');
    expect(item.envelope.caseversion).toBe('1.0');
    expect(validateDocument(item.envelope, { schema: 'envelope' }).valid).toBe(true);
    const index = data.records.indexOf(record);
    expect(item.envelope.data.records[index].deemedMonths).toBeUndefined();
    expect(item.migration.lossless).toBe(false);
    expect(item.migration).toMatchObject({ from: '1.1', to: '1.0' });
    expect(item.migration.issues).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'migration-value-dropped', pointer: `/data/records/${index}/deemedMonths`, value: 96 }),
    );
    // the report is the one migrate() gives for the message as sent
    expect(item.migration.issues).toEqual(migrate(info, '1.0').report.issues);
    // the webhook pushes the same item as the inbox read (the worker is woken on delivery; flush whatever is left)
    await p.flushWebhooks();
    for (let i = 0; i < 100 && !pushed.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(pushed).toEqual([item]);
    await call(p, reads10, 'PUT', `/v1/institutions/${reads10.id}/webhook`, { url: null });
    const kept = await stored(info.source, info.id);
    expect(kept.standardversion).toBe('1.1');
    expect(kept.data.records[index].deemedMonths).toBe(96);

    // after the institution moves to 1.1, the same inbox item is delivered as sent
    await setStandardVersion(p.db, reads10.id, '1.1');
    const again = (await call(p, reads10, 'GET', '/v1/inbox?after=0&limit=500')).body.messages.find((m: any) => m.envelope.id === info.id);
    expect(again.migration).toBeUndefined();
    expect(again.envelope).toEqual(info);
    await setStandardVersion(p.db, reads10.id, '1.0');
  });

  it('refuses a message that changes the case\'s version mid-case', async () => {
    const caseId = newCaseId(reads10);
    const app = envelope('pension.transfer-application', reads10, [reads11], caseId, 'pension-transfer', exampleData('pension.transfer-application'));
    expect((await call(p, reads10, 'POST', '/v1/messages', app)).status).toBe(202);
    const letter = in11(
      envelope('pension.contact-letter', reads10, [reads11], caseId, 'pension-transfer', exampleData('pension.contact-letter'), { inreplyto: app.id, caseversion: '1.1' }),
    );
    const res = await call(p, reads10, 'POST', '/v1/messages', letter);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('case-conflict');
    expect(res.body.message).toMatch(/started with standard 1\.0; caseversion must stay 1\.0, not 1\.1/);
    expect(res.body.report.issues).toEqual([expect.objectContaining({ severity: 'error', code: 'case-version-changed', pointer: '/caseversion' })]);
    // the same message in 1.1 with the case's version is accepted
    const kept = { ...letter, id: `${letter.id}-2`, caseversion: '1.0' };
    expect((await call(p, reads10, 'POST', '/v1/messages', kept)).status).toBe(202);
    const view = (await call(p, reads10, 'GET', `/v1/cases/${encodeURIComponent(caseId)}`)).body;
    expect(view.standardVersion).toBe('1.0');
  });
});
