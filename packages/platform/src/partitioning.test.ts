/**
 * Migration 012: the tables keyed by person are hash-partitioned by person_id, on a fresh
 * database and on one upgraded with rows in them, on PGlite and (DATABASE_URL set) on
 * PostgreSQL — keys, foreign keys, indexes and rows as they were, each person's rows in one
 * partition, and a lookup by person pruned to that partition.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openPglite, openPostgres, type Db } from './db.ts';

const DATABASE_URL = process.env.DATABASE_URL;
const PERSON_TABLES = ['enrollments', 'duplicate_notices'];
const schemas: string[] = [];

const storages: Array<[string, () => Promise<Db>]> = [['pglite', () => openPglite()]];
if (DATABASE_URL) {
  storages.push([
    'postgres',
    () => {
      const schema = `jiexu_part_${randomBytes(5).toString('hex')}`;
      schemas.push(schema);
      return openPostgres({ connectionString: DATABASE_URL, schema });
    },
  ]);
}

afterAll(async () => {
  if (!DATABASE_URL || !schemas.length) return;
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await c.end();
});

async function shape(db: Db, table: string) {
  const [rel] = await db.query(`SELECT c.relkind::text AS kind, pg_get_partkeydef(c.oid) AS key FROM pg_class c WHERE c.oid = to_regclass($1)`, [table]);
  const partitions = await db.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = to_regclass($1)`, [table]);
  const constraints = await db.query(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = to_regclass($1) ORDER BY conname`, [table]);
  const indexes = await db.query(
    `SELECT c.relname AS name FROM pg_index ix JOIN pg_class c ON c.oid = ix.indexrelid WHERE ix.indrelid = to_regclass($1) ORDER BY 1`,
    [table],
  );
  return { kind: rel.kind, key: rel.key, partitions: partitions[0].n, constraints: constraints.map((c) => `${c.conname}: ${c.def}`), indexes: indexes.map((i) => i.name) };
}

async function seedRows(db: Db, people: number) {
  const at = new Date('2026-02-24T02:00:00Z');
  await db.query(
    `INSERT INTO institutions (id, name, region, schemes, public_keys, status, created_at, updated_at) VALUES ('360100-si', 'x', '360100', '{110}', '{}', 'active', $1, $1)`,
    [at],
  );
  // a message row for the foreign keys to point at
  const [m] = await db.query(
    `INSERT INTO messages (source, id, body_hash, type, sender, receivers, case_id, state_after, envelope, received_at)
     VALUES ('urn:jiexu:institution:360100-si', 'm1', 'h', 'cn.jiexu.enrollment.registered.v1', '360100-si', '{jiexu-platform}', 'c1', 'noted', '{}', $1) RETURNING seq::text AS seq`,
    [at],
  );
  for (let i = 0; i < people; i++) {
    const person = `3601241985031${String(i).padStart(5, '0')}`;
    await db.query(
      `INSERT INTO enrollments (person_id, scheme, region, institution_id, status, message_seq, updated_at, person, since) VALUES ($1, '110', '360100', '360100-si', 'active', $2, $3, $4, '2020-01')`,
      [person, m.seq, at, { id: person }],
    );
    await db.query(`INSERT INTO duplicate_notices (person_id, scheme, region_a, region_b, message_seq, noticed_at) VALUES ($1, '110', '310100', '360100', $2, $3)`, [person, m.seq, at]);
  }
}

describe.each(storages)('migration 012: tables keyed by person partitioned by hash (%s)', (_kind, open) => {
  it('a fresh database gets them partitioned, with their keys and indexes', async () => {
    const db = await open();
    try {
      await migrate(db);
      for (const table of PERSON_TABLES) {
        const s = await shape(db, table);
        expect(s.kind).toBe('p');
        expect(s.key).toBe('HASH (person_id)');
        expect(s.partitions).toBe(16);
      }
      const enrollments = await shape(db, 'enrollments');
      expect(enrollments.constraints).toContain('enrollments_pkey: PRIMARY KEY (person_id, scheme, region)');
      expect(enrollments.constraints.some((c) => /^enrollments_message_seq_fkey: FOREIGN KEY \(message_seq\) REFERENCES messages\(seq\)/.test(c))).toBe(true);
      expect(enrollments.constraints.some((c) => c.startsWith('enrollments_status_check: CHECK'))).toBe(true);
      expect(enrollments.indexes).toEqual(['enrollments_person', 'enrollments_pkey']);
      expect((await shape(db, 'duplicate_notices')).constraints).toContain('duplicate_notices_pkey: PRIMARY KEY (person_id, scheme, region_a, region_b)');
      // the upsert the duplicate detection runs still finds its conflict target
      await seedRows(db, 3);
      await db.query(
        `INSERT INTO enrollments (person_id, scheme, region, institution_id, status, message_seq, updated_at) SELECT person_id, scheme, region, institution_id, 'terminated', message_seq, updated_at FROM enrollments
         ON CONFLICT (person_id, scheme, region) DO UPDATE SET status = excluded.status`,
      );
      expect(await db.query(`SELECT DISTINCT status FROM enrollments`)).toEqual([{ status: 'terminated' }]);
    } finally {
      await db.close();
    }
  });

  it('an upgraded database keeps every row, each person in one partition, looked up in that partition only', async () => {
    const db = await open();
    try {
      await migrate(db, { upTo: '011' });
      expect((await shape(db, 'enrollments')).kind).toBe('r');
      const before = { enrollments: await shape(db, 'enrollments'), duplicate_notices: await shape(db, 'duplicate_notices') };
      await seedRows(db, 40);
      const rowsBefore = await db.query(`SELECT person_id, scheme, region, status, since, person FROM enrollments ORDER BY person_id`);
      const applied = await migrate(db);
      expect(applied).toContain('012_partition_by_person.sql');
      for (const table of PERSON_TABLES) {
        const after = await shape(db, table);
        expect(after.kind).toBe('p');
        expect(after.constraints).toEqual(before[table as keyof typeof before].constraints);
        expect(after.indexes).toEqual(before[table as keyof typeof before].indexes);
      }
      expect(await db.query(`SELECT person_id, scheme, region, status, since, person FROM enrollments ORDER BY person_id`)).toEqual(rowsBefore);
      expect(await db.query(`SELECT count(*)::int AS n FROM duplicate_notices`)).toEqual([{ n: 40 }]);
      // 40 people spread over several partitions, each person in exactly one
      const spread = await db.query(`SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM enrollments GROUP BY 1`);
      expect(spread.length).toBeGreaterThan(4);
      const person = rowsBefore[7].person_id;
      const [home] = await db.query(`SELECT tableoid::regclass::text AS part FROM enrollments WHERE person_id = $1`, [person]);
      expect(await db.query(`SELECT tableoid::regclass::text AS part FROM duplicate_notices WHERE person_id = $1`, [person])).toEqual([{ part: home.part.replace('enrollments', 'duplicate_notices') }]);
      const plan = (await db.query(`EXPLAIN (COSTS OFF) SELECT region FROM enrollments WHERE person_id = '${person}' AND scheme = '110' AND status = 'active'`))
        .map((r) => Object.values(r)[0] as string)
        .join('\n');
      expect(plan).toContain(home.part);
      expect([...new Set(plan.match(/enrollments_p\d\d/g))]).toEqual([home.part]);
    } finally {
      await db.close();
    }
  });
});
