/**
 * A tiny database interface over PostgreSQL (`pg`) and PGlite, so the platform runs the
 * same SQL on both. Values that differ between the drivers (bigint, date) are cast to
 * text in the SQL; callers never see driver-specific types.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export type Row = Record<string, any>;

export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Calls `onNotify` with the payload of every NOTIFY on `channel` (committed changes of any
   * process on the database), and `onGap` whenever notifications may have been missed (the
   * listening connection was lost; it is re-established). Resolves once listening.
   */
  listen(channel: string, onNotify: (payload: string) => void, onGap: () => void): Promise<{ live(): boolean; stop(): Promise<void> }>;
  close(): Promise<void>;
}

export interface PostgresOptions {
  connectionString: string;
  /** Use this schema (created if missing) as the search path: tests isolate this way. */
  schema?: string;
  max?: number;
}

/**
 * A statement with parameters runs as a named prepared statement (parsed and planned once
 * per connection, named after its text): the platform runs the same few statements over
 * and over.
 */
const statementNames = new Map<string, string>();
function prepared(sql: string, params: unknown[] | undefined): pg.QueryConfig {
  if (!params?.length) return { text: sql, values: params };
  let name = statementNames.get(sql);
  if (!name) {
    name = `jiexu_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return { name, text: sql, values: params };
}

export async function openPostgres(opts: PostgresOptions): Promise<Db> {
  const schema = opts.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name: ${schema}`);
  if (schema) {
    const c = new pg.Client({ connectionString: opts.connectionString });
    await c.connect();
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await c.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // an idle client that loses its connection must not crash the process
  pool.on('error', () => {});
  await pool.query('SELECT 1');
  const db: Db = {
    kind: 'postgres',
    async query(sql, params) {
      return (await pool.query(prepared(sql, params))).rows;
    },
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async (sql, params) => (await client.query(prepared(sql, params))).rows });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    listen: (channel, onNotify, onGap) => listenPostgres(opts.connectionString, channel, onNotify, onGap),
    async close() {
      await pool.end();
    },
  };
  return db;
}

/**
 * LISTEN on a dedicated connection. While it is down, live() is false (the caller must not
 * trust what it cached) and it reconnects every second; each loss and each reconnect call
 * onGap (notifications in between are lost).
 */
async function listenPostgres(connectionString: string, channel: string, onNotify: (payload: string) => void, onGap: () => void) {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name: ${channel}`);
  let client: pg.Client | undefined;
  let live = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      live = false;
      onGap();
      c.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect().catch(() => lost()), 1000).unref();
    };
    client = c;
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.payload ?? '');
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    live = true;
    onGap(); // whatever was cached before listening may be stale
  };
  await connect();
  return {
    live: () => live,
    async stop() {
      stopped = true;
      live = false;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}

/** PGlite in `dataDir`, or in memory when `dataDir` is undefined. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const lite = await PGlite.create(dataDir);
  return {
    kind: 'pglite',
    async query(sql, params) {
      return (await lite.query<any>(sql, params as unknown[])).rows;
    },
    async tx(fn) {
      return lite.transaction((t) => fn({ query: async (sql, params) => (await t.query<any>(sql, params as unknown[])).rows }));
    },
    async exec(sql) {
      await lite.exec(sql);
    },
    async listen(channel, onNotify) {
      // one process owns the database (storage.ts's lock): its own notifications are all there are
      const unsubscribe = await lite.listen(channel, onNotify);
      let live = true;
      return {
        live: () => live && !lite.closed,
        async stop() {
          live = false;
          if (!lite.closed) await unsubscribe();
        },
      };
    },
    async close() {
      if (!lite.closed) await lite.close();
    },
  };
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** The pre-release migrations squashed into 001_baseline.sql before the first release. */
const RETIRED_MIGRATIONS = [
  '001_init.sql', '002_enrollment_details.sql', '003_store_message.sql', '004_late_answers.sql', '005_case_version.sql',
  '006_institution_standard_version.sql', '007_signed_envelopes.sql', '008_receipts.sql', '009_audit_chain.sql', '010_platform_key.sql',
];

/** A database created by the pre-release migrations (before they were squashed into the baseline). */
export class PreReleaseSchemaError extends Error {
  constructor(readonly version: string) {
    super(`the database was created by a pre-release schema (it ran ${version}; migrations 001–010 were squashed into 001_baseline.sql before the first release): recreate it`);
    this.name = 'PreReleaseSchemaError';
  }
}

/**
 * Applies every migrations/NNN_*.sql not yet applied, each in its own transaction, in order
 * (`upTo`: only those numbered up to it, e.g. '006' — tests of an upgrade from an older schema).
 */
export async function migrate(db: Db, opts: { upTo?: string } = {}): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const preRelease = await db.query(`SELECT version FROM schema_migrations WHERE version IN (${RETIRED_MIGRATIONS.map((f) => `'${f}'`).join(', ')}) LIMIT 1`);
  if (preRelease.length) throw new PreReleaseSchemaError(preRelease[0].version);
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_.*\.sql$/.test(f) && (opts.upTo === undefined || f.slice(0, 3) <= opts.upTo)).sort();
  const applied: string[] = [];
  for (const file of files) {
    const sql = await readFile(MIGRATIONS_DIR + file, 'utf8');
    const did = await db.tx(async (q) => {
      // two platforms starting on one database at once: the second waits, then skips
      if (db.kind === 'postgres') await q.query(`SELECT pg_advisory_xact_lock(4242001)`);
      const done = await q.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [file]);
      if (done.length) return false;
      for (const statement of splitSql(sql)) await q.query(statement);
      await q.query(`INSERT INTO schema_migrations (version) VALUES ($1)`, [file]);
      return true;
    });
    if (did) applied.push(file);
  }
  return applied;
}

/**
 * Splits a migration script into statements (so each runs through the extended protocol
 * inside the transaction on both drivers). Understands `--` comments, quoted strings and
 * `$$` bodies — all our migrations use.
 */
export function splitSql(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (ch === "'") {
      const end = sql.indexOf("'", i + 1);
      cur += sql.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (ch === '$' && sql[i + 1] === '$') {
      const end = sql.indexOf('$$', i + 2);
      cur += sql.slice(i, end + 2);
      i = end + 2;
      continue;
    }
    if (ch === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      i++;
      continue;
    }
    cur += ch;
    i++;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
