/**
 * The least-work server the load bench compares the platform with (issue 14): what any
 * server accepting a signed message must do at the least, and nothing more.
 *
 *   - fastify, the raw body as bytes;
 *   - one Ed25519 verification of the request signature (@jiexu/client's verifyRequest over
 *     the same signed string as the platform, nonce included; the key parsed once at start);
 *   - the standard's compiled validators (validateDocument of @jiexu/standard, as the platform);
 *   - one statement inserting the message and an audit row (a CTE), idempotent on source + id.
 *
 * No case, no inbox, no outbox, no audit chain, no envelope signature: the platform does all
 * of that on top, so the ratio of the two is what the platform's guarantees cost.
 * Storage: PostgreSQL (pg pool of 10, like the platform) or PGlite in this process.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { HEADER_INSTITUTION, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, verifyRequest } from '@jiexu/client';
import { validateDocument } from '@jiexu/standard';

export interface LeastWorkOptions {
  databaseUrl?: string;
  schema?: string;
  dataDir?: string;
  institutions: Array<{ id: string; publicKeyPem: string }>;
}

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS lw_messages (seq bigserial PRIMARY KEY, source text NOT NULL, id text NOT NULL, sender text NOT NULL,
  envelope jsonb NOT NULL, received_at timestamptz NOT NULL, UNIQUE (source, id));
CREATE TABLE IF NOT EXISTS lw_audit (seq bigserial PRIMARY KEY, at timestamptz NOT NULL, actor text NOT NULL, object text NOT NULL, digest text NOT NULL)`;

const INSERT = `WITH m AS (
  INSERT INTO lw_messages (source, id, sender, envelope, received_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (source, id) DO NOTHING RETURNING seq)
INSERT INTO lw_audit (at, actor, object, digest) SELECT $5, $3, $1 || '#' || $2, $6 FROM m RETURNING seq`;

export async function startLeastWork(opts: LeastWorkOptions): Promise<{ url: string; close(): Promise<void> }> {
  let query: (sql: string, params: unknown[]) => Promise<unknown[]>;
  let closeDb: () => Promise<void>;
  if (opts.databaseUrl) {
    const admin = new pg.Client({ connectionString: opts.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
    await admin.end();
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, options: `-c search_path=${opts.schema}` });
    await pool.query(SCHEMA_SQL);
    query = async (sql, params) => (await pool.query({ name: 'lw_insert', text: sql, values: params })).rows;
    closeDb = () => pool.end();
  } else {
    const lite = await PGlite.create(opts.dataDir);
    await lite.exec(SCHEMA_SQL);
    query = async (sql, params) => (await lite.query(sql, params)).rows;
    closeDb = () => lite.close();
  }
  const keys = new Map<string, KeyObject>(opts.institutions.map((i) => [i.id, createPublicKey(i.publicKeyPem)]));
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/v1/messages', async (req, reply) => {
    const raw = req.body as Buffer;
    const institution = req.headers[HEADER_INSTITUTION.toLowerCase()] as string;
    const key = keys.get(institution);
    const ok =
      key &&
      verifyRequest({
        method: 'POST',
        pathWithQuery: req.url,
        body: raw,
        timestamp: req.headers[HEADER_TIMESTAMP.toLowerCase()] as string,
        signature: req.headers[HEADER_SIGNATURE.toLowerCase()] as string,
        nonce: req.headers[HEADER_NONCE.toLowerCase()] as string | undefined,
        publicKey: key,
      });
    if (!ok) return reply.code(401).send({ error: 'unauthorized' });
    const env = JSON.parse(raw.toString('utf8'));
    const report = validateDocument(env, { schema: 'envelope' });
    if (!report.valid) return reply.code(422).send({ error: 'invalid-message', report });
    const at = new Date();
    const rows = await query(INSERT, [env.source, env.id, env.sender, env, at, createHash('sha256').update(raw).digest('hex')]);
    return reply.code(rows.length ? 202 : 200).send({ id: env.id, source: env.source, caseId: env.caseid, status: 'accepted', receivedAt: at.toISOString() });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await closeDb();
    },
  };
}
