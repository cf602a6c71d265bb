/**
 * The request pipeline (server.ts) and the directory cache (directory-cache.ts): the
 * signature is checked over the raw bytes before the body is decoded or parsed; invalid
 * UTF-8 is 400; a signed nonce is accepted once; a key removed or an institution disabled
 * by another connection to the database (another process) stops authenticating at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newNonce, signRequest } from '@jiexu/client';
import { openPostgres, type Db } from './db.ts';
import { addPublicKey, generateKeyPair } from './directory.ts';
import { Metrics } from './metrics.ts';
import { startPlatform } from './platform.ts';
import { NonceStore } from './request-nonces.ts';
import { buildApp, MAX_SKEW_MS } from './server.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

let p: TestPlatform;
let a: TestInstitution;
let b: TestInstitution;

beforeAll(async () => {
  p = await startTestPlatform();
  a = await registerInstitution(p, '360100-si');
  b = await registerInstitution(p, '110100-si');
});
afterAll(async () => {
  await p?.close();
});

/** Sends `raw` signed by `who` over `signedOver` (default: the same bytes). */
async function send(who: TestInstitution, method: string, path: string, raw: Buffer | undefined, opts: { signedOver?: Buffer; nonce?: string; headers?: Record<string, string>; url?: string } = {}) {
  const headers: Record<string, string> = {
    ...(raw ? { 'content-type': 'application/json' } : {}),
    ...signRequest({ method, pathWithQuery: path, body: opts.signedOver ?? raw ?? '', institutionId: who.id, privateKey: who.privateKeyPem, nonce: opts.nonce }),
    ...opts.headers,
  };
  const res = await fetch((opts.url ?? p.url) + path, { method, headers, body: raw });
  return { status: res.status, body: (await res.json()) as { error: string; message: string } };
}

async function within<T>(ms: number, probe: () => Promise<T>, done: (t: T) => boolean): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() - t0 > ms) return { value, ms: Date.now() - t0 };
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe(`the request pipeline (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('checks the signature before it parses the body: a badly signed body that is not JSON gets 401, not 400', async () => {
    const garbage = Buffer.from('{"this is": not json');
    const res = await send(a, 'POST', '/v1/messages', garbage, { signedOver: Buffer.from('{}') });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('unauthorized');
    // unsigned: 401 as well
    const unsigned = await fetch(`${p.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: garbage });
    expect(unsigned.status).toBe(401);
    // well signed, not JSON: only now 400
    const signed = await send(a, 'POST', '/v1/messages', garbage);
    expect(signed.status).toBe(400);
    expect(signed.body.message).toMatch(/not valid JSON/);
  });

  it('refuses invalid UTF-8 with 400 and the offset of the bad byte, never substituting U+FFFD', async () => {
    const env = envelope('pension.transfer-application', a, [b], newCaseId(a), 'pension-transfer', exampleData('pension.transfer-application'));
    const text = JSON.stringify(env);
    const at = text.indexOf('"id"');
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at + 6)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(at + 6))]);
    const res = await send(a, 'POST', '/v1/messages', bytes);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`body is not valid UTF-8 (invalid byte at offset ${at + 7})`);
    // an overlong encoding and a UTF-16 surrogate encoded in UTF-8 are invalid too
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      const r = await send(a, 'POST', '/v1/messages', Buffer.concat([Buffer.from('{"a":"'), Buffer.from(bad), Buffer.from('"}')]));
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(/not valid UTF-8/);
    }
    expect((await call(p, a, 'GET', `/v1/cases/${encodeURIComponent(env.caseid)}`)).status).toBe(404);
  });

  it('accepts a signed nonce once: a replayed signed GET is refused with 401', async () => {
    const nonce = newNonce();
    const first = await send(a, 'GET', '/v1/inbox', undefined, { nonce });
    expect(first.status).toBe(200);
    const replay = await send(a, 'GET', '/v1/inbox', undefined, { nonce });
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/already used/);
    // another institution's nonce space is its own
    expect((await send(b, 'GET', '/v1/inbox', undefined, { nonce })).status).toBe(200);
    // the nonce is signed: swapping it for a fresh one breaks the signature
    const headers = signRequest({ method: 'GET', pathWithQuery: '/v1/inbox', institutionId: a.id, privateKey: a.privateKeyPem, nonce: newNonce() });
    const swapped = await fetch(`${p.url}/v1/inbox`, { headers: { ...headers, 'X-Jiexu-Nonce': newNonce() } });
    expect(swapped.status).toBe(401);
    // a malformed nonce is refused before anything else
    expect((await send(a, 'GET', '/v1/inbox', undefined, { headers: { 'X-Jiexu-Nonce': 'short' } })).status).toBe(401);
  });

  it('refuses a nonce replayed through another server on the same database: 401', async () => {
    // PostgreSQL: a second platform (another process's state) on the same schema; PGlite, which one
    // process owns: a second HTTP server over the same database (no memory shared but the database)
    let other: { url: string; close(): Promise<unknown> };
    if (process.env.DATABASE_URL) {
      const [{ schema }] = await p.db.query(`SELECT current_schema() AS schema`);
      other = await startPlatform({ port: 0, databaseUrl: process.env.DATABASE_URL, schema, log: () => {}, reminderIntervalMs: 0, outboxIntervalMs: 0 });
    } else {
      const app = buildApp(p.context, { metrics: new Metrics(), storageKind: p.db.kind, log: () => {} });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address() as { port: number };
      other = { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
    }
    try {
      const nonce = newNonce();
      expect((await send(a, 'GET', '/v1/inbox', undefined, { nonce })).status).toBe(200);
      const replay = await send(a, 'GET', '/v1/inbox', undefined, { nonce, url: other.url });
      expect(replay.status).toBe(401);
      expect(replay.body.message).toMatch(/already used by 360100-si/);
      // and the other way round
      const second = newNonce();
      expect((await send(a, 'GET', '/v1/inbox', undefined, { nonce: second, url: other.url })).status).toBe(200);
      expect((await send(a, 'GET', '/v1/inbox', undefined, { nonce: second })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('forgets a nonce twice the timestamp window after its first use, purging the expired rows', async () => {
    const nonces = new NonceStore(p.db, MAX_SKEW_MS);
    const t0 = new Date(Date.now() + 3_600_000); // clear of the other tests' rows
    const nonce = newNonce();
    expect(await nonces.use(b.id, nonce, t0)).toBe(true);
    expect(await nonces.use(b.id, nonce, new Date(t0.getTime() + 2 * MAX_SKEW_MS))).toBe(false); // the last moment it is remembered
    const later = new Date(t0.getTime() + 2 * MAX_SKEW_MS + 1);
    expect(await new NonceStore(p.db, MAX_SKEW_MS).use(b.id, newNonce(), later)).toBe(true); // a fresh store purges first
    expect(await p.db.query(`SELECT 1 FROM request_nonces WHERE nonce = $1`, [nonce])).toHaveLength(0);
    expect(await nonces.use(b.id, nonce, later)).toBe(true); // purged: usable again
    expect(await nonces.use(b.id, nonce, later)).toBe(false);
    // expired but not yet purged (this process purged 50 s before it expired): taken over, once
    const s = new NonceStore(p.db, MAX_SKEW_MS);
    const n = newNonce();
    const t1 = new Date(later.getTime() + 3_600_000);
    expect(await s.use(b.id, n, t1)).toBe(true);
    expect(await s.use(b.id, newNonce(), new Date(t1.getTime() + 2 * MAX_SKEW_MS - 50_000))).toBe(true); // purges; n still live
    const after = new Date(t1.getTime() + 2 * MAX_SKEW_MS + 5_000); // 55 s since the purge: none now
    expect(await s.use(b.id, n, after)).toBe(true);
    expect(await s.use(b.id, n, after)).toBe(false);
  });

  it('takes concurrent nonces in shared statements: each fresh once, a nonce twice among them fresh only once', async () => {
    const nonces = new NonceStore(p.db, MAX_SKEW_MS);
    const statements: unknown[][] = [];
    const counted = {
      kind: p.db.kind,
      query(sql: string, params?: unknown[]) {
        if (sql.includes('INSERT INTO request_nonces')) statements.push(params ?? []);
        return p.db.query(sql, params);
      },
    };
    const s = new NonceStore(counted as typeof p.db, MAX_SKEW_MS);
    await s.use(a.id, newNonce(), new Date()); // the first purges, then goes alone
    statements.length = 0;
    const now = new Date();
    const fresh = Array.from({ length: 30 }, () => newNonce());
    const twice = fresh[3];
    const answers = await Promise.all([...fresh.map((n) => s.use(a.id, n, now)), s.use(a.id, twice, now), s.use(b.id, twice, now)]);
    // the same nonce of another institution is its own
    expect(answers).toEqual([...fresh.map(() => true), false, true]);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.length).toBeLessThan(fresh.length); // grouped
    // and every one of them is remembered, through any store on the database
    for (const n of fresh) expect(await nonces.use(a.id, n, now)).toBe(false);
  });
});

describe(`the directory cache (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('a key removed and an institution disabled by another connection stop authenticating at once', async () => {
    // another process's connection to the same database (PGlite: one process owns it, so plain SQL on it)
    let other: Db = p.db;
    if (process.env.DATABASE_URL) {
      const [{ schema }] = await p.db.query(`SELECT current_schema() AS schema`);
      other = await openPostgres({ connectionString: process.env.DATABASE_URL, schema });
    }
    try {
      const c = await registerInstitution(p, '440100-si');
      const second = generateKeyPair();
      await addPublicKey(p.db, c.id, second.publicKeyPem);
      const withSecond = { ...c, privateKeyPem: second.privateKeyPem };
      // both keys authenticate, and are now cached
      expect((await call(p, c, 'GET', '/v1/inbox')).status).toBe(200);
      expect((await call(p, withSecond, 'GET', '/v1/inbox')).status).toBe(200);
      expect((await call(p, withSecond, 'GET', '/v1/inbox')).status).toBe(200);

      // the second key removed behind the platform's back (not through directory.ts in this process)
      await other.query(`UPDATE institutions SET public_keys = array_remove(public_keys, public_keys[2]) WHERE id = $1`, [c.id]);
      const [row] = await other.query(`SELECT cardinality(public_keys) AS n FROM institutions WHERE id = $1`, [c.id]);
      expect(row.n).toBe(1);
      const removed = await within(3000, () => call(p, withSecond, 'GET', '/v1/inbox'), (r) => r.status === 401);
      expect(removed.value.status).toBe(401);
      expect((await call(p, c, 'GET', '/v1/inbox')).status).toBe(200);

      await other.query(`UPDATE institutions SET status = 'disabled' WHERE id = $1`, [c.id]);
      const disabled = await within(3000, () => call(p, c, 'GET', '/v1/inbox'), (r) => r.status === 401);
      expect(disabled.value.status).toBe(401);
      expect(disabled.value.body.message).toMatch(/disabled/);
    } finally {
      if (other !== p.db) await other.close();
    }
  });
});
