/**
 * `jiexu ledger --operator` and `--bundle` over a platform (PGlite) with a few
 * pension transfers: the records the completed cases' information forms carry,
 * beside the new places' own records, give the ledger of all those records;
 * a form without records and a case not completed are counted as such; the
 * funds the forms name are summed per province. The bundles of the same cases
 * give the same result as the database.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, makeEnvelope, type PlatformClient } from '@jiexu/client';
import { addInstitution, caseBundle, startPlatform, type RunningPlatform } from '@jiexu/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGLISH, runCli } from '../testing/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const INPUTS = `${ROOT}examples/ledger/inputs.sample.json`;
const EXAMPLES = `${ROOT}schemas/1.0/messages/examples`;
const example = (m: string, file: string) => JSON.parse(readFileSync(`${EXAMPLES}/${m}/valid/${file}.json`, 'utf8')) as Record<string, unknown>;

interface Rec {
  person: { id: string };
  region: string;
  contributions: Array<{ month: string; baseFen: number }>;
}

const dir = mkdtempSync(join(tmpdir(), 'jiexu-platform-ledger-'));
const dataDir = join(dir, 'data');
const savedUrl = process.env.DATABASE_URL;
let platform: RunningPlatform | undefined;
const clients = new Map<string, PlatformClient>();
let seq = 0;
const movers: Rec[][] = [];

async function institution(region: string): Promise<PlatformClient> {
  const id = `${region}-si`;
  let c = clients.get(id);
  if (c) return c;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await addInstitution(platform!.db, { id, region, schemes: ['110'], publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
  c = createClient({ baseUrl: platform!.url, institutionId: id, privateKey, now: () => Date.now() });
  clients.set(id, c);
  return c;
}

/** Application, contact letter, information form (with `records` or none), and, when `complete`, the completion. */
async function transfer(from: Rec, to: string, opts: { records: boolean; complete: boolean; fen: number }): Promise<string> {
  const oldPlace = await institution(from.region);
  const newPlace = await institution(to);
  const [o, n] = [`${from.region}-si`, `${to}-si`];
  const caseId = `${n}:PT-2026-${String(++seq).padStart(6, '0')}`;
  const person = (from as unknown as { person: Record<string, unknown> }).person;
  const env = (sender: string, receivers: string[], message: string, data: Record<string, unknown>, inreplyto?: string) =>
    makeEnvelope({ message, sender, receivers, caseId, caseType: 'pension-transfer', data, id: `pl-${seq}-${message}`, time: '2026-03-02T09:30:00+08:00', inreplyto });
  const regions = { person, fromRegion: from.region, toRegion: to };
  const app = env(n, [o], 'pension.transfer-application', { ...example('pension.transfer-application', 'shenzhen-to-nanchang'), ...regions, applicationDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10) });
  await newPlace.send(app);
  const letter = env(n, [o], 'pension.contact-letter', { ...example('pension.contact-letter', 'nanchang-to-shenzhen'), ...regions }, app.id);
  await newPlace.send(letter);
  const info = example('pension.transfer-info', 'shenzhen-to-nanchang-with-record');
  const data = { ...info, ...regions, totalTransferFen: opts.fen, funds: { ...(info.funds as object), amountFen: opts.fen }, individualAccountFen: opts.fen - Number(info.pooledFundFen) } as Record<string, unknown>;
  if (opts.records) data.records = [from];
  else delete data.records;
  const sent = env(o, [n], 'pension.transfer-info', data, letter.id);
  await oldPlace.send(sent);
  if (opts.complete) await newPlace.send(env(n, [o], 'pension.transfer-completed', { ...example('pension.transfer-completed', 'nanchang-completes'), ...regions, receivedFen: opts.fen }, sent.id));
  return caseId;
}

let own: string;
let all: string;
const bundles: string[] = [];

beforeAll(async () => {
  delete process.env.DATABASE_URL; // the embedded PGlite of --data-dir
  const pop = join(dir, 'pop.jsonl');
  expect((await runCli(['simulate', 'population', '--seed', '3', '--people', '60', '-o', pop, '--inputs', INPUTS])).code).toBe(0);
  const byPerson = new Map<string, Rec[]>();
  for (const l of readFileSync(pop, 'utf8').trim().split('\n')) {
    const r = JSON.parse(l) as Rec;
    byPerson.set(r.person.id, [...(byPerson.get(r.person.id) ?? []), r]);
  }
  for (const recs of byPerson.values()) if (recs.length === 2 && recs[0].region !== recs[1].region) movers.push(recs);
  expect(movers.length).toBeGreaterThanOrEqual(4);
  platform = await startPlatform({ port: 0, dataDir, now: () => new Date(), log: () => {}, reminderIntervalMs: 0, outboxIntervalMs: 0 });
  const [a, b, c, d] = movers;
  const cases = [
    await transfer(a[0], a[1].region, { records: true, complete: true, fen: 3_274_757 }),
    await transfer(b[0], b[1].region, { records: false, complete: true, fen: 2_500_001 }),
    await transfer(c[0], c[1].region, { records: true, complete: false, fen: 2_000_000 }),
    await transfer(d[0], d[1].region, { records: true, complete: true, fen: 2_100_000 }),
  ];
  for (const id of cases) {
    const f = join(dir, `${id.replace(/[^\w-]/g, '_')}.json`);
    writeFileSync(f, JSON.stringify(await caseBundle(platform.db, id, new Date())));
    bundles.push(f);
  }
  for (const cl of clients.values()) await cl.close();
  await platform.close();
  platform = undefined;
  // the new places' own records, and every record the completed cases' forms carry beside them
  own = join(dir, 'own.jsonl');
  writeFileSync(own, `${[a[1], b[1], d[1]].map((r) => JSON.stringify(r)).join('\n')}\n`);
  all = join(dir, 'all.jsonl');
  writeFileSync(all, `${[a[0], a[1], b[1], d[0], d[1]].map((r) => JSON.stringify(r)).join('\n')}\n`);
}, 300_000);

afterAll(async () => {
  await platform?.close();
  if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
});

describe('jiexu ledger over the platform', { timeout: 300_000 }, () => {
  it('--operator: the completed cases’ records beside the own export give the ledger of all of them, with what the forms said', async () => {
    const want = await runCli(['ledger', '--inputs', INPUTS, '--json', all], ENGLISH);
    expect(want.code, want.stderr).toBe(0);
    const got = await runCli(['ledger', '--inputs', INPUTS, '--json', '--operator', '--data-dir', dataDir, own], ENGLISH);
    expect(got.code, got.stderr).toBe(0);
    const j = JSON.parse(got.stdout);
    const { platform: p, ...rest } = j;
    expect(rest).toEqual(JSON.parse(want.stdout));
    expect(p).toMatchObject({ cases: 3, forms: 3, formsWithoutRecords: 1 });
    const [a, b, , d] = movers;
    const prov = (r: Rec) => r.region.slice(0, 2);
    const sent: Record<string, number> = {};
    for (const [r, fen] of [[a[0], 3_274_757], [b[0], 2_500_001], [d[0], 2_100_000]] as const) sent[prov(r)] = (sent[prov(r)] ?? 0) + fen;
    for (const [k, fen] of Object.entries(sent)) expect(p.recorded[k].sentFen).toBe(fen);
    const readable = await runCli(['ledger', '--inputs', INPUTS, '--lang', 'en', '--operator', '--data-dir', dataDir, own], ENGLISH);
    expect(readable.stdout).toMatch(/3 completed transfer cases, 3 information forms, 1 of them without contribution records/);
    const zh = await runCli(['ledger', '--inputs', INPUTS, '--lang', 'zh', '--operator', '--data-dir', dataDir, own], ENGLISH);
    expect(zh.stdout).toMatch(/已办结转移案件 3 件/);
  });

  it('--bundle: the cases’ bundles give what the database gives; a case not completed adds nothing; a file that is no bundle is exit 1', async () => {
    const db = await runCli(['ledger', '--inputs', INPUTS, '--json', '--operator', '--data-dir', dataDir, own], ENGLISH);
    const b = await runCli(['ledger', '--inputs', INPUTS, '--json', ...bundles.flatMap((f) => ['--bundle', f]), own], ENGLISH);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(db.stdout));
    const notBundle = join(dir, 'not-a-bundle.json');
    writeFileSync(notBundle, '{"format": "something else"}');
    const bad = await runCli(['ledger', '--inputs', INPUTS, '--bundle', notBundle], ENGLISH);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not a case bundle/);
    expect((await runCli(['ledger', '--inputs', INPUTS], ENGLISH)).code).toBe(2);
  });
});
