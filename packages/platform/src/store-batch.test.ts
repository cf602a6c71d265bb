/**
 * Group commit (store-batch.ts, migrations/014_store_batches.sql): concurrent sends share
 * one jiexu_store_messages statement, and each is stored exactly as alone — once, delivered
 * once, replays answered, the audit chain whole — and an error in one message of a batch
 * reaches only its own sender.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAuditChain } from './audit.ts';
import { call, envelope, exampleData, newCaseId, registerInstitution, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

let p: TestPlatform;
let newPlace: TestInstitution;
let oldPlace: TestInstitution;
let third: TestInstitution;
/** Statements the platform ran: jiexu_store_messages (a batch) and jiexu_store_message (alone). */
const statements = { batches: 0, batched: 0, alone: 0, failedBatches: 0, transactions: 0 };

beforeAll(async () => {
  p = await startTestPlatform();
  newPlace = await registerInstitution(p, '360100-si');
  oldPlace = await registerInstitution(p, '110100-si');
  third = await registerInstitution(p, '440100-si');
  const tx = p.db.tx.bind(p.db);
  p.db.tx = ((fn) => {
    statements.transactions++;
    return tx(fn);
  }) as typeof p.db.tx;
  const query = p.db.query.bind(p.db);
  p.db.query = (async (sql: string, params?: unknown[]) => {
    if (sql.includes('jiexu_store_messages(')) {
      statements.batches++;
      statements.batched += (JSON.parse(params![0] as string) as unknown[]).length;
      return query(sql, params).catch((err) => {
        statements.failedBatches++;
        throw err;
      });
    } else if (sql.includes('jiexu_store_message(')) {
      statements.alone++;
      // a slow database: the sends arriving meanwhile queue up behind the first ones
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return query(sql, params);
  }) as typeof p.db.query;
});
afterAll(async () => {
  await p?.close();
});

function application(to: TestInstitution = oldPlace) {
  return envelope('pension.transfer-application', newPlace, [to], newCaseId(newPlace), 'pension-transfer', exampleData('pension.transfer-application'));
}

async function inboxCount(institution: TestInstitution, id: string): Promise<number> {
  const [row] = await p.db.query(`SELECT count(*)::int AS n FROM inbox i JOIN messages m ON m.seq = i.message_seq WHERE i.institution_id = $1 AND m.id = $2`, [institution.id, id]);
  return row.n;
}

describe(`group commit of concurrent sends (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('stores concurrent sends in shared statements, each once, replays answered, the audit chain whole', async () => {
    const before = { ...statements };
    const envs = Array.from({ length: 40 }, () => application());
    // the same message twice in the crowd: one 202, one replay (200), stored once
    const twice = envs[7];
    const answers = await Promise.all([...envs, twice].map((env) => call(p, newPlace, 'POST', '/v1/messages', env)));
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(40).fill(202), 200].sort());
    expect(answers[40].body).toEqual(answers[7].body);
    expect(statements.batches - before.batches).toBeGreaterThan(0);
    // fewer statements than messages: they were grouped
    expect(statements.batches - before.batches + statements.alone - before.alone).toBeLessThan(41);
    expect(statements.batched - before.batched).toBeGreaterThan(1);
    // a transfer application of a person who draws no pension elsewhere takes no transaction (the store checks, benefit-periods.ts pensionGuard)
    expect(statements.transactions - before.transactions).toBe(0);
    for (const env of envs) expect(await inboxCount(oldPlace, env.id)).toBe(1);
    const [stored] = await p.db.query(`SELECT count(*)::int AS n FROM messages WHERE id = ANY($1)`, [envs.map((e) => e.id)]);
    expect(stored.n).toBe(40);
    // two entries each (message.accept, case.open), chained in one line
    const [entries] = await p.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE case_id = ANY($1)`, [envs.map((e) => e.caseid)]);
    expect(entries.n).toBe(80);
    const chain = await checkAuditChain(p.db);
    expect(chain.ok).toBe(true);
  });

  it('fails only the send whose store fails; the rest of its batch is stored', async () => {
    // a receiver without an inbox row: storing a message to it raises (no inbox for …)
    await p.db.query(`DELETE FROM inbox_state WHERE institution_id = $1`, [third.id]);
    try {
      const good = Array.from({ length: 20 }, () => application());
      const bad = application(third);
      const all = [...good.slice(0, 10), bad, ...good.slice(10)];
      const answers = await Promise.all(all.map((env) => call(p, newPlace, 'POST', '/v1/messages', env)));
      expect(answers.filter((a, i) => all[i] !== bad).every((a) => a.status === 202)).toBe(true);
      expect(answers[10].status).toBe(500);
      // it failed in a batch, and the others of that batch were stored alone after
      expect(statements.failedBatches).toBe(1);
      for (const env of good) expect(await inboxCount(oldPlace, env.id)).toBe(1);
      const [none] = await p.db.query(`SELECT count(*)::int AS n FROM messages WHERE source = $1 AND id = $2`, [bad.source, bad.id]);
      expect(none.n).toBe(0);
      expect((await checkAuditChain(p.db)).ok).toBe(true);
    } finally {
      await p.db.query(`INSERT INTO inbox_state (institution_id) VALUES ($1)`, [third.id]);
    }
  });

  it('concurrent messages of one case go to the database one at a time, none refused as a conflict, chained in store order', async () => {
    const app = application();
    expect((await call(p, newPlace, 'POST', '/v1/messages', app)).status).toBe(202);
    const acks = Array.from({ length: 6 }, () =>
      envelope('admin.acknowledge', oldPlace, [newPlace], app.caseid, 'pension-transfer', exampleData('admin.acknowledge'), { inreplyto: app.id }),
    );
    const answers = await Promise.all(acks.map((env) => call(p, oldPlace, 'POST', '/v1/messages', env)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
    for (const env of acks) expect(await inboxCount(newPlace, env.id)).toBe(1);
    // every acknowledgement has its own audit entry, in the order they were stored
    const rows = await p.db.query(`SELECT object FROM audit_log WHERE case_id = $1 AND action = 'message.accept' ORDER BY chain_index`, [app.caseid]);
    const seqs = await p.db.query(`SELECT source || '#' || id AS object FROM messages WHERE case_id = $1 ORDER BY seq`, [app.caseid]);
    expect(rows.map((r) => r.object)).toEqual(seqs.map((r) => r.object));
    expect((await checkAuditChain(p.db)).ok).toBe(true);
  });
});
