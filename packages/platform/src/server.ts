/**
 * The platform's HTTP interface (openapi.yaml): signed requests, messages, inbox, cases,
 * directory, health and metrics. Fastify with no framework logger: one structured JSON line
 * per request, personal identifiers masked.
 *
 * The request pipeline, cheapest refusal first: headers, clock skew and a known active
 * institution (from the directory cache) before the body is read; then the body is read as
 * raw bytes and the signature verified over them; only a request whose signature verifies
 * (and whose nonce, when it sends one, is fresh) has its body decoded — strict UTF-8, invalid
 * bytes are 400 — and parsed as JSON. An unsigned or badly signed request is never parsed: 401.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { HEADER_ENVELOPE_SIGNATURE, HEADER_INSTITUTION, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, NONCE_PATTERN, verifyRequest, type DirectoryKey, type ProblemCode } from '@jiexu/client';
import { parse as parseYaml } from 'yaml';
import { getCase, listCases } from './cases.ts';
import { DirectoryError, getInstitution, listInstitutions, setWebhook } from './directory.ts';
import { ackInbox, isCursor, readInbox } from './inbox.ts';
import { maskIdentifiers } from './mask.ts';
import { acceptMessage, PLATFORM_ID, Rejection, type PlatformContext } from './messages.ts';
import { registerStatisticsRoute } from './statistics.ts';
import type { Metrics } from './metrics.ts';
import { caseReceipts, ReceiptError, storeReceipts } from './receipts.ts';
import { readAudit } from './audit.ts';
import { caseBundle } from './bundle.ts';
import { platformKeys } from './platform-key.ts';
import { isConsoleApiPath, registerConsoleApi } from './console-api.ts';
import { NonceStore } from './request-nonces.ts';
import { isStaticPath, registerStaticFiles, type StaticFiles } from './static-files.ts';
import { refuseUnstorableStrings } from './storable-strings.ts';
import { decodeUtf8, InvalidUtf8Error } from './utf8.ts';

export const MAX_SKEW_MS = 300_000;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/**
 * The longest path parameter (a case id, an institution id, as sent: percent-encoded) the
 * router takes; longer is 414 uri-too-long (openapi.yaml). The standard's longest case id is
 * 103 characters (105 with its colon percent-encoded): Fastify's default of 100 refused it.
 */
export const MAX_PATH_PARAM_LENGTH = 256;

const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
    institutionId?: string;
    publicKeys?: string[];
    directoryKeys?: DirectoryKey[];
  }
}

export interface AppOptions {
  bodyLimit?: number;
  metrics: Metrics;
  storageKind: string;
  /** Where request log lines go (default: stdout). */
  log?: (line: string) => void;
  /** A folder of public static files (the console bundle), served without a signature. */
  staticFiles?: StaticFiles;
}

class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: ProblemCode,
    message: string,
  ) {
    super(message);
  }
}

const PUBLIC = new Set(['/healthz', '/metrics', '/openapi.json']);

/**
 * Parsed public keys by their SPKI PEM text. Parsing is a pure function of the text, so the
 * cache never goes stale: the directory is still read on every request (status, current
 * keys), a removed key is simply no longer looked up.
 */
const parsedKeys = new Map<string, KeyObject>();
function parsedKey(pem: string): KeyObject | string {
  let key = parsedKeys.get(pem);
  if (!key) {
    try {
      key = createPublicKey(pem);
    } catch {
      return pem; // verifyRequest reports it as not verifying
    }
    if (parsedKeys.size >= 10_000) parsedKeys.clear();
    parsedKeys.set(pem, key);
  }
  return key;
}

function problem(reply: FastifyReply, status: number, error: ProblemCode, message: string, report?: unknown) {
  return reply.code(status).type('application/json').send(report ? { error, message, report } : { error, message });
}

export function buildApp(ctx: PlatformContext, opts: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // the router's own refusals (before any hook) answer with a Problem body like every other error
    frameworkErrors: (err, req, reply) => {
      // no hook runs for these: logged here
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      logRequest(req, tooLong ? 414 : 400, 'unmatched');
      if (tooLong) return problem(reply, 414, 'uri-too-long', `a path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters`);
      return problem(reply, 400, 'bad-request', 'the request path is not a valid URL');
    },
  });
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const metrics = opts.metrics;
  const openapi = parseYaml(readFileSync(OPENAPI_PATH, 'utf8'));

  const nonces = new NonceStore(ctx.db, MAX_SKEW_MS);
  const lookup = (id: string) => (ctx.directory ? ctx.directory.get(id) : getInstitution(ctx.db, id));

  // the body is only collected here: it is decoded and parsed after the signature verified (preHandler)
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, undefined);
  });

  // 1. cheap checks before the body is read: headers, clock skew, a known active institution
  app.addHook('onRequest', async (req, reply) => {
    (req as any).startedAt = process.hrtime.bigint();
    const path = req.url.split('?')[0];
    if (PUBLIC.has(path) || isStaticPath(opts.staticFiles, path)) return;
    if (isConsoleApiPath(path)) return; // the console API authorises by session (console-api.ts)
    const institution = req.headers[HEADER_INSTITUTION.toLowerCase()];
    const timestamp = req.headers[HEADER_TIMESTAMP.toLowerCase()];
    const signature = req.headers[HEADER_SIGNATURE.toLowerCase()];
    if (typeof institution !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') {
      return problem(reply, 401, 'unauthorized', `missing ${[!institution && HEADER_INSTITUTION, !timestamp && HEADER_TIMESTAMP, !signature && HEADER_SIGNATURE].filter(Boolean).join(', ')}`);
    }
    if (!/^[0-9]{1,16}$/.test(timestamp)) return problem(reply, 401, 'unauthorized', `${HEADER_TIMESTAMP} must be Unix time in milliseconds`);
    const skew = Math.abs(ctx.now().getTime() - Number(timestamp));
    if (skew > MAX_SKEW_MS) return problem(reply, 401, 'unauthorized', `${HEADER_TIMESTAMP} is ${Math.round(skew / 1000)} s from the platform's clock (at most ${MAX_SKEW_MS / 1000} s allowed)`);
    const nonce = req.headers[HEADER_NONCE.toLowerCase()];
    if (nonce !== undefined && (typeof nonce !== 'string' || !NONCE_PATTERN.test(nonce))) return problem(reply, 401, 'unauthorized', `${HEADER_NONCE} must be 16–64 base64url characters`);
    const inst = await lookup(institution);
    if (!inst) return problem(reply, 401, 'unauthorized', `unknown institution ${institution}`);
    if (inst.status !== 'active') return problem(reply, 401, 'unauthorized', `institution ${institution} is disabled`);
    req.institutionId = inst.id;
    req.publicKeys = inst.publicKeys;
    req.directoryKeys = inst.keys;
  });

  // 2. after the body is read, before it is parsed: the signature over method, path, timestamp, body hash (and nonce)
  app.addHook('preHandler', async (req, reply) => {
    if (req.institutionId) {
      const nonce = req.headers[HEADER_NONCE.toLowerCase()] as string | undefined;
      const input = {
        method: req.method,
        pathWithQuery: req.url,
        body: req.rawBody ?? '',
        timestamp: req.headers[HEADER_TIMESTAMP.toLowerCase()] as string,
        signature: req.headers[HEADER_SIGNATURE.toLowerCase()] as string,
        nonce,
      };
      if (!req.publicKeys!.some((publicKey) => verifyRequest({ ...input, publicKey: parsedKey(publicKey) }))) {
        req.institutionId = undefined;
        return problem(reply, 401, 'unauthorized', 'signature does not verify with any key of the institution');
      }
      if (nonce !== undefined && !(await nonces.use(req.institutionId, nonce, ctx.now()))) {
        const who = req.institutionId;
        req.institutionId = undefined;
        return problem(reply, 401, 'unauthorized', `${HEADER_NONCE} was already used by ${who}: a replayed request`);
      }
    } else {
      const path = req.url.split('?')[0];
      // unsigned requests with a body: the public routes and the console API (session, console-api.ts)
      if (!PUBLIC.has(path) && !isConsoleApiPath(path)) return;
    }
    // 3. only now: the body, strict UTF-8, then JSON
    const raw = req.rawBody;
    if (!raw?.length) return;
    let text: string;
    try {
      text = decodeUtf8(raw);
    } catch (err) {
      if (err instanceof InvalidUtf8Error) return problem(reply, 400, 'bad-request', err.message);
      throw err;
    }
    try {
      req.body = JSON.parse(text);
    } catch (err) {
      return problem(reply, 400, 'bad-request', `body is not valid JSON: ${(err as Error).message}`);
    }
  });

  // 3. no string PostgreSQL cannot store reaches a query (a message body: the validator, 422)
  refuseUnstorableStrings(app);

  app.addHook('onResponse', async (req, reply) => logRequest(req, reply.statusCode, req.routeOptions.url ?? 'unmatched', (reply as any).jiexuNote));

  /** The request's metrics and its one log line (personal identifiers masked). */
  function logRequest(req: FastifyRequest, status: number, route: string, note?: string): void {
    const startedAt = (req as any).startedAt as bigint | undefined; // unset when the router refused the request (frameworkErrors)
    const seconds = startedAt === undefined ? 0 : Number(process.hrtime.bigint() - startedAt) / 1e9;
    metrics.requests.inc({ method: req.method, route, status: String(status) });
    metrics.duration.observe({ route }, seconds);
    log(
      maskIdentifiers(
        JSON.stringify({
          time: new Date().toISOString(),
          level: status >= 500 ? 'error' : 'info',
          reqId: req.id,
          method: req.method,
          url: req.url,
          route,
          status: status,
          ms: Math.round(seconds * 1000),
          institution: req.institutionId ?? (req.headers[HEADER_INSTITUTION.toLowerCase()] as string | undefined) ?? null,
          ...(note ? { note } : {}),
        }),
      ),
    );
  }

  app.setErrorHandler((err: any, req, reply) => {
    if (err instanceof Rejection) {
      metrics.rejected.inc({ error: err.error });
      (reply as any).jiexuNote = err.message;
      return problem(reply, err.status, err.error, err.message, err.report);
    }
    if (err instanceof HttpProblem) return problem(reply, err.statusCode, err.error, err.message);
    if (err instanceof DirectoryError) return problem(reply, 400, 'bad-request', err.message);
    if (err instanceof ReceiptError) return problem(reply, 422, 'invalid-receipt', err.message);
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status === 413) {
      metrics.rejected.inc({ error: 'body-too-large' });
      return problem(reply, 413, 'body-too-large', `body is larger than the platform's limit of ${opts.bodyLimit ?? DEFAULT_BODY_LIMIT} bytes`);
    }
    if (status === 415) return problem(reply, 415, 'unsupported-media-type', `content type ${req.headers['content-type'] ?? '(none)'} is not supported; send application/json`);
    if (status >= 400 && status < 500) return problem(reply, status, 'bad-request', err.message);
    (reply as any).jiexuNote = maskIdentifiers(String(err?.stack ?? err));
    return problem(reply, 500, 'internal-error', 'internal error (see the platform log)');
  });
  app.setNotFoundHandler((req, reply) => problem(reply, 404, 'not-found', `no route ${req.method} ${req.url.split('?')[0]}`));

  if (opts.staticFiles) registerStaticFiles(app, opts.staticFiles);

  const me = (req: FastifyRequest) => req.institutionId!;

  app.post('/v1/messages', async (req, reply) => {
    if (req.body === undefined) throw new HttpProblem(400, 'bad-request', 'the body must be a JSON envelope');
    const signature = req.headers[HEADER_ENVELOPE_SIGNATURE.toLowerCase()];
    const { status, acceptance } = await acceptMessage(ctx, me(req), req.body, {
      signature: typeof signature === 'string' ? signature : undefined,
      keys: req.directoryKeys ?? [],
    });
    if (status === 202) metrics.accepted.inc({ type: String((req.body as any).type) });
    else metrics.replayed.inc();
    return reply.code(status).send(acceptance);
  });

  const inboxHandler = async (req: FastifyRequest, reply: FastifyReply, institutionId: string) => {
    const query = req.query as Record<string, string | undefined>;
    if (query.after !== undefined && !isCursor(query.after)) throw new HttpProblem(400, 'bad-request', '`after` must be a cursor (decimal digits)');
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpProblem(400, 'bad-request', '`limit` must be an integer from 1 to 500');
    return reply.send(await readInbox(ctx.db, institutionId, query.after, limit, ctx.now()));
  };
  app.get('/v1/inbox', (req, reply) => inboxHandler(req, reply, me(req)));
  app.get('/v1/institutions/:institutionId/inbox', (req, reply) => {
    const { institutionId } = req.params as { institutionId: string };
    if (institutionId !== me(req)) return problem(reply, 403, 'forbidden', `${me(req)} may read only its own inbox, not ${institutionId}'s`);
    return inboxHandler(req, reply, institutionId);
  });
  app.post('/v1/inbox/ack', async (req, reply) => {
    const body = req.body as { upTo?: unknown; receipts?: unknown } | undefined;
    const upTo = body?.upTo;
    if (!isCursor(upTo)) throw new HttpProblem(400, 'bad-request', 'body must be {"upTo": "<cursor>", "receipts"?: [...]}');
    if (body!.receipts !== undefined && !Array.isArray(body!.receipts)) throw new HttpProblem(400, 'bad-request', '`receipts` must be an array of signed receipts');
    const receipts = (body!.receipts ?? []) as unknown[];
    if (!receipts.length) return reply.send(await ackInbox(ctx.db, me(req), upTo, ctx.now()));
    // the acknowledgement and its receipts together, or neither
    return reply.send(
      await ctx.db.tx(async (q) => {
        const acked = await ackInbox(q, me(req), upTo, ctx.now());
        return { ...acked, receipts: await storeReceipts(q, me(req), req.directoryKeys ?? [], upTo, receipts, ctx.now()) };
      }),
    );
  });
  app.get('/v1/cases/:caseId/receipts', async (req, reply) => {
    const { caseId } = req.params as { caseId: string };
    const [row] = await ctx.db.query(`SELECT roles FROM cases WHERE case_id = $1`, [caseId]);
    if (!row) return problem(reply, 404, 'not-found', `no case ${caseId}`);
    if (!(me(req) in row.roles)) return problem(reply, 403, 'forbidden', `${me(req)} is not party to case ${caseId}`);
    return reply.send({ caseId, receipts: await caseReceipts(ctx.db, caseId) });
  });

  app.get('/v1/cases', async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const bool = (v: string | undefined, name: string) => {
      if (v === undefined) return undefined;
      if (v !== 'true' && v !== 'false') throw new HttpProblem(400, 'bad-request', `\`${name}\` must be true or false`);
      return v === 'true';
    };
    if (query.state !== undefined && query.state !== 'open' && query.state !== 'closed') throw new HttpProblem(400, 'bad-request', '`state` must be open or closed');
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpProblem(400, 'bad-request', '`limit` must be an integer from 1 to 500');
    const cases = await listCases(ctx.db, me(req), { overdue: bool(query.overdue, 'overdue'), state: query.state as 'open' | 'closed' | undefined, limit }, ctx.now());
    return reply.send({ cases });
  });
  app.get('/v1/cases/:caseId', async (req, reply) => {
    const { caseId } = req.params as { caseId: string };
    const found = await ctx.db.tx((q) => getCase(q, caseId, me(req), ctx.now()));
    if (found === 'not-found') return problem(reply, 404, 'not-found', `no case ${caseId}`);
    if (found === 'forbidden') return problem(reply, 403, 'forbidden', `${me(req)} is not party to case ${caseId}`);
    return reply.send(found);
  });

  registerConsoleApi(app, ctx);
  registerStatisticsRoute(app, ctx.db, async (req) => (await lookup(me(req)))!.region);

  app.get('/v1/cases/:caseId/bundle', async (req, reply) => {
    const { caseId } = req.params as { caseId: string };
    const [row] = await ctx.db.query(`SELECT roles FROM cases WHERE case_id = $1`, [caseId]);
    if (!row) return problem(reply, 404, 'not-found', `no case ${caseId}`);
    if (!(me(req) in row.roles)) return problem(reply, 403, 'forbidden', `${me(req)} is not party to case ${caseId}`);
    const bundle = await ctx.db.tx(async (q) => {
      if (ctx.db.kind === 'postgres') await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await q.query(`INSERT INTO audit_log (at, actor, action, object, case_id) VALUES ($1, $2, 'case.export', $3, $3)`, [ctx.now(), me(req), caseId]);
      return caseBundle(q, caseId, ctx.now());
    });
    return reply.send(bundle);
  });

  app.get('/v1/audit', async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    if (query.after !== undefined && !isCursor(query.after)) throw new HttpProblem(400, 'bad-request', '`after` must be an audit entry index (decimal digits)');
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpProblem(400, 'bad-request', '`limit` must be an integer from 1 to 1000');
    return reply.send(await readAudit(ctx.db, { institution: me(req), caseId: query.caseId, after: query.after, limit }));
  });

  app.get('/v1/platform/keys', async (_req, reply) => reply.send({ id: PLATFORM_ID, keys: await platformKeys(ctx.db) }));

  // another institution's webhook URL is its own business: shown only to itself
  app.get('/v1/institutions', async (req, reply) =>
    reply.send({ institutions: (await listInstitutions(ctx.db)).map((i) => (i.id === me(req) ? i : { ...i, webhook: null })) }),
  );
  app.put('/v1/institutions/:institutionId/webhook', async (req, reply) => {
    const { institutionId } = req.params as { institutionId: string };
    if (institutionId !== me(req)) return problem(reply, 403, 'forbidden', `${me(req)} may set only its own webhook`);
    const body = req.body as { url?: unknown; secret?: unknown } | undefined;
    if (!body || typeof body !== 'object' || !('url' in body) || (body.url !== null && typeof body.url !== 'string')) throw new HttpProblem(400, 'bad-request', 'body must be {"url": "https://…" | null, "secret"?: "…"}');
    if (body.secret !== undefined && (typeof body.secret !== 'string' || body.secret.length < 16)) throw new HttpProblem(400, 'bad-request', '`secret` must be a string of at least 16 characters');
    return reply.send(await ctx.db.tx((q) => setWebhook(q, institutionId, body.url as string | null, (body.secret as string | undefined) ?? null, ctx.now())));
  });

  app.get('/healthz', async (_req, reply) => {
    try {
      await ctx.db.query('SELECT 1');
      return reply.send({ status: 'ok', storage: opts.storageKind });
    } catch (err) {
      return problem(reply, 503, 'unavailable', `database does not answer: ${(err as Error).message}`);
    }
  });
  app.get('/metrics', async (_req, reply) => {
    const today = new Date(ctx.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const [g] = await ctx.db.query(
      `SELECT (SELECT count(*) FROM cases WHERE NOT closed)::int AS open,
              (SELECT count(*) FROM cases WHERE NOT closed AND step_deadline < $1::date)::int AS overdue,
              (SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND gave_up_at IS NULL)::int AS pending,
              (SELECT count(*) FROM messages)::int AS messages`,
      [today],
    );
    return reply.type(metrics.contentType).send(
      await metrics.render([
        { name: 'jiexu_cases_open', help: 'Open cases.', value: g.open },
        { name: 'jiexu_cases_overdue', help: 'Open cases whose current step is past its deadline.', value: g.overdue },
        { name: 'jiexu_webhook_outbox_pending', help: 'Webhook pushes not yet delivered.', value: g.pending },
        { name: 'jiexu_messages_stored', help: 'Messages stored.', value: g.messages },
      ]),
    );
  });
  app.get('/openapi.json', async (_req, reply) => reply.send(openapi));

  return app;
}
