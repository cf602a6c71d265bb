/**
 * The national peak day (docs/platform.md, «Past one machine»), as a bench script: a
 * registry of BENCH_PEOPLE people (default 10,000,000), each actively enrolled in scheme 110
 * in one of 31 regions, loaded into the partitioned `enrollments` table in SQL
 * (generate_series, valid 公民身份号码 with their GB 11643 check character); then job changes
 * replayed through the real HTTP platform — BENCH_SERVERS `jiexu serve` processes (default 2)
 * on that one PostgreSQL database, requests spread over them in turn: for each change the new
 * region sends enrollment.registered, the platform finds the person still active in the old
 * region and sends both regions a duplicate-registration notice (webhooks). The old region's
 * enrollment.terminated, the other half of the peak day's notices, is not replayed: it
 * continues the old region's enrollment case, and the registry holds enrollment facts, not
 * ten million open cases. It prints:
 *
 *  - the registry load time;
 *  - accept rate (notices/s), p50/p99 of a send;
 *  - duplicate-detection latency p50/p99: from the registered notice being sent to the
 *    duplicate notice arriving at the old region's webhook receiver;
 *  - the least-work baseline in the same run, interleaved (A, B, A, B): the same notices to
 *    the same tables with one SQL statement each (message row, upsert, look for an active
 *    enrollment elsewhere, record the duplicate) over a pool, same concurrency; medians,
 *    and `ratio to least-work baseline: X`;
 *  - what fraction of the peak day (30,246,000 notices) the replay is, and how long the whole
 *    day would take at the accept rate; the load average.
 *
 * Needs DATABASE_URL (PostgreSQL; the bench works in its own schema, dropped after unless
 * BENCH_KEEP=1, which also reuses a loaded registry). Not a test.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiexu pnpm --filter @jiexu/platform bench:national
 *   BENCH_PEOPLE=1000000 BENCH_CHANGES=2000 BENCH_ROUNDS=3 BENCH_CONCURRENCY=64 BENCH_SERVERS=2 …
 *   BENCH_PROFILE=/tmp/prof …   (a CPU profile of each server process)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient, makeEnvelope, type Envelope, type PlatformClient } from '@jiexu/client';
import { schemasDir } from '@jiexu/standard';
import { addInstitution, openStorage, PLATFORM_ID, setWebhook } from '../src/index.ts';

const DATABASE_URL = process.env.DATABASE_URL;
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000_000);
/** Job changes per round (each two notices). */
const CHANGES = Number(process.env.BENCH_CHANGES ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const SERVERS = Number(process.env.BENCH_SERVERS ?? 2);
const REGIONS = 31;
const SCHEMA = process.env.BENCH_SCHEMA ?? 'jiexu_bench_national';
const KEEP = process.env.BENCH_KEEP === '1';
/** docs/platform.md: 17,185万 migrant workers × 1.76 notices, in 20 working days, the peak day twice the mean. */
const PEAK_DAY_NOTICES = 30_246_000;
/** Half of them are registrations in the new region: the notices that can find a duplicate (replayed here). */
const PEAK_DAY_REGISTRATIONS = PEAK_DAY_NOTICES / 2;
const JIEXU = fileURLToPath(new URL('../../cli/scripts/jiexu-from-source.mjs', import.meta.url));
/** BENCH_PROFILE=<dir>: each jiexu serve process writes a V8 CPU profile there when it stops. */
const PROFILE_ARGS = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
/** The registry's people: address code, birth date from the number, sequence, check character. */
const ADDRESS = '360124';

if (!DATABASE_URL) {
  process.stdout.write('national bench: skipped, DATABASE_URL is not set (the 10-million-person registry is for PostgreSQL)\n');
  process.exit(0);
}

interface Institution {
  id: string;
  region: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Person n's 公民身份号码, computed the same way as the SQL below. */
function personId(n: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + (n % 15_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${ADDRESS}${birth}${String(Math.floor(n / 15_000) % 1000).padStart(3, '0')}`;
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}
const PERSON_ID_SQL = (() => {
  const first17 = `'${ADDRESS}' || to_char(DATE '1960-01-01' + (n % 15000)::int, 'YYYYMMDD') || lpad(((n / 15000) % 1000)::text, 3, '0')`;
  const sum = WEIGHTS.map((w, i) => `substr(f, ${i + 1}, 1)::int * ${w}`).join(' + ');
  return { first17, id: `f || substr('10X98765432', ((${sum}) % 11) + 1, 1)` };
})();

function withSearchPath(url: string, s: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${s}`);
  return u.toString();
}

async function regions(): Promise<Institution[]> {
  const list = JSON.parse(await readFile(`${schemasDir()}1.0/codelists/region.json`, 'utf8')) as { codes: Array<{ code: string }> };
  const byProvince = new Map<string, string>();
  for (const c of list.codes) if (/^[1-9]\d{3}00$/.test(c.code) && !c.code.endsWith('0000') && !byProvince.has(c.code.slice(0, 2))) byProvince.set(c.code.slice(0, 2), c.code);
  return [...byProvince.values()].slice(0, REGIONS).map((region) => {
    // the same key for a region every run (a kept registry keeps its directory): Ed25519 from a seed
    const seed = createHash('sha256').update(`jiexu national bench ${region}`).digest();
    const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    return { id: `${region}-si`, region, privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** Runs `op` for 0..total-1 with `workers` in flight; returns per-op latencies (ms) and seconds. */
async function drive(workers: number, total: number, op: (i: number) => Promise<number>): Promise<{ latencies: number[]; seconds: number; ops: number }> {
  const latencies: number[] = [];
  let next = 0;
  let ops = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        const done = await op(i); // (not `ops += await …`: that reads ops before the await)
        ops += done;
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - t0) / 1000, ops };
}

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...PROFILE_ARGS, JIEXU, 'serve', '--lang', 'en', '--port', '0', '--reminder-interval', '0'], {
      env: { ...process.env, DATABASE_URL: withSearchPath(DATABASE_URL!, SCHEMA) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`jiexu serve exited ${code}: ${stderr}`)));
  });
}

/** Where the duplicate notices arrive: the old region's webhook; person id → arrival time. */
function webhookReceiver(): Promise<{ server: HttpServer; url: string; arrivals: Map<string, number> }> {
  const arrivals = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      try {
        const item = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const env = item.envelope;
        if (env?.type === 'cn.jiexu.duplicate-registration.notice.v1') {
          const key = `${env.data.person.id}|${req.url}`;
          if (!arrivals.has(key)) arrivals.set(key, at);
        }
      } catch {
        /* not ours */
      }
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, arrivals })));
}

async function loadRegistry(admin: pg.Pool, registryMessage: string, institutions: Institution[]): Promise<number> {
  const [{ n }] = (await admin.query(`SELECT count(*)::int AS n FROM enrollments`)).rows;
  if (n >= PEOPLE) return 0;
  const t = performance.now();
  const regionArray = `ARRAY[${institutions.map((i) => `'${i.region}'`).join(',')}]`;
  const chunks = 8;
  const size = Math.ceil(PEOPLE / chunks);
  // two connections at a time (the machine has two cores), each a slice of the people
  const slices = Array.from({ length: chunks }, (_, k) => [k * size, Math.min(PEOPLE, (k + 1) * size) - 1]);
  const worker = async () => {
    for (let s = slices.shift(); s; s = slices.shift()) {
      const c = await admin.connect();
      try {
        await c.query(`SET synchronous_commit = off`);
        // every registry row points at the one import message, which exists: no per-row foreign-key check
        await c.query(`SET session_replication_role = replica`);
        await c.query(
          `INSERT INTO enrollments (person_id, scheme, region, institution_id, status, message_seq, updated_at, person, since)
           SELECT id, '110', r, r || '-si', 'active', $3, now() - interval '1 year', jsonb_build_object('id', id), '2015-01'
             FROM (SELECT ${PERSON_ID_SQL.id} AS id, r FROM (SELECT ${PERSON_ID_SQL.first17} AS f, (${regionArray})[(n % ${REGIONS}) + 1] AS r FROM generate_series($1::bigint, $2::bigint) n) a) b`,
          [s[0], s[1], registryMessage],
        );
      } finally {
        c.release();
      }
    }
  };
  await Promise.all([worker(), worker()]);
  await admin.query(`ANALYZE enrollments`);
  return (performance.now() - t) / 1000;
}

/** The least-work baseline: one statement per notice, same tables, same work (upsert, look, record). */
const MESSAGE_ROW = `INSERT INTO messages (source, id, body_hash, type, sender, receivers, case_id, state_after, envelope, received_at)
    VALUES ('urn:jiexu:institution:' || $2 || '-si', $3, md5($4::jsonb::text), $5, $2 || '-si', ARRAY['${PLATFORM_ID}'], $3, 'noted', $4::jsonb, now()) RETURNING seq`;
const BASELINE_REGISTERED = `WITH m AS (${MESSAGE_ROW}),
  up AS (
    INSERT INTO enrollments (person_id, scheme, region, institution_id, status, message_seq, updated_at, person, since)
    SELECT $1, '110', $2, $2 || '-si', 'active', m.seq, now(), jsonb_build_object('id', $1::text), '2026-02' FROM m
    ON CONFLICT (person_id, scheme, region) DO UPDATE SET status = 'active', updated_at = now(), message_seq = excluded.message_seq RETURNING person_id, message_seq)
  INSERT INTO duplicate_notices (person_id, scheme, region_a, region_b, message_seq, noticed_at)
  SELECT e.person_id, '110', least(e.region, $2), greatest(e.region, $2), up.message_seq, now() FROM enrollments e, up
   WHERE e.person_id = $1 AND e.scheme = '110' AND e.status = 'active' AND e.region <> $2
  ON CONFLICT DO NOTHING`;
/** The new region's enrollment.registered for person n (a new enrollment case). */
function registration(from: Institution, n: number, run: string): Envelope {
  const person = { id: personId(n), name: '测试', gender: n % 2 ? 'M' : 'F' };
  const data = { person, scheme: '110', region: from.region, registeredOn: '2026-02-24', effectiveMonth: '2026-02', category: 'employee', status: 'active' };
  return makeEnvelope({ message: 'enrollment.registered', sender: from.id, receivers: [PLATFORM_ID], caseId: `${from.id}:N-${run}-${n}`, caseType: 'enrollment', data, id: `${run}-${n}` }) as Envelope;
}

async function main() {
  const t0 = performance.now();
  const load0 = loadavg();
  // as many database connections as the platform's processes have together (10 each): the same
  // 64 notices in flight queue for them
  const admin = new pg.Pool({ connectionString: withSearchPath(DATABASE_URL!, SCHEMA), max: 10 * SERVERS });
  const institutions = await regions();
  if (!KEEP) await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  // the schema, by the platform's own migrations (012: enrollments partitioned by person hash)
  const storage = await openStorage({ databaseUrl: DATABASE_URL, schema: SCHEMA });
  const hook = await webhookReceiver();
  for (const inst of institutions) {
    if (!(await storage.db.query(`SELECT 1 FROM institutions WHERE id = $1`, [inst.id])).length) {
      await addInstitution(storage.db, { id: inst.id, region: inst.region, schemes: ['110'], publicKeys: [inst.publicKeyPem] });
    }
    await setWebhook(storage.db, inst.id, `${hook.url}/${inst.id}`, null);
  }
  // one message row the registry's enrollments point at (the registry's import)
  const [reg] = await storage.db.query(
    `INSERT INTO messages (source, id, body_hash, type, sender, receivers, case_id, state_after, envelope, received_at)
     VALUES ('urn:jiexu:platform', $1, 'registry', 'cn.jiexu.enrollment.registered.v1', 'jiexu-platform', '{jiexu-platform}', 'registry', 'noted', '{}', now())
     ON CONFLICT (source, id) DO UPDATE SET body_hash = excluded.body_hash RETURNING seq::text AS seq`,
    [`registry-${SCHEMA}`],
  );
  await storage.close();
  process.stdout.write(`national bench: ${PEOPLE.toLocaleString('en')} people in ${REGIONS} regions, ${SERVERS} jiexu serve processes, ${CONCURRENCY} in flight, ${ROUNDS} rounds of ${CHANGES} registrations each\n`);
  process.stdout.write(`load average at start: ${load0.map((x) => x.toFixed(2)).join(' ')}\n`);
  const loadSeconds = await loadRegistry(admin, reg.seq, institutions);
  const rows = (await admin.query(`SELECT count(*)::text AS n FROM enrollments`)).rows[0].n as string;
  const bytes = (await admin.query(`SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) AS b FROM pg_inherits WHERE inhparent = 'enrollments'::regclass`)).rows[0].b as string;
  process.stdout.write(loadSeconds ? `registry loaded: ${rows} enrollments in ${loadSeconds.toFixed(1)} s (${Math.round(Number(rows) / loadSeconds).toLocaleString('en')} rows/s), ${bytes} with indexes, 16 hash partitions\n` : `registry reused: ${rows} enrollments, ${bytes}\n`);

  const servers: Array<{ child: ChildProcess; url: string }> = [];
  for (let i = 0; i < SERVERS; i++) servers.push(await startServer());
  const clients = institutions.map((inst) => servers.map((s) => createClient({ baseUrl: s.url, institutionId: inst.id, privateKey: inst.privateKey, connections: Math.ceil(CONCURRENCY / SERVERS) + 2, retries: 0, timeoutMs: 120_000 })));
  const clientOf = (inst: number, i: number): PlatformClient => clients[inst][i % SERVERS];

  // each person changes job once: person n_k = k-th of a permutation of the registry
  let cursor = Number.parseInt(randomBytes(3).toString('hex'), 16) % PEOPLE;
  const nextPerson = () => (cursor = (cursor + 7_919) % PEOPLE);
  const oldRegion = (n: number) => n % REGIONS;
  const newRegion = (n: number) => (oldRegion(n) + 1 + (n % (REGIONS - 1))) % REGIONS;

  const platformRound = async (round: string) => {
    const people = Array.from({ length: CHANGES }, nextPerson);
    const sentAt = new Map<string, number>();
    let errors = 0;
    let firstError: string | undefined;
    const sends: number[] = [];
    const r = await drive(CONCURRENCY, CHANGES, async (k) => {
      const n = people[k];
      const [from, to] = [newRegion(n), oldRegion(n)];
      let ops = 0;
      try {
        const t = performance.now();
        sentAt.set(`${personId(n)}|/${institutions[to].id}`, t);
        const a = await clientOf(from, k).send(registration(institutions[from], n, round));
        sends.push(performance.now() - t);
        if (a.replayed) throw new Error('replayed');
        ops++;
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
      return ops;
    });
    // every duplicate notice delivered (webhooks retry with backoff; wait up to 60 s)
    const waitUntil = performance.now() + 60_000;
    const delivered = () => [...sentAt.keys()].filter((key) => hook.arrivals.has(key)).length;
    while (delivered() < sentAt.size && performance.now() < waitUntil) await new Promise((res) => setTimeout(res, 100));
    const detection = [...sentAt].flatMap(([key, t]) => (hook.arrivals.has(key) ? [hook.arrivals.get(key)! - t] : [])).sort((a, b) => a - b);
    const s = [...sends].sort((a, b) => a - b);
    if (firstError) process.stdout.write(`  ${errors} failed changes, first: ${firstError}\n`);
    return { perSecond: r.ops / r.seconds, p50: percentile(s, 50), p99: percentile(s, 99), detP50: percentile(detection, 50), detP99: percentile(detection, 99), delivered: detection.length, expected: sentAt.size, errors };
  };

  const baselineRound = async (round: string) => {
    const people = Array.from({ length: CHANGES }, nextPerson);
    const r = await drive(CONCURRENCY, CHANGES, async (k) => {
      const n = people[k];
      // the same notices the platform gets, stored as the message row beside the enrollment work
      const registered = registration(institutions[newRegion(n)], n, round);
      await admin.query({ name: 'baseline_registered', text: BASELINE_REGISTERED, values: [personId(n), institutions[newRegion(n)].region, registered.id, registered, registered.type] });
      return 1;
    });
    const s = [...r.latencies].sort((a, b) => a - b);
    return { perSecond: r.ops / r.seconds, p50: percentile(s, 50), p99: percentile(s, 99) };
  };

  try {
    const warm = `w${randomBytes(3).toString('hex')}`;
    process.stdout.write('warm-up …\n');
    await platformRound(warm);
    await baselineRound(`${warm}b`);
    const platform: Array<Awaited<ReturnType<typeof platformRound>>> = [];
    const baseline: Array<Awaited<ReturnType<typeof baselineRound>>> = [];
    for (let i = 0; i < ROUNDS; i++) {
      const a = await platformRound(`r${i}${randomBytes(2).toString('hex')}`);
      platform.push(a);
      process.stdout.write(
        `  A platform  round ${i + 1}: ${a.perSecond.toFixed(0)} notices/s, send p50 ${a.p50.toFixed(0)} / p99 ${a.p99.toFixed(0)} ms, duplicate detection p50 ${a.detP50.toFixed(0)} / p99 ${a.detP99.toFixed(0)} ms (${a.delivered}/${a.expected} delivered)\n`,
      );
      const b = await baselineRound(`b${i}${randomBytes(2).toString('hex')}`);
      baseline.push(b);
      process.stdout.write(`  B baseline  round ${i + 1}: ${b.perSecond.toFixed(0)} notices/s, p50 ${b.p50.toFixed(1)} / p99 ${b.p99.toFixed(1)} ms per statement\n`);
    }
    const rate = median(platform.map((a) => a.perSecond));
    const base = median(baseline.map((b) => b.perSecond));
    const load1 = loadavg();
    const replayed = CHANGES * ROUNDS;
    process.stdout.write(`\nplatform (${SERVERS} processes, HTTP, signed): median ${rate.toFixed(0)} notices/s; send p50 ${median(platform.map((a) => a.p50)).toFixed(0)} ms, p99 ${median(platform.map((a) => a.p99)).toFixed(0)} ms\n`);
    process.stdout.write(`duplicate detection (registered sent → notice at the old region's webhook): p50 ${median(platform.map((a) => a.detP50)).toFixed(0)} ms, p99 ${median(platform.map((a) => a.detP99)).toFixed(0)} ms\n`);
    process.stdout.write(`least-work baseline (one SQL statement per notice, ${10 * SERVERS} connections): median ${base.toFixed(0)} notices/s\n`);
    process.stdout.write(`ratio to least-work baseline: ${(rate / base).toFixed(2)}\n`);
    process.stdout.write(
      `replayed ${replayed.toLocaleString('en')} registrations through the platform = ${((100 * replayed) / PEAK_DAY_REGISTRATIONS).toFixed(3)} % of the peak day's ${PEAK_DAY_REGISTRATIONS.toLocaleString('en')} (of ${PEAK_DAY_NOTICES.toLocaleString('en')} notices); the peak day needs ${(PEAK_DAY_NOTICES / 86_400).toFixed(0)} notices/s over 24 h, ${(PEAK_DAY_NOTICES / 28_800).toFixed(0)}/s over 8 office hours; at ${rate.toFixed(0)}/s the whole day's notices take ${(PEAK_DAY_NOTICES / rate / 3600).toFixed(1)} h on this machine\n`,
    );
    process.stdout.write(`load average at end: ${load1.map((x) => x.toFixed(2)).join(' ')}; total ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  } finally {
    for (const c of clients.flat()) await c.close();
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
    hook.server.close();
    if (!KEEP) await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin.end();
  }
}

main().catch((err) => {
  process.stderr.write(`national bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
