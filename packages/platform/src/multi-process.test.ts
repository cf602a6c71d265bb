/**
 * Several `jiexu serve` processes on one PostgreSQL database (the way the platform grows past
 * one process): three real servers, started from the CLI's sources on one schema, take
 * interleaved traffic for the same cases and the same people, and each runs the reminder job
 * every second. Afterwards:
 *
 *  - idempotency: the same message sent to every server at once is stored once (one 202,
 *    the others 200 with the same acceptance), delivered once;
 *  - case order: in every case each message's state_before is the state_after of the one
 *    before it (seq order), concurrent answers through different servers all kept;
 *  - exactly-once delivery: every inbox, read alternately through the servers, has each
 *    message addressed to it once, with cursors 1..n and no gap;
 *  - duplicate detection across processes: one person registered in two regions at once,
 *    through two servers, gets exactly one duplicate-registration notice;
 *  - reminders: an overdue step gets exactly one admin.remind although three processes run
 *    the job;
 *  - `jiexu platform audit --check` finds the hash chain intact;
 *  - no server wrote an unmasked citizen ID to its log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { citizenIdCheckChar } from '@jiexu/standard';
import { addInstitution, generateKeyPair } from './directory.ts';
import { PLATFORM_ID, type Envelope } from './messages.ts';
import { openStorage } from './storage.ts';
import { call, envelope, exampleData, newCaseId, type TestInstitution } from './testing.ts';
import { unmaskedIdentifiers } from './mask.ts';

const DATABASE_URL = process.env.DATABASE_URL;
const JIEXU = fileURLToPath(new URL('../../cli/scripts/jiexu-from-source.mjs', import.meta.url));
const schema = `jiexu_multi_${randomBytes(5).toString('hex')}`;
const SERVERS = 3;

interface Server {
  child: ChildProcess;
  url: string;
  output: string[];
}
const servers: Server[] = [];

function withSearchPath(url: string, s: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${s}`);
  return u.toString();
}

function jiexu(args: string[], stdio: 'pipe' = 'pipe'): ChildProcess {
  return spawn(process.execPath, [JIEXU, ...args], { env: { ...process.env, DATABASE_URL: withSearchPath(DATABASE_URL!, schema) }, stdio: ['ignore', stdio, stdio] });
}

function startServer(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = jiexu(['serve', '--lang', 'en', '--port', '0', '--reminder-interval', '1']);
    const output: string[] = [];
    let stderr = '';
    child.stdout!.on('data', (chunk) => output.push(String(chunk)));
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      output.push(String(chunk));
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ child, url: m[1], output });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = jiexu(args);
    let stdout = '';
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stdout += c));
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

/** A valid 公民身份号码 (GB 11643 check character) for person n. */
function citizenId(n: number): string {
  const first17 = `44030519${String(80 + (n % 20)).padStart(2, '0')}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

afterAll(async () => {
  for (const s of servers) s.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
  if (!DATABASE_URL) return;
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

describe.skipIf(!DATABASE_URL)(`${SERVERS} jiexu serve processes on one PostgreSQL database`, { timeout: 300_000 }, () => {
  it('keep idempotency, case order, exactly-once delivery, duplicate detection, single reminders and the audit chain', async () => {
    const storage = await openStorage({ databaseUrl: DATABASE_URL, schema });
    const institutions: TestInstitution[] = [];
    for (const id of ['110100-si', '310100-si', '360100-si', '440300-si']) {
      const keys = generateKeyPair();
      await addInstitution(storage.db, { id, region: id.slice(0, 6), schemes: ['110', '210', '310'], publicKeys: [keys.publicKeyPem] });
      institutions.push({ id, region: id.slice(0, 6), ...keys });
    }
    for (let i = 0; i < SERVERS; i++) servers.push(await startServer());
    const [beijing, shanghai, nanchang, shenzhen] = institutions;
    const via = (i: number) => servers[i % SERVERS];

    try {
      // 1. the same message to every server at once: stored once
      const twins = Array.from({ length: 12 }, (_, i) => {
        const [from, to] = i % 2 ? [nanchang, beijing] : [shenzhen, shanghai];
        return envelope('pension.transfer-application', from, [to], newCaseId(from), 'pension-transfer', exampleData('pension.transfer-application'));
      });
      for (const env of twins) {
        const from = institutions.find((x) => x.id === env.sender)!;
        const answers = await Promise.all(servers.map((s) => call(s, from, 'POST', '/v1/messages', env)));
        expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 202].slice(3 - SERVERS));
        for (const a of answers) expect(a.body).toEqual(answers[0].body);
      }
      const twinRows = await storage.db.query(`SELECT id, count(*)::int AS n FROM messages WHERE id = ANY($1::text[]) GROUP BY id`, [twins.map((t) => t.id)]);
      expect(twinRows.map((r) => r.n)).toEqual(twins.map(() => 1));

      // 2. the same cases through every server, interleaved: acknowledgements of one
      //    application sent at once through different servers, from both parties' sides
      const applications = twins.slice(0, 8);
      const acks: Envelope[] = [];
      await Promise.all(
        applications.flatMap((app, c) => {
          const receiver = institutions.find((x) => x.id === app.receivers[0])!;
          return Array.from({ length: 4 }, (_, k) => {
            const ack = envelope('admin.acknowledge', receiver, [app.sender], app.caseid, 'pension-transfer', exampleData('admin.acknowledge'), { inreplyto: app.id });
            acks.push(ack);
            return call(via(c + k), receiver, 'POST', '/v1/messages', ack).then((res) => expect(res.status).toBe(202));
          });
        }),
      );

      // 3. one person registered in two regions at once, through two servers: one notice
      const people = Array.from({ length: 16 }, (_, n) => ({ id: citizenId(n), name: '测试人', gender: 'F' }));
      const registration = (who: TestInstitution, person: { id: string }) =>
        envelope('enrollment.registered', who, [PLATFORM_ID], newCaseId(who), 'enrollment', exampleData('enrollment.registered', { person, region: who.region, scheme: '110', effectiveMonth: '2026-02', registeredOn: '2026-02-24' }));
      await Promise.all(
        people.flatMap((person, n) => [
          call(via(n), shanghai, 'POST', '/v1/messages', registration(shanghai, person)).then((r) => expect(r.status).toBe(202)),
          call(via(n + 1), nanchang, 'POST', '/v1/messages', registration(nanchang, person)).then((r) => expect(r.status).toBe(202)),
        ]),
      );
      const dupRows = await storage.db.query(`SELECT person_id, count(*)::int AS n FROM duplicate_notices GROUP BY person_id ORDER BY person_id`);
      expect(dupRows).toEqual(people.map((p) => ({ person_id: p.id, n: 1 })).sort((a, b) => a.person_id.localeCompare(b.person_id)));

      // 4. overdue steps: every server runs the reminder job each second; each step is reminded once
      const overdue = applications.slice(0, 4).map((a) => a.caseid);
      await storage.db.query(`UPDATE cases SET step_deadline = DATE '2020-01-02' WHERE case_id = ANY($1::text[]) AND step_after_id IS NOT NULL`, [overdue]);
      const remindedCount = async () =>
        (await storage.db.query(`SELECT count(*)::int AS n FROM cases WHERE case_id = ANY($1::text[]) AND step_reminded_at IS NOT NULL`, [overdue]))[0].n as number;
      const waitStart = Date.now();
      while ((await remindedCount()) < overdue.length && Date.now() - waitStart < 60_000) await new Promise((r) => setTimeout(r, 250));
      expect(await remindedCount()).toBe(overdue.length);
      await new Promise((r) => setTimeout(r, 3_000)); // several more rounds of every server's job
      const reminders = await storage.db.query(`SELECT case_id, count(*)::int AS n FROM messages WHERE type = 'cn.jiexu.admin.remind.v1' GROUP BY case_id ORDER BY case_id`);
      // (steps already overdue by the real clock are reminded too: each once)
      expect(reminders.map((r) => r.case_id)).toEqual(expect.arrayContaining(overdue));
      expect(reminders.filter((r) => r.n !== 1)).toEqual([]);
      const remindedCases = await storage.db.query(`SELECT case_id FROM cases WHERE step_reminded_at IS NOT NULL ORDER BY case_id`);
      expect(reminders.map((r) => r.case_id)).toEqual(remindedCases.map((r) => r.case_id));

      // case order: within each case, every message continues from the state the previous one left
      const timelines = await storage.db.query(`SELECT case_id, state_before, state_after, id FROM messages ORDER BY case_id, seq`);
      let previous: Record<string, any> | undefined;
      for (const m of timelines) {
        if (previous && previous.case_id === m.case_id) expect(m.state_before, `${m.case_id} ${m.id}`).toBe(previous.state_after);
        else expect(m.state_before).toBeNull();
        previous = m;
      }
      for (const app of applications) {
        const ids = timelines.filter((m) => m.case_id === app.caseid).map((m) => m.id);
        expect(ids[0]).toBe(app.id);
        expect(ids).toEqual(expect.arrayContaining(acks.filter((a) => a.caseid === app.caseid).map((a) => a.id)));
      }

      // 5. exactly-once delivery: each inbox, read through the servers in turn
      const expected = await storage.db.query(
        `SELECT r AS institution, m.source || '#' || m.id AS key FROM messages m, unnest(m.receivers) r WHERE r <> $1 ORDER BY 1, 2`,
        [PLATFORM_ID],
      );
      for (const inst of institutions) {
        const got: string[] = [];
        const cursors: number[] = [];
        let after = '0';
        for (let page = 0; ; page++) {
          const res = await call(via(page), inst, 'GET', `/v1/inbox?after=${after}&limit=7`);
          expect(res.status).toBe(200);
          for (const item of res.body.messages) {
            got.push(`${item.envelope.source}#${item.envelope.id}`);
            cursors.push(Number(item.cursor));
          }
          if (!res.body.messages.length) break;
          after = res.body.messages.at(-1).cursor;
        }
        expect(got.sort()).toEqual(expected.filter((e) => e.institution === inst.id).map((e) => e.key));
        expect(cursors).toEqual(cursors.map((_, i) => i + 1));
      }
      // each duplicate notice reached both regions once
      const noticesAt = async (inst: TestInstitution) =>
        (await storage.db.query(
          `SELECT m.envelope->'data'->'person'->>'id' AS person FROM inbox i JOIN messages m ON m.seq = i.message_seq WHERE i.institution_id = $1 AND m.type = 'cn.jiexu.duplicate-registration.notice.v1' ORDER BY 1`,
          [inst.id],
        )).map((r) => r.person);
      const everyone = people.map((p) => p.id).sort();
      expect(await noticesAt(shanghai)).toEqual(everyone);
      expect(await noticesAt(nanchang)).toEqual(everyone);

      // 6. the audit chain, checked by the operator's command
      const audit = await run(['platform', 'audit', '--check', '--lang', 'en']);
      expect(audit.stdout).toMatch(/audit chain intact: \d+ entries/);
      expect(audit.code).toBe(0);

      // 7. the servers' own output: every line, no citizen ID in the clear
      const lines = servers.flatMap((s) => s.output.join('').split('\n')).filter(Boolean);
      expect(lines.length).toBeGreaterThan(100);
      expect(lines.filter((l) => unmaskedIdentifiers(l).length)).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
