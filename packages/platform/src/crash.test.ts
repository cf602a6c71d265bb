/**
 * Crash safety on PostgreSQL: the server runs as a child process under a load of sends
 * and pulls, is killed with SIGKILL mid-run, and restarted. Afterwards nothing the
 * clients were told is lost, and nothing is delivered twice: every accepted message is in
 * exactly one inbox row per receiver, cursors have no gaps, and every send whose answer
 * was lost in the crash is answered on retry (same bytes) as accepted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { addInstitution, generateKeyPair } from './directory.ts';
import type { Envelope } from './messages.ts';
import { openStorage } from './storage.ts';
import { call, envelope, exampleData, newCaseId, type TestInstitution } from './testing.ts';

const DATABASE_URL = process.env.DATABASE_URL;
// the real command, run from its sources (every @jiexu package's src/, no build needed)
const JIEXU = fileURLToPath(new URL('../../cli/scripts/jiexu-from-source.mjs', import.meta.url));
const schema = `jiexu_crash_${randomBytes(5).toString('hex')}`;

function withSearchPath(url: string, s: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${s}`);
  return u.toString();
}

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JIEXU, 'serve', '--lang', 'en', '--port', '0', '--reminder-interval', '0'], {
      env: { ...process.env, DATABASE_URL: withSearchPath(DATABASE_URL!, schema) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

afterAll(async () => {
  if (!DATABASE_URL) return;
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

describe.skipIf(!DATABASE_URL)('crash safety (PostgreSQL, SIGKILL mid-load)', { timeout: 180_000 }, () => {
  it('loses nothing and delivers nothing twice', async () => {
    // the directory: four institutions, in the test's own schema
    const storage = await openStorage({ databaseUrl: DATABASE_URL, schema });
    const institutions: TestInstitution[] = [];
    for (const id of ['110100-si', '310100-si', '360100-si', '440300-si']) {
      const keys = generateKeyPair();
      await addInstitution(storage.db, { id, region: id.slice(0, 6), schemes: ['110'], publicKeys: [keys.publicKeyPem] });
      institutions.push({ id, region: id.slice(0, 6), ...keys });
    }
    await storage.close();

    let server = await startServer();
    const acknowledged = new Map<string, Envelope>(); // source#id → envelope the client got 2xx for
    const unknown: Envelope[] = []; // sends whose answer was lost
    const seen = new Map<string, Map<string, string>>(); // institution → cursor → message key
    let stop = false;

    const sender = async (from: TestInstitution, to: TestInstitution) => {
      while (!stop) {
        const env = envelope('pension.transfer-application', from, [to], newCaseId(from), 'pension-transfer', exampleData('pension.transfer-application'));
        try {
          const res = await call(server, from, 'POST', '/v1/messages', env);
          if (res.status === 202 || res.status === 200) acknowledged.set(`${env.source}#${env.id}`, env);
          else if (res.status >= 500) unknown.push(env);
          else throw new Error(`unexpected ${res.status}: ${res.text}`);
        } catch (err) {
          if ((err as Error).message.startsWith('unexpected')) throw err;
          unknown.push(env); // connection reset by the crash: outcome unknown
          return;
        }
      }
    };
    const puller = async (who: TestInstitution) => {
      const mine = seen.get(who.id) ?? new Map<string, string>();
      seen.set(who.id, mine);
      let after = '0';
      while (!stop) {
        try {
          const res = await call(server, who, 'GET', `/v1/inbox?after=${after}&limit=50`);
          if (res.status !== 200) return;
          for (const m of res.body.messages) {
            const key = `${m.envelope.source}#${m.envelope.id}`;
            expect(mine.has(m.cursor) ? mine.get(m.cursor) : key).toBe(key);
            mine.set(m.cursor, key);
          }
          after = res.body.next;
        } catch {
          return;
        }
      }
    };

    const [a, b, c, d] = institutions;
    const workers = [sender(a, b), sender(b, c), sender(c, d), sender(d, a), sender(a, c), sender(b, d), puller(a), puller(b), puller(c), puller(d)];
    // kill once a good number of messages were acknowledged, while the load runs
    while (acknowledged.size < 150) await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    stop = true;
    await Promise.all(workers);
    const acknowledgedBeforeCrash = acknowledged.size;

    server = await startServer();
    try {
      // retrying an unknown outcome with the same bytes: accepted, whether the crash came before or after the commit
      for (const env of unknown) {
        const res = await call(server, institutions.find((i) => i.id === env.sender), 'POST', '/v1/messages', env);
        expect([200, 202]).toContain(res.status);
        acknowledged.set(`${env.source}#${env.id}`, env);
      }

      // every message the clients hold an acceptance for is stored, and in its receiver's inbox exactly once
      for (const who of institutions) {
        const all = new Map<string, string>();
        let after = '0';
        for (;;) {
          const res = await call(server, who, 'GET', `/v1/inbox?after=${after}&limit=500`);
          expect(res.status).toBe(200);
          for (const m of res.body.messages) {
            const key = `${m.envelope.source}#${m.envelope.id}`;
            expect([...all.values()]).not.toContain(key); // never twice
            all.set(m.cursor, key);
          }
          if (!res.body.messages.length) break;
          after = res.body.next;
        }
        // cursors 1..n without gaps: no delivery was half-done
        const cursors = [...all.keys()].map(Number).sort((x, y) => x - y);
        expect(cursors).toEqual(cursors.map((_, i) => i + 1));
        // what the puller saw before the crash is still where it was
        for (const [cursor, key] of seen.get(who.id) ?? []) expect(all.get(cursor)).toBe(key);
        const expected = [...acknowledged.values()].filter((e) => e.receivers.includes(who.id)).map((e) => `${e.source}#${e.id}`);
        const got = new Set(all.values());
        for (const key of expected) expect(got.has(key)).toBe(true);
      }

      const db = new pg.Client({ connectionString: withSearchPath(DATABASE_URL!, schema) });
      await db.connect();
      try {
        const [{ messages, inbox, unmatched }] = (
          await db.query(
            `SELECT (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM inbox)::int AS inbox,
                    (SELECT count(*) FROM messages m WHERE cardinality(m.receivers) <> (SELECT count(*) FROM inbox i WHERE i.message_seq = m.seq))::int AS unmatched`,
          )
        ).rows;
        expect(unmatched).toBe(0);
        expect(inbox).toBe(messages); // one receiver each
        expect(messages).toBe(acknowledged.size); // nothing stored that no client sent
        const cases = (await db.query(`SELECT count(*)::int AS n FROM cases`)).rows[0].n;
        expect(cases).toBe(messages); // each message opened its case, in the same transaction
      } finally {
        await db.end();
      }
      expect(acknowledgedBeforeCrash).toBeGreaterThanOrEqual(150);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
  });
});
