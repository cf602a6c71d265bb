/**
 * Load benchmark of the platform over HTTP on loopback (a bench script, not a test):
 * N institutions send transfer messages to each other and pull their inboxes at the
 * same time, through @jiexu/client (signed requests), for a bounded number of
 * messages or seconds. Reports messages/s accepted and p50/p99 send latency, beside
 * a baseline measured in the same run against the same server through the same
 * clients with the same concurrency: unsigned GET /healthz round trips (HTTP + one
 * database query).
 *
 * Storage: PGlite (a temporary data directory) and PostgreSQL when DATABASE_URL is
 * set or a local server answers on 127.0.0.1:5432 (a fresh schema, dropped after).
 * Goal on PostgreSQL: ≥ 1,000 messages/s accepted, p99 < 100 ms.
 *
 *   pnpm --filter @jiexu/platform bench
 *   BENCH_INSTITUTIONS=20 BENCH_MESSAGES=6000 BENCH_SECONDS=30 BENCH_CONCURRENCY=4 BENCH_STORAGE=postgres …
 *   BENCH_PROFILE=/tmp/prof …   (V8 CPU profile of the platform process)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient, makeEnvelope, type Envelope, type PlatformClient } from '@jiexu/client';

const INSTITUTIONS = Number(process.env.BENCH_INSTITUTIONS ?? 20);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 6000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
/** Requests in flight per institution. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const STORAGES = (process.env.BENCH_STORAGE ?? 'pglite,postgres').split(',');
/** How long an institution waits before pulling again when its inbox was empty. */
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 100);
/** Like libpq's defaults: the local server, the OS user, database postgres. */
const LOCAL_POSTGRES = `postgresql://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/postgres`;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Institution {
  id: string;
  region: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

interface Server {
  url: string;
  storage: string;
  close(): Promise<void>;
}

function startServer(settings: { databaseUrl?: string; schema?: string; dataDir?: string }, institutions: Institution[]): Promise<Server> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./load-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the platform process exited (${code}) before it started`)));
    child.on('message', (msg: { kind: string; url?: string; storage?: string; message?: string }) => {
      if (msg.kind === 'error') reject(new Error(msg.message));
      if (msg.kind === 'started') {
        child.removeAllListeners('exit');
        resolve({
          url: msg.url!,
          storage: msg.storage!,
          close: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.send({ kind: 'close' });
            }),
        });
      }
    });
    child.send({ kind: 'start', ...settings, institutions: institutions.map(({ id, region, publicKeyPem }) => ({ id, region, publicKeyPem })) });
  });
}

/** Real prefecture codes from the standard's region list, as many as needed. */
async function institutions(n: number): Promise<Institution[]> {
  const list = JSON.parse(await readFile(join(ROOT, 'schemas/1.0/codelists/region.json'), 'utf8')) as { codes: Array<{ code: string; level?: string }> };
  const prefectures = list.codes.filter((c) => /^[1-9]\d{3}00$/.test(c.code) && !c.code.endsWith('0000')).slice(0, n);
  return prefectures.map((c) => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return { id: `${c.code}-si`, region: c.code, privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  });
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Measure {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

function summarise(latencies: number[], seconds: number, errors: number): Measure {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: latencies.length, seconds, perSecond: latencies.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors };
}

/** Runs `workers` loops of `op` until `total` operations or `seconds` have passed. */
async function drive(workers: number, total: number, seconds: number, op: (i: number) => Promise<void>): Promise<Measure> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (started < total && performance.now() < deadline) {
        const i = started++;
        const t = performance.now();
        try {
          await op(i);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= (err as Error).message;
        }
      }
    }),
  );
  if (firstError) process.stderr.write(`  first error: ${firstError}\n`);
  return summarise(latencies, (performance.now() - t0) / 1000, errors);
}

function envelope(from: Institution, to: Institution, n: number, body: Record<string, unknown>, run: string): Envelope {
  const caseId = `${from.id}:B-${run}-${n}`;
  return makeEnvelope({
    message: 'pension.transfer-application',
    sender: from.id,
    receivers: [to.id],
    caseId,
    caseType: 'pension-transfer',
    data: { ...body, fromRegion: to.region, toRegion: from.region },
    id: `${run}-${n}`,
  });
}

async function runOne(label: string, settings: { databaseUrl?: string; schema?: string; dataDir?: string }, insts: Institution[], body: Record<string, unknown>) {
  const t = performance.now();
  const server = await startServer(settings, insts);
  process.stdout.write(`\n${label}: platform up in ${((performance.now() - t) / 1000).toFixed(1)} s at ${server.url} (${server.storage})\n`);
  const clients = new Map<string, PlatformClient>(insts.map((i) => [i.id, createClient({ baseUrl: server.url, institutionId: i.id, privateKey: i.privateKey, connections: CONCURRENCY + 1, retries: 0 })]));
  const workers = INSTITUTIONS * CONCURRENCY;
  try {
    // warm-up: JIT, connection pools, statement plans
    const warm = `w${randomBytes(3).toString('hex')}`;
    await drive(workers, workers * 4, 30, async (i) => {
      const from = insts[i % insts.length];
      await clients.get(from.id)!.send(envelope(from, insts[(i + 1) % insts.length], i, body, warm));
    });

    // baseline: GET /healthz (unsigned; HTTP + one database query) through the same clients, same concurrency, same server
    const baseline = await drive(workers, MESSAGES, SECONDS, async (i) => {
      if (!(await clients.get(insts[i % insts.length].id)!.health())) throw new Error('healthz did not answer 200');
    });

    // drain what the warm-up delivered, so the pullers below count only this run
    for (const c of clients.values()) for (let p = await c.inbox({ limit: 500 }); p.messages.length; p = await c.inbox({ limit: 500 })) await c.ack(p.messages.at(-1)!.cursor);

    // the load: every institution sends (CONCURRENCY in flight) while pulling and acking its inbox
    const run = `r${randomBytes(3).toString('hex')}`;
    let sending = true;
    let pulled = 0;
    const pullLatencies: number[] = [];
    const pullers = insts.map(async (inst) => {
      const c = clients.get(inst.id)!;
      while (true) {
        const t1 = performance.now();
        const page = await c.inbox({ limit: 500 });
        pullLatencies.push(performance.now() - t1);
        if (page.messages.length) {
          pulled += page.messages.filter((m) => m.envelope.id.startsWith(`${run}-`)).length;
          await c.ack(page.messages.at(-1)!.cursor);
        } else if (!sending) return;
        else await new Promise((r) => setTimeout(r, POLL_MS));
      }
    });
    const sends = await drive(workers, MESSAGES, SECONDS, async (i) => {
      const from = insts[i % insts.length];
      const to = insts[(i * 7 + 1 + Math.floor(i / insts.length)) % insts.length];
      const target = to.id === from.id ? insts[(insts.indexOf(from) + 1) % insts.length] : to;
      const r = await clients.get(from.id)!.send(envelope(from, target, i, body, run));
      if (r.replayed) throw new Error(`message ${i} was a replay`);
    });
    sending = false;
    await Promise.all(pullers);
    const pulls = summarise(pullLatencies, sends.seconds, 0);
    return { label, storage: server.storage, baseline, sends, pulled, pulls };
  } finally {
    for (const c of clients.values()) await c.close();
    await server.close();
  }
}

async function postgresUrl(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL ?? LOCAL_POSTGRES;
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    /* not a URL: refused below */
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    process.stdout.write(`PostgreSQL: skipped — DATABASE_URL is not a loopback address (this bench only uses loopback)\n`);
    return undefined;
  }
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return url;
  } catch (err) {
    process.stdout.write(`PostgreSQL: skipped — ${url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')} does not answer (${(err as Error).message})\n`);
    return undefined;
  } finally {
    await c.end().catch(() => {});
  }
}

function ms(x: number): string {
  return `${x.toFixed(1)} ms`;
}

async function main() {
  const insts = await institutions(INSTITUTIONS);
  const body = JSON.parse(await readFile(join(ROOT, 'schemas/1.0/messages/examples/pension.transfer-application/valid/shenzhen-to-nanchang.json'), 'utf8'));
  process.stdout.write(
    `load bench (Node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0].toFixed(1)}): ${insts.length} institutions × ${CONCURRENCY} sends in flight, each also pulling its inbox (every ${POLL_MS} ms when empty); at most ${MESSAGES} messages or ${SECONDS} s per storage; loopback only\n`,
  );
  const results = [];
  if (STORAGES.includes('pglite')) {
    const dataDir = await mkdtemp(join(tmpdir(), 'jiexu-bench-pglite-'));
    try {
      results.push(await runOne('PGlite', { dataDir }, insts, body));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  if (STORAGES.includes('postgres')) {
    const url = await postgresUrl();
    if (url) {
      const schema = `jiexu_bench_${randomBytes(4).toString('hex')}`;
      try {
        results.push(await runOne('PostgreSQL', { databaseUrl: url, schema }, insts, body));
      } finally {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      }
    }
  }
  process.stdout.write(`\nmachine: ${cpus().length} CPU(s), load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) at the end of the run — figures from a shared machine are only comparable through the ratio\n`);
  process.stdout.write('\nstorage     | messages accepted      | send p50 / p99      | baseline GET /healthz  | p50 / p99          | ratio msg/s ÷ healthz/s | delivered\n');
  for (const r of results) {
    const s = r.sends;
    const b = r.baseline;
    process.stdout.write(
      `${r.label.padEnd(11)} | ${String(s.count).padStart(6)} in ${s.seconds.toFixed(1)} s = ${s.perSecond.toFixed(0).padStart(5)}/s | ${ms(s.p50).padStart(8)} / ${ms(s.p99).padStart(8)} | ${b.perSecond.toFixed(0).padStart(6)} req/s         | ${ms(b.p50).padStart(7)} / ${ms(b.p99).padStart(8)} | ${(s.perSecond / b.perSecond).toFixed(3).padStart(6)} (p99 × ${(s.p99 / b.p99).toFixed(1)}) | ${r.pulled}/${s.count}${s.errors ? `, ${s.errors} send errors` : ''}\n`,
    );
  }
  const postgres = results.find((r) => r.label === 'PostgreSQL');
  if (postgres) {
    const ok = postgres.sends.perSecond >= 1000 && postgres.sends.p99 < 100;
    process.stdout.write(`\ngoal on PostgreSQL (≥ 1,000 messages/s, p99 < 100 ms): ${ok ? 'met' : 'NOT met'} — ${postgres.sends.perSecond.toFixed(0)}/s, p99 ${ms(postgres.sends.p99)}\n`);
  }
  for (const r of results) if (r.pulled !== r.sends.count) process.stdout.write(`${r.label}: ${r.sends.count - r.pulled} accepted message(s) not pulled!\n`);
}

main().catch((err) => {
  process.stderr.write(`load bench: ${(err as Error).message}\n`);
  process.exit(1);
});
