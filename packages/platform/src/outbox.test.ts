import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_WEBHOOK_POLICY } from './outbox.ts';
import { verifyEnvelope } from '@jiexu/client';
import { call, envelope, exampleData, newCaseId, registerInstitution, setClientClock, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

let clock = Date.parse('2026-03-02T01:00:00Z');
setClientClock(() => clock);

let p: TestPlatform;
let a: TestInstitution;
let b: TestInstitution;
let hook: Server;
let hookUrl: string;
const received: Array<{ body: string; signature: string | undefined }> = [];
let failNext = 0;

beforeAll(async () => {
  p = await startTestPlatform({ now: () => new Date(clock), webhookPolicy: { ...DEFAULT_WEBHOOK_POLICY, maxAttempts: 4 } });
  a = await registerInstitution(p, '440300-si');
  b = await registerInstitution(p, '360100-si');
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push({ body, signature: req.headers['x-jiexu-webhook-signature'] as string | undefined });
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

const SECRET = 'a-webhook-secret-of-some-length';

async function outboxRow() {
  return (await p.db.query(`SELECT attempts, next_attempt_at, delivered_at, gave_up_at, last_error FROM outbox ORDER BY seq DESC LIMIT 1`))[0];
}

describe('webhook push from the outbox', () => {
  it('pushes each delivered message, signed with the secret, retrying with exponential backoff', async () => {
    expect((await call(p, b, 'PUT', `/v1/institutions/${b.id}/webhook`, { url: hookUrl, secret: SECRET })).status).toBe(200);
    failNext = 2;
    const env = envelope('pension.transfer-application', a, [b], newCaseId(a), 'pension-transfer', exampleData('pension.transfer-application'));
    expect((await call(p, a, 'POST', '/v1/messages', env)).status).toBe(202);

    expect(await p.flushWebhooks()).toBe(0); // 503
    let row = await outboxRow();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBe('HTTP 503');
    expect(row.next_attempt_at.getTime()).toBe(clock + backoffDelay(DEFAULT_WEBHOOK_POLICY, 1));
    expect(await p.flushWebhooks()).toBe(0); // not due yet
    expect((await outboxRow()).attempts).toBe(1);

    clock += 1_000;
    expect(await p.flushWebhooks()).toBe(0); // 503 again, now 2 s
    row = await outboxRow();
    expect(row.attempts).toBe(2);
    expect(row.next_attempt_at.getTime()).toBe(clock + 2_000);

    clock += 2_000;
    expect(await p.flushWebhooks()).toBe(1);
    row = await outboxRow();
    expect(row.delivered_at).not.toBeNull();
    expect(received).toHaveLength(1);
    const pushed = JSON.parse(received[0].body);
    expect(pushed.envelope.id).toBe(env.id);
    // the sender's envelope signature travels with the push, and verifies against the directory
    const keys = (await call(p, b, 'GET', '/v1/institutions')).body.institutions.find((i: any) => i.id === a.id).keys;
    expect(await verifyEnvelope(pushed.envelope, pushed.signature, keys)).toMatchObject({ valid: true });
    expect(received[0].signature).toBe(`sha256=${createHmac('sha256', SECRET).update(received[0].body).digest('hex')}`);
    // the push carries the inbox cursor: the same message the inbox holds
    const inbox = (await call(p, b, 'GET', '/v1/inbox')).body.messages;
    expect(inbox.find((m: any) => m.envelope.id === env.id).cursor).toBe(pushed.cursor);
    expect(await p.flushWebhooks()).toBe(0); // delivered once
    expect(received).toHaveLength(1);
  });

  it('gives up after the last attempt; the inbox still holds the message', async () => {
    failNext = 100;
    const env = envelope('pension.transfer-application', a, [b], newCaseId(a), 'pension-transfer', exampleData('pension.transfer-application'));
    expect((await call(p, a, 'POST', '/v1/messages', env)).status).toBe(202);
    for (let i = 0; i < 6; i++) {
      await p.flushWebhooks();
      clock += 60_000;
    }
    const row = await outboxRow();
    expect(row.attempts).toBe(4);
    expect(row.gave_up_at).not.toBeNull();
    expect((await call(p, b, 'GET', '/v1/inbox?limit=500')).body.messages.map((m: any) => m.envelope.id)).toContain(env.id);
    failNext = 0;
  });

  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(DEFAULT_WEBHOOK_POLICY, n))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(DEFAULT_WEBHOOK_POLICY, 20)).toBe(DEFAULT_WEBHOOK_POLICY.maxDelayMs);
  });
});
