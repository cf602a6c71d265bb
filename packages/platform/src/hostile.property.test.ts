/**
 * Hostile requests against a running platform (fast-check): mutated and random JSON, NULs and
 * lone surrogates in any field or key, huge numbers, deep nesting, wrong types, invalid UTF-8
 * bytes, bad or missing signatures and headers, odd paths and queries. For every request:
 * no 5xx, a status of the documented set, and — whenever the request is refused — the store
 * exactly as before (every table's row count and content digest).
 *
 * Bounded for CI: a fixed seed and JIEXU_HOSTILE_RUNS runs (default 300). Longer:
 * `JIEXU_FUZZ=long` (3,000 runs) or JIEXU_HOSTILE_RUNS=n; JIEXU_HOSTILE_SEED=n for another seed.
 * The exact refusal (400 or 401 for an unsigned malformed body, …) is not asserted: only that it
 * is one of the documented ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HEADER_INSTITUTION, HEADER_SIGNATURE, HEADER_TIMESTAMP, signEnvelope, signRequest, HEADER_ENVELOPE_SIGNATURE } from '@jiexu/client';
import { PLATFORM_ID } from './messages.ts';
import { envelope, exampleData, newCaseId, registerInstitution, startTestPlatform, type TestInstitution, type TestPlatform } from './testing.ts';

const RUNS = Number(process.env.JIEXU_HOSTILE_RUNS ?? (process.env.JIEXU_FUZZ === 'long' ? 3000 : 300));
const SEED = Number(process.env.JIEXU_HOSTILE_SEED ?? 20261201);
/** Every status the interface documents (openapi.yaml) for some request (414: a path parameter longer than MAX_PATH_PARAM_LENGTH). */
const DOCUMENTED = new Set([200, 202, 400, 401, 403, 404, 409, 413, 414, 415, 422]);

let p: TestPlatform;
let nanchang: TestInstitution;
let shenzhen: TestInstitution;
let tables: string[] = [];

beforeAll(async () => {
  p = await startTestPlatform({ bodyLimit: 256 * 1024 });
  nanchang = await registerInstitution(p, '360100-si');
  shenzhen = await registerInstitution(p, '440300-si');
  tables = (await p.db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)).map((r: any) => r.table_name as string);
}, 120_000);
afterAll(async () => {
  await p?.close();
});

/** The whole store as one comparable value: every table's row count and an md5 over its rows. */
async function snapshot(): Promise<string> {
  const parts = tables.map((t) => `(SELECT count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM "${t}" x)`);
  const [row] = await p.db.query(`SELECT ${parts.map((q, i) => `${q} AS t${i}`).join(', ')}`);
  return tables.map((t, i) => `${t}=${row[`t${i}`]}`).join(' ');
}

// ---------------------------------------------------------------- generators

const NASTY_STRINGS = ['\u0000', 'a\u0000b', '\uD800', 'x\uDFFF', '\uDBFF\uDBFF', '\uD83D\uDE00', '\uFFFE', '\u202E', '%00', '\\u0000', ''.padEnd(300, '长')];
const nastyString = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: fc.constantFrom('\u0000', '\uD800', '\uDC00', 'a', '长'), maxLength: 6 }));
const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, 5e-324, 900000000000001);
const weird: fc.Arbitrary<unknown> = fc.oneof(nastyString, hugeNumber, fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, true, [], {}, [[[]]]));

/** A valid 1.0 envelope from Nanchang to Shenzhen (a transfer application, the usual first message). */
function baseEnvelope(): Record<string, any> {
  const caseId = newCaseId(nanchang);
  return envelope('pension.transfer-application', nanchang, [shenzhen], caseId, 'pension-transfer', exampleData('pension.transfer-application'));
}

/** Every path (as keys) of a JSON value. */
function paths(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

type Mutation = { kind: 'set'; pick: number; value: unknown } | { kind: 'key'; pick: number; key: string; value: unknown } | { kind: 'delete'; pick: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: weird }),
  fc.record({ kind: fc.constant('key' as const), pick: fc.nat(), key: nastyString, value: weird }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
);

function mutate(doc: Record<string, any>, ms: Mutation[]): unknown {
  let root: any = structuredClone(doc);
  for (const m of ms) {
    const all = paths(root);
    const at = all[m.pick % all.length]!;
    if (at.length === 0) {
      if (m.kind === 'set') root = m.value;
      continue;
    }
    const parent = at.slice(0, -1).reduce((n: any, k) => n[k], root);
    const last = at[at.length - 1]!;
    if (m.kind === 'set') parent[last] = m.value;
    else if (m.kind === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
    else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last])) parent[last][m.key] = m.value;
    else parent[last] = { [m.key]: m.value };
  }
  return root;
}

/** Raw body texts JSON.stringify cannot produce: deep nesting, huge number literals, invalid UTF-8, broken JSON. */
const rawBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((n) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`)),
  fc.integer({ min: 1, max: 5_000 }).map((n) => Buffer.from(`{"specversion":"1.0","data":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`)),
  fc.integer({ min: 1, max: 3_000 }).map((n) => Buffer.from(JSON.stringify({ ...baseEnvelope(), sender: 'x', receivers: JSON.parse(`${'['.repeat(n)}"x"${']'.repeat(n)}`) }))),
  fc.constantFrom('1e99999', '-1e400', '123456789012345678901234567890', '0.0000000000000000000000000000001e-999').map((lit) => Buffer.from(JSON.stringify(baseEnvelope()).replace('"applicationDate"', `"n":${lit},"applicationDate"`))),
  fc.tuple(fc.nat(), fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf0, 0x28, 0x8c, 0xbc], [0xc0, 0xaf], [0x00])).map(([at, bytes]) => {
    const text = Buffer.from(JSON.stringify(baseEnvelope()));
    const i = at % text.length;
    return Buffer.concat([text.subarray(0, i), Buffer.from(bytes), text.subarray(i)]);
  }),
  fc.string({ maxLength: 40 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
);

type Auth = 'signed' | 'unsigned' | 'bad-signature' | 'other-institution' | 'unknown-institution' | 'skewed' | 'bad-timestamp' | 'nasty-header';
const auth: fc.Arbitrary<Auth> = fc.constantFrom<Auth>('signed', 'signed', 'signed', 'unsigned', 'bad-signature', 'other-institution', 'unknown-institution', 'skewed', 'bad-timestamp', 'nasty-header');
/** Past the front door more often: the routes behind the signature check are where the store is read. */
const authMostlySigned: fc.Arbitrary<Auth> = fc.oneof({ arbitrary: fc.constant<Auth>('signed'), weight: 4 }, { arbitrary: auth, weight: 1 });
const contentType = fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/json; charset=latin1', undefined);

interface HostileRequest {
  method: string;
  path: string;
  body?: Buffer;
  /** The document the body holds, when it is JSON we built (its envelope signature can be made). */
  doc?: unknown;
  auth: Auth;
  contentType?: string;
  envelopeSignature: 'valid' | 'none' | 'junk';
}

const segment = fc.oneof(nastyString, fc.constantFrom('360100-si:PT-1', '..', '%2e%2e', '%00', '%ED%A0%80', '%C0%AF', '%', '~', '360100-si'));
const encodeLoosely = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[^A-Za-z0-9_.~-]/g, '%FF'); // a lone surrogate cannot be encoded: send bytes that are not UTF-8
  }
};

const messageRequest: fc.Arbitrary<HostileRequest> = fc
  .record({
    mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
    raw: fc.option(rawBody, { freq: 3 }),
    auth,
    contentType,
    envelopeSignature: fc.constantFrom<'valid' | 'none' | 'junk'>('valid', 'valid', 'none', 'junk'),
  })
  .map(({ mutations, raw, auth, contentType, envelopeSignature }) => {
    if (raw) return { method: 'POST', path: '/v1/messages', body: raw, auth, contentType, envelopeSignature: 'none' as const };
    const doc = mutate(baseEnvelope(), mutations);
    let text: string;
    try {
      text = JSON.stringify(doc) ?? 'null';
    } catch {
      text = 'null';
    }
    return { method: 'POST', path: '/v1/messages', body: Buffer.from(text, 'utf8'), doc, auth, contentType, envelopeSignature };
  });

const otherRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc.record({ s: segment, auth: authMostlySigned }).map(({ s, auth }) => ({ method: 'GET', path: `/v1/cases/${encodeLoosely(s)}`, auth, envelopeSignature: 'none' as const })),
  fc.record({ s: segment, auth: authMostlySigned }).map(({ s, auth }) => ({ method: 'GET', path: `/v1/cases/${encodeLoosely(s)}/bundle`, auth, envelopeSignature: 'none' as const })),
  fc.record({ s: segment, auth: authMostlySigned }).map(({ s, auth }) => ({ method: 'GET', path: `/v1/cases/${encodeLoosely(s)}/receipts`, auth, envelopeSignature: 'none' as const })),
  fc.record({ s: segment, t: segment, auth: authMostlySigned }).map(({ s, t, auth }) => ({ method: 'GET', path: `/v1/audit?caseId=${encodeLoosely(s)}&after=${encodeLoosely(t)}`, auth, envelopeSignature: 'none' as const })),
  fc.record({ s: segment, t: segment, auth: authMostlySigned }).map(({ s, t, auth }) => ({ method: 'GET', path: `/v1/inbox?after=${encodeLoosely(s)}&limit=${encodeLoosely(t)}`, auth, envelopeSignature: 'none' as const })),
  fc.record({ s: segment, auth: authMostlySigned }).map(({ s, auth }) => ({ method: 'GET', path: `/v1/cases?state=${encodeLoosely(s)}&overdue=${encodeLoosely(s)}`, auth, envelopeSignature: 'none' as const })),
  fc.record({ s: segment, auth: authMostlySigned }).map(({ s, auth }) => ({ method: 'GET', path: `/v1/statistics?from=${encodeLoosely(s)}`, auth, envelopeSignature: 'none' as const })),
  fc.record({ v: weird, auth: authMostlySigned, contentType }).map(({ v, auth, contentType }) => ({ method: 'POST', path: '/v1/inbox/ack', body: Buffer.from(JSON.stringify({ upTo: v, receipts: [v] }) ?? 'null'), auth, contentType, envelopeSignature: 'none' as const })),
  fc.record({ v: weird, s: nastyString, auth: authMostlySigned, contentType }).map(({ v, s, auth, contentType }) => ({
    method: 'PUT',
    path: '/v1/institutions/360100-si/webhook',
    body: Buffer.from(JSON.stringify({ url: typeof v === 'string' ? v : `https://x.example/${s}`, secret: `${s}${'s'.repeat(16)}` })),
    auth,
    contentType,
    envelopeSignature: 'none' as const,
  })),
  fc.record({ s: segment, auth: authMostlySigned }).map(({ s, auth }) => ({ method: 'DELETE', path: `/v1/messages/${encodeLoosely(s)}`, auth, envelopeSignature: 'none' as const })),
);

async function send(r: HostileRequest): Promise<{ status: number; text: string }> {
  const body = r.body;
  const headers: Record<string, string> = {};
  if (body !== undefined && r.contentType !== undefined) headers['content-type'] = r.contentType;
  const now = Date.now();
  const who = r.auth === 'other-institution' ? shenzhen : nanchang;
  if (r.auth !== 'unsigned') {
    const signed = signRequest({ method: r.method, pathWithQuery: r.path, body: body ?? '', institutionId: who.id, privateKey: who.privateKeyPem, now: () => (r.auth === 'skewed' ? now - 3_600_000 : now) });
    Object.assign(headers, signed);
    if (r.auth === 'bad-signature') headers[HEADER_SIGNATURE] = `${signed[HEADER_SIGNATURE].slice(0, -4)}AAAA`;
    if (r.auth === 'unknown-institution') headers[HEADER_INSTITUTION] = '999999-nobody';
    if (r.auth === 'bad-timestamp') headers[HEADER_TIMESTAMP] = 'yesterday';
    if (r.auth === 'nasty-header') headers[HEADER_INSTITUTION] = '360100-si\u00ff\u00e9';
  }
  if (r.envelopeSignature === 'junk') headers[HEADER_ENVELOPE_SIGNATURE] = 'eyJhbGciOiJFZERTQSJ9..AAAA';
  if (r.envelopeSignature === 'valid' && r.doc !== null && typeof r.doc === 'object' && !Array.isArray(r.doc)) {
    try {
      headers[HEADER_ENVELOPE_SIGNATURE] = await signEnvelope(r.doc, who.privateKeyPem);
    } catch {
      /* a document JCS cannot canonicalize (a lone surrogate, -0 …): sent without one */
    }
  }
  const res = await fetch(p.url + r.path, { method: r.method, headers, body: body === undefined ? undefined : new Uint8Array(body) });
  return { status: res.status, text: await res.text() };
}

describe(`hostile requests (${process.env.DATABASE_URL ? 'postgres' : 'pglite'}; ${RUNS} runs, seed ${SEED})`, () => {
  it('never get a 5xx, always a documented status, and leave the store unchanged when refused', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: messageRequest, weight: 3 }, { arbitrary: otherRequest, weight: 1 }), async (r) => {
        const before = await snapshot();
        const { status, text } = await send(r);
        seen.set(status, (seen.get(status) ?? 0) + 1);
        expect(status, `${r.method} ${r.path} → ${status}: ${text.slice(0, 300)}`).toBeLessThan(500);
        expect(DOCUMENTED.has(status), `${r.method} ${r.path} → undocumented ${status}: ${text.slice(0, 300)}`).toBe(true);
        if (status >= 400) expect(await snapshot(), `${r.method} ${r.path} → ${status} changed the store`).toBe(before);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    if (process.env.JIEXU_HOSTILE_REPORT) console.log(`hostile requests by status: ${JSON.stringify(Object.fromEntries([...seen].sort(([a], [b]) => a - b)))}`);
    // the run reached the store, not only the front door
    expect([...seen.keys()]).toEqual(expect.arrayContaining([401, 422]));
    expect(seen.get(202) ?? 0).toBeGreaterThan(0);
  }, 600_000);

  it('refuses NUL and lone surrogates in any field of a 1.0 and a 1.1 message with 422 at the pointer', async () => {
    for (const version of ['1.0', '1.1']) {
      for (const [bad, where] of [
        ['李\u0000建国', 'person/name'],
        ['\uD800', 'applicationNo'],
      ] as const) {
        const env = baseEnvelope();
        Object.assign(env, { standardversion: version, caseversion: version, dataschema: `https://jiexu.org/standard/${version}/messages/pension.transfer-application.schema.json` });
        if (where === 'person/name') env.data.person.name = bad;
        else env.data.applicationNo = bad;
        const before = await snapshot();
        const body = Buffer.from(JSON.stringify(env));
        const headers = { 'content-type': 'application/json', ...signRequest({ method: 'POST', pathWithQuery: '/v1/messages', body, institutionId: nanchang.id, privateKey: nanchang.privateKeyPem }) };
        const res = await fetch(`${p.url}/v1/messages`, { method: 'POST', headers, body });
        const answer = (await res.json()) as any;
        expect(res.status, JSON.stringify(answer)).toBe(422);
        expect(answer.error).toBe('invalid-message');
        expect(answer.report.issues.filter((i: any) => i.code === 'unstorable-character').map((i: any) => i.pointer)).toEqual([`/data/${where}`]);
        expect(await snapshot()).toBe(before);
      }
    }
  });

  it('refuses a NUL in a property name, and in the path, query and other bodies, without a 5xx', async () => {
    const env = baseEnvelope();
    env.data['x\u0000'] = 1;
    const body = Buffer.from(JSON.stringify(env));
    const headers = { 'content-type': 'application/json', ...signRequest({ method: 'POST', pathWithQuery: '/v1/messages', body, institutionId: nanchang.id, privateKey: nanchang.privateKeyPem }) };
    const res = await fetch(`${p.url}/v1/messages`, { method: 'POST', headers, body });
    const answer = (await res.json()) as any;
    expect(res.status).toBe(422);
    expect(answer.report.issues.map((i: any) => `${i.code} ${i.pointer}`)).toEqual(expect.arrayContaining(['unstorable-character /data/x\u0000']));
    for (const path of ['/v1/cases/a%00b', '/v1/cases/a%00b/bundle', '/v1/audit?caseId=%00', `/v1/cases/${PLATFORM_ID}%00/receipts`]) {
      const h = signRequest({ method: 'GET', pathWithQuery: path, body: '', institutionId: nanchang.id, privateKey: nanchang.privateKeyPem });
      const r = await fetch(p.url + path, { headers: h });
      expect([400, 404], `${path}: ${r.status} ${await r.text()}`).toContain(r.status);
    }
  });
});
