/**
 * Test helpers: a platform on PostgreSQL (DATABASE_URL set: a fresh schema per platform,
 * dropped afterwards) or on in-memory PGlite; institutions with fresh keys; signed requests.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { HEADER_ENVELOPE_SIGNATURE, makeEnvelope, signEnvelope, signRequest } from '@jiexu/client';
import { schemasDir } from '@jiexu/standard';
import { addInstitution, generateKeyPair } from './directory.ts';
import type { Envelope } from './messages.ts';
import { startPlatform, type PlatformOptions, type RunningPlatform } from './platform.ts';

export interface TestPlatform extends RunningPlatform {
  storage: 'postgres' | 'pglite';
  /** The PostgreSQL schema the platform runs in (dropped by close); undefined on PGlite. */
  schema: string | undefined;
}

export async function startTestPlatform(opts: PlatformOptions = {}): Promise<TestPlatform> {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = databaseUrl ? `jiexu_test_${randomBytes(6).toString('hex')}` : undefined;
  const p = await startPlatform({
    port: 0,
    databaseUrl,
    schema,
    memory: !databaseUrl,
    log: () => {},
    reminderIntervalMs: 0,
    outboxIntervalMs: 0,
    ...opts,
  });
  return {
    ...p,
    storage: databaseUrl ? 'postgres' : 'pglite',
    schema,
    async close(drainMs?: number) {
      const closed = await p.close(drainMs);
      if (databaseUrl && schema) {
        const c = new pg.Client({ connectionString: databaseUrl });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      }
      return closed;
    },
  };
}

export interface TestInstitution {
  id: string;
  region: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

export async function registerInstitution(p: RunningPlatform, id: string, schemes = ['110', '210', '310'], standardVersion?: string): Promise<TestInstitution> {
  const keys = generateKeyPair();
  const region = id.slice(0, 6);
  await addInstitution(p.db, { id, region, schemes, publicKeys: [keys.publicKeyPem], standardVersion });
  return { id, region, ...keys };
}

export interface SignedResponse {
  status: number;
  body: any;
  text: string;
}

let clientClock: () => number = Date.now;

/** The clock `call` signs with by default (tests that move the platform's clock move this one too). */
export function setClientClock(clock: () => number): void {
  clientClock = clock;
}

/** A request signed as `who` (unsigned when who is undefined). */
export async function call(
  p: { url: string },
  who: TestInstitution | undefined,
  method: string,
  pathWithQuery: string,
  body?: unknown,
  opts: {
    now?: () => number;
    rawBody?: string | Buffer;
    headers?: Record<string, string>;
    /** The envelope signature to send with POST /v1/messages (default: `who` signs the body; null: none). */
    envelopeSignature?: string | null;
  } = {},
): Promise<SignedResponse> {
  const raw = opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const headers: Record<string, string> = { ...(raw !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  if (method === 'POST' && pathWithQuery === '/v1/messages' && opts.envelopeSignature !== null) {
    const signature = opts.envelopeSignature ?? (who && body !== null && typeof body === 'object' ? await signEnvelope(body, who.privateKeyPem, { now: opts.now ?? clientClock }) : undefined);
    if (signature !== undefined) headers[HEADER_ENVELOPE_SIGNATURE] = signature;
  }
  if (who) Object.assign(headers, signRequest({ method, pathWithQuery, body: raw ?? '', institutionId: who.id, privateKey: who.privateKeyPem, now: opts.now ?? clientClock }));
  const res = await fetch(p.url + pathWithQuery, { method, headers, body: raw });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, text };
}

let counter = 0;

/** A new case id owned by `opener`. */
export function newCaseId(opener: TestInstitution): string {
  return `${opener.id}:T-${Date.now().toString(36)}-${++counter}`;
}

/** An envelope of the standard 1.0 from `from` to `to` in case `caseId`. */
export function envelope(
  message: string,
  from: { id: string },
  to: Array<{ id: string } | string>,
  caseId: string,
  caseType: string,
  data: Record<string, unknown>,
  extra: Partial<Envelope> = {},
): Envelope {
  const base = makeEnvelope({
    message,
    sender: from.id,
    receivers: to.map((r) => (typeof r === 'string' ? r : r.id)),
    caseId,
    caseType,
    data,
    time: '2026-09-28T09:30:00+08:00',
  }) as Envelope;
  return { ...base, ...extra };
}

const SCHEMAS = schemasDir();

/** The body of the standard's first valid example of `message` (in `version`, default 1.0), with `overrides` merged in. */
export function exampleData(message: string, overrides: Record<string, unknown> = {}, version = '1.0'): Record<string, unknown> {
  const dir = `${SCHEMAS}${version}/messages/examples/${message}/valid`;
  const file = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()[0];
  return { ...JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')), ...overrides };
}
