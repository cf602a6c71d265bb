/**
 * Every writer takes the audit chain's head before any other row lock (lockAuditChainHead):
 * a transaction that locked a case row first and then waited for the head deadlocked with a
 * message of that case being stored (it holds the head and waits for the case row), and
 * PostgreSQL aborted one of them — a 500 to the institution (seen with three `jiexu serve`
 * processes running their reminder job while acknowledgements arrived). Here the head is held
 * by another connection while the reminder job runs: the job must wait for the head without
 * holding the case row. PostgreSQL only (PGlite has one connection: nothing runs concurrently).
 * And should a deadlock still happen, nothing was stored: the message is tried again.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from './db.ts';
import { acceptMessage } from './messages.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

const DATABASE_URL = process.env.DATABASE_URL;

describe.skipIf(!DATABASE_URL)('lock order: the audit chain head first', () => {
  let p: TestPlatform;
  let sender: TestInstitution;
  let receiver: TestInstitution;
  const clients: pg.Client[] = [];

  async function connection(): Promise<pg.Client> {
    const u = new URL(DATABASE_URL!);
    u.searchParams.set('options', `-c search_path=${p.schema}`);
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    p = await startTestPlatform();
    sender = await registerInstitution(p, '110100-si');
    receiver = await registerInstitution(p, '210100-si');
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await p?.close();
  });

  it('the reminder job does not lock an overdue case before it holds the head', async () => {
    const app = envelope('pension.transfer-application', sender, [receiver.id], newCaseId(sender), 'pension-transfer', exampleData('pension.transfer-application'));
    expect((await call(p, sender, 'POST', '/v1/messages', app)).status).toBe(202);
    await p.db.query(`UPDATE cases SET step_deadline = DATE '2020-01-02' WHERE case_id = $1`, [app.caseid]);

    const holder = await connection();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM audit_chain_head WHERE id FOR UPDATE');
    const reminding = p.remindOverdue();
    // let the job reach the point where it waits (for the head, or with the old order, for the head while holding the case)
    const probe = await connection();
    const waiting = async () => (await probe.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND (query LIKE '%audit_chain_head%' OR query LIKE '%jiexu_store_message%')`)).rows[0].n as number;
    for (let i = 0; i < 500 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await waiting()).toBeGreaterThan(0);
    // the case row is free: a message of this case could take it after the head, no cycle
    await probe.query('BEGIN');
    const locked = await probe.query(`SELECT case_id FROM cases WHERE case_id = $1 FOR UPDATE NOWAIT`, [app.caseid]).then(
      () => false,
      (err: { code?: string }) => err.code === '55P03',
    );
    await probe.query('ROLLBACK');
    expect(locked, 'the reminder job held the case row while waiting for the audit chain head').toBe(false);
    await holder.query('COMMIT');
    const sent = await reminding;
    const reminded = await p.db.query(`SELECT case_id FROM messages WHERE id = ANY($1)`, [sent]);
    expect(reminded.map((r) => r.case_id)).toContain(app.caseid);
  });
});

describe('a deadlock or serialization failure PostgreSQL broke', () => {
  let p: TestPlatform;
  let sender: TestInstitution;
  let receiver: TestInstitution;
  beforeAll(async () => {
    p = await startTestPlatform();
    sender = await registerInstitution(p, '110100-si');
    receiver = await registerInstitution(p, '210100-si');
  });
  afterAll(async () => p?.close());

  for (const code of ['40P01', '40001']) {
    it(`(${code}) is tried again: nothing was stored, so the message is accepted once, not a 500`, async () => {
      // the store statement fails once the way PostgreSQL fails it (inside a transaction or not)
      let failures = 0;
      const failingOnce = (q: Queryable): Queryable => ({
        query: (sql, params) => {
          if (sql.includes('jiexu_store_message') && failures === 0) {
            failures++;
            return Promise.reject(Object.assign(new Error('deadlock detected'), { code }));
          }
          return q.query(sql, params);
        },
      });
      const db: Db = { ...p.db, kind: p.db.kind, ...failingOnce(p.db), tx: (fn) => p.db.tx((q) => fn(failingOnce(q))) };
      const app = envelope('pension.transfer-application', sender, [receiver.id], newCaseId(sender), 'pension-transfer', exampleData('pension.transfer-application'));
      const accepted = await acceptMessage({ ...p.context, db, verifyEnvelopeSignatures: false }, sender.id, app);
      expect(failures).toBe(1);
      expect(accepted.status).toBe(202);
      expect((await p.db.query(`SELECT count(*)::int AS n FROM messages WHERE id = $1`, [app.id]))[0].n).toBe(1);
    });
  }
});
