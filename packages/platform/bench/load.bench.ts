/**
 * Load benchmark of the platform over HTTP on loopback (a bench script, not a test), beside
 * the least-work server (least-work-server.ts: fastify, one Ed25519 verify, the standard's
 * compiled validators, one statement inserting the message and an audit row) in the same
 * run, with the same client and load: INSTITUTIONS × CONCURRENCY signed sends in flight
 * through @jiexu/client (default 16 × 4 = 64), MESSAGES each (default 6,000), interleaved
 * (least-work, platform, least-work, platform, …; ROUNDS rounds, default 3), each run on a
 * fresh server and fresh storage, on PGlite and on PostgreSQL (when DATABASE_URL is set or a
 * local server answers on 127.0.0.1:5432; a fresh schema per run, dropped after). After each
 * platform run every institution drains its inbox: every accepted message must be delivered
 * exactly once.
 *
 * Prints for each storage the median msg/s, p50 and p99 of both servers and
 * `ratio to least-work server: X` (median over rounds of platform msg/s ÷ least-work msg/s).
 * Targets: X ≥ 0.8 on PostgreSQL, ≥ 0.6 on PGlite; p99 < 100 ms on PostgreSQL. Beside it, each
 * server process's CPU time (user + system) per accepted message in the run and their ratio:
 * steadier than msg/s on a shared machine (with PGlite it includes the database; with
 * PostgreSQL the database's own processes are not counted).
 *
 *   pnpm --filter @jiexu/platform bench
 *   BENCH_INSTITUTIONS=16 BENCH_CONCURRENCY=4 BENCH_MESSAGES=6000 BENCH_ROUNDS=3 BENCH_STORAGE=postgres …
 *   BENCH_PROFILE=/tmp/prof …   (V8 CPU profile of the server processes)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient, makeEnvelope, type Envelope, type PlatformClient } from '@jiexu/client';

const INSTITUTIONS = Number(process.env.BENCH_INSTITUTIONS ?? 16);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 6000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Requests in flight per institution. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const STORAGES = (process.env.BENCH_STORAGE ?? 'pglite,postgres').split(',');
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
  /** The server process's CPU time so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

type Kind = 'platform' | 'least-work';
interface Settings {
  databaseUrl?: string;
  schema?: string;
  dataDir?: string;
}

function startServer(kind: Kind, settings: Settings, institutions: Institution[]): Promise<Server> {
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
          cpuMs: () =>
            new Promise<number>((done) => {
              const onCpu = (m: { kind: string; micros?: number }) => {
                if (m.kind !== 'cpu') return;
                child.off('message', onCpu);
                done(m.micros! / 1000);
              };
              child.on('message', onCpu);
              child.send({ kind: 'cpu' });
            }),
          close: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.send({ kind: 'close' });
            }),
        });
      }
    });
    child.send({ kind: 'start', server: kind, ...settings, institutions: institutions.map(({ id, region, publicKeyPem }) => ({ id, region, publicKeyPem })) });
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
  /** The server process's CPU time (user + system) per accepted message in the run, ms (with PostgreSQL: without the database's). */
  cpuPerMessage?: number;
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

/** One run: a fresh server of `kind`, warm-up, then MESSAGES sends; the platform's inboxes are drained after. */
async function runOne(kind: Kind, settings: Settings, insts: Institution[], body: Record<string, unknown>): Promise<{ sends: Measure; delivered?: number; load: number }> {
  const server = await startServer(kind, settings, insts);
  const clients = new Map<string, PlatformClient>(insts.map((i) => [i.id, createClient({ baseUrl: server.url, institutionId: i.id, privateKey: i.privateKey, connections: CONCURRENCY + 1, retries: 0, timeoutMs: 60_000 })]));
  const workers = INSTITUTIONS * CONCURRENCY;
  try {
    // warm-up: JIT, connection pools, statement plans
    const warm = `w${randomBytes(3).toString('hex')}`;
    await drive(workers, workers * 4, 30, async (i) => {
      const from = insts[i % insts.length];
      await clients.get(from.id)!.send(envelope(from, insts[(i + 1) % insts.length], i, body, warm));
    });
    const run = `r${randomBytes(3).toString('hex')}`;
    const cpu0 = await server.cpuMs();
    const sends: Measure = await drive(workers, MESSAGES, SECONDS, async (i) => {
      const from = insts[i % insts.length];
      const to = insts[(i * 7 + 1 + Math.floor(i / insts.length)) % insts.length];
      const target = to.id === from.id ? insts[(insts.indexOf(from) + 1) % insts.length] : to;
      const r = await clients.get(from.id)!.send(envelope(from, target, i, body, run));
      if (r.replayed) throw new Error(`message ${i} was a replay`);
    });
    sends.cpuPerMessage = ((await server.cpuMs()) - cpu0) / sends.count;
    const load = loadavg()[0];
    if (kind !== 'platform') return { sends, load };
    // exactly-once delivery: every accepted message of the run in exactly one inbox, once
    const seen = new Set<string>();
    let delivered = 0;
    for (const c of clients.values()) {
      for (let p = await c.inbox({ limit: 500 }); p.messages.length; p = await c.inbox({ limit: 500 })) {
        for (const m of p.messages) {
          if (!m.envelope.id.startsWith(`${run}-`)) continue;
          if (seen.has(m.envelope.id)) throw new Error(`message ${m.envelope.id} delivered twice`);
          seen.add(m.envelope.id);
          delivered++;
        }
        await c.ack(p.messages.at(-1)!.cursor, { receipts: false });
      }
    }
    return { sends, delivered, load };
  } finally {
    for (const c of clients.values()) await c.close();
    await server.close();
  }
}

/** Fresh storage for one run, removed after it. */
async function withStorage<T>(storage: 'pglite' | 'postgres', url: string | undefined, fn: (s: Settings) => Promise<T>): Promise<T> {
  if (storage === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'jiexu-bench-pglite-'));
    try {
      return await fn({ dataDir });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const schema = `jiexu_bench_${randomBytes(4).toString('hex')}`;
  try {
    return await fn({ databaseUrl: url, schema });
  } finally {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main() {
  const insts = await institutions(INSTITUTIONS);
  const body = JSON.parse(await readFile(join(ROOT, 'schemas/1.0/messages/examples/pension.transfer-application/valid/shenzhen-to-nanchang.json'), 'utf8'));
  process.stdout.write(
    `load bench (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')}): ${insts.length} institutions × ${CONCURRENCY} = ${INSTITUTIONS * CONCURRENCY} sends in flight, ${MESSAGES} messages per run (at most ${SECONDS} s), ${ROUNDS} interleaved rounds of least-work server then platform; loopback only; a shared machine: compare through the ratio\n`,
  );
  for (const storage of STORAGES as Array<'pglite' | 'postgres'>) {
    const url = storage === 'postgres' ? await postgresUrl() : undefined;
    if (storage === 'postgres' && !url) continue;
    const rounds: Array<{ lw: Measure; pf: Measure; ratio: number; cpuRatio: number; load: number }> = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const lw = await withStorage(storage, url, (s) => runOne('least-work', s, insts, body));
      const pf = await withStorage(storage, url, (s) => runOne('platform', s, insts, body));
      const ratio = pf.sends.perSecond / lw.sends.perSecond;
      const cpuRatio = lw.sends.cpuPerMessage! / pf.sends.cpuPerMessage!;
      rounds.push({ lw: lw.sends, pf: pf.sends, ratio, cpuRatio, load: pf.load });
      process.stdout.write(
        `${storage} round ${r}: least-work ${lw.sends.perSecond.toFixed(0)} msg/s p50 ${ms(lw.sends.p50)} p99 ${ms(lw.sends.p99)} cpu ${ms(lw.sends.cpuPerMessage!)}/msg | platform ${pf.sends.perSecond.toFixed(0)} msg/s p50 ${ms(pf.sends.p50)} p99 ${ms(pf.sends.p99)} cpu ${ms(pf.sends.cpuPerMessage!)}/msg | ratio ${ratio.toFixed(2)} (cpu ${cpuRatio.toFixed(2)}) | load ${lw.load.toFixed(1)} / ${pf.load.toFixed(1)} | delivered ${pf.delivered}/${pf.sends.count}${lw.sends.errors + pf.sends.errors ? ` | errors ${lw.sends.errors} / ${pf.sends.errors}` : ''}\n`,
      );
      if (pf.delivered !== pf.sends.count) process.stdout.write(`  ${pf.sends.count - (pf.delivered ?? 0)} accepted message(s) not delivered!\n`);
    }
    const m = (f: (x: (typeof rounds)[number]) => number) => median(rounds.map(f));
    process.stdout.write(
      `${storage === 'postgres' ? 'PostgreSQL' : 'PGlite'}: platform ${m((x) => x.pf.perSecond).toFixed(0)} msg/s, p50 ${ms(m((x) => x.pf.p50))}, p99 ${ms(m((x) => x.pf.p99))}; least-work server ${m((x) => x.lw.perSecond).toFixed(0)} msg/s, p50 ${ms(m((x) => x.lw.p50))}, p99 ${ms(m((x) => x.lw.p99))}; ratio to least-work server: ${m((x) => x.ratio).toFixed(2)} (target ≥ ${storage === 'postgres' ? '0.8, p99 < 100 ms' : '0.6'}; medians of ${rounds.length} rounds)\n` +
        `  server CPU per accepted message (user + system of the server process${storage === 'postgres' ? ', without PostgreSQL\'s own' : ', PGlite included'}): platform ${ms(m((x) => x.pf.cpuPerMessage!))}, least-work ${ms(m((x) => x.lw.cpuPerMessage!))}; CPU ratio (least-work ÷ platform) ${m((x) => x.cpuRatio).toFixed(2)} — on a shared machine the steadier figure\n`,
    );
  }
  process.stdout.write(`machine: ${cpus().length} CPU(s), load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) at the end\n`);
}

main().catch((err) => {
  process.stderr.write(`load bench: ${(err as Error).message}\n`);
  process.exit(1);
});
