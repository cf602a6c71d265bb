/**
 * The client's transport behaviour (signing, retries, error mapping) against a
 * scripted HTTP server that verifies every signature with verifyRequest.
 * Behaviour against the real platform is in client.platform.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createClient, PlatformError, PlatformUnreachableError } from './client.ts';
import { verifyRequest } from './signing.ts';
import type { Envelope } from './types.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

interface Seen {
  method: string;
  url: string;
  body: string;
  verified: boolean;
  nonce?: string;
}
type Script = (req: IncomingMessage, res: ServerResponse, body: string, n: number) => void;

let script: Script = () => {};
let seen: Seen[] = [];
let baseUrl = '';
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const verified = verifyRequest({
      method: req.method ?? '',
      pathWithQuery: req.url ?? '',
      body,
      timestamp: String(req.headers['x-jiexu-timestamp'] ?? ''),
      signature: String(req.headers['x-jiexu-signature'] ?? ''),
      nonce: req.headers['x-jiexu-nonce'] as string | undefined,
      publicKey,
    });
    seen.push({ method: req.method ?? '', url: req.url ?? '', body, verified, nonce: req.headers['x-jiexu-nonce'] as string | undefined });
    script(req, res, body, seen.length);
  });
});

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const envelope: Envelope = {
  specversion: '1.0',
  id: 'msg-1',
  source: 'urn:jiexu:institution:cn-110000',
  type: 'cn.jiexu.pension.transfer-application.v1',
  time: '2026-11-29T08:00:00+08:00',
  sender: 'cn-110000',
  receivers: ['cn-210100'],
  caseid: 'case-1',
  casetype: 'pension-transfer',
  standardversion: '1.0',
  data: { name: '高强兰' },
};
const acceptance = { id: 'msg-1', source: envelope.source, caseId: 'case-1', status: 'accepted', receivedAt: '2026-11-29T00:00:00.000Z' };

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function client(extra: Partial<Parameters<typeof createClient>[0]> = {}) {
  seen = [];
  return createClient({ baseUrl, institutionId: 'cn-110000', privateKey, backoffMs: 5, ...extra });
}

describe('createClient', () => {
  it('signs every request so that the server can verify it, including the query string', async () => {
    script = (_q, res) => json(res, 200, { messages: [], next: '7' });
    const c = client();
    const page = await c.inbox({ after: '7', limit: 50 });
    expect(page).toEqual({ messages: [], next: '7' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/v1/inbox?after=7&limit=50', verified: true });
    await c.close();
  });

  it('keeps a base path prefix in the signed path', async () => {
    script = (_q, res) => json(res, 200, { institutions: [] });
    const c = client({ baseUrl: `${baseUrl}/platform/` });
    await c.institutions();
    expect(seen[0]).toMatchObject({ url: '/platform/v1/institutions', verified: true });
    await c.close();
  });

  it('retries a message on 5xx with the same bytes, and reports a replay (200) as such', async () => {
    script = (_q, res, _b, n) => (n < 3 ? json(res, 503, { error: 'internal-error', message: 'db down' }) : json(res, 200, acceptance));
    const c = client();
    const result = await c.send(envelope);
    expect(result).toEqual({ ...acceptance, replayed: true });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
    expect(JSON.parse(seen[0].body).id).toBe('msg-1');
    expect(seen.every((s) => s.verified)).toBe(true);
    await c.close();
  });

  it('retries when the connection is dropped before an answer', async () => {
    script = (req, res, _b, n) => {
      if (n === 1) req.socket.destroy();
      else json(res, 202, acceptance);
    };
    const c = client();
    const result = await c.send(envelope);
    expect(result.replayed).toBe(false);
    expect(seen).toHaveLength(2);
    await c.close();
  });

  it('never retries a 409 and exposes the problem code', async () => {
    script = (_q, res) => json(res, 409, { error: 'idempotency-conflict', message: 'msg-1 was accepted with a different body' });
    const c = client();
    const err = await c.send(envelope).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ status: 409, code: 'idempotency-conflict' });
    expect(seen).toHaveLength(1);
    await c.close();
  });

  it('carries a 422 report and names the first error in the message', async () => {
    const report = {
      valid: false,
      issues: [
        { severity: 'warning', code: 'name-damaged', message: { zh: '姓名', en: 'name damaged' } },
        { severity: 'error', code: 'required', message: { zh: '缺少', en: 'missing receivers' }, pointer: '/receivers' },
      ],
    };
    script = (_q, res) => json(res, 422, { error: 'invalid-message', message: 'the message does not validate', report });
    const c = client();
    const err = (await c.send(envelope).catch((e: unknown) => e)) as PlatformError;
    expect(err.report).toEqual(report);
    expect(err.message).toContain('required at /receivers: missing receivers');
    expect(seen).toHaveLength(1);
    await c.close();
  });

  it('gives up after the configured retries', async () => {
    script = (_q, res) => json(res, 500, { error: 'internal-error', message: 'boom' });
    const c = client({ retries: 2 });
    const err = (await c.send(envelope).catch((e: unknown) => e)) as PlatformError;
    expect(err.status).toBe(500);
    expect(seen).toHaveLength(3);
    await c.close();
  });

  it('reports an unreachable platform clearly', async () => {
    const c = createClient({ baseUrl: 'http://127.0.0.1:1', institutionId: 'x', privateKey, retries: 1, backoffMs: 1 });
    const err = await c.institutions().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformUnreachableError);
    expect((err as Error).message).toMatch(/cannot reach the platform at http:\/\/127\.0\.0\.1:1.*ECONNREFUSED/);
    await c.close();
  });

  it('signs a fresh nonce into every request (X-Jiexu-Nonce): a replay is recognisable', async () => {
    script = (_q, res) => json(res, 200, { institutions: [] });
    const c = client();
    await c.institutions();
    await c.institutions();
    expect(seen.map((s) => s.verified)).toEqual([true, true]);
    const [a, b] = seen.map((s) => s.nonce);
    expect(a).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(b).not.toBe(a);
    await c.close();
  });

  it('sends ack cursors as strings', async () => {
    script = (_q, res, body) => json(res, 200, { ackedUpTo: JSON.parse(body).upTo });
    const c = client();
    expect(await c.ack(12)).toEqual({ ackedUpTo: '12' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/inbox/ack', body: '{"upTo":"12"}', verified: true });
    await c.close();
  });
});
