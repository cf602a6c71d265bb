/**
 * The client and the send / inbox / case commands against a real in-process
 * platform (PGlite in memory, HTTP on loopback): signing, idempotent replays,
 * refusals with their reports and exit codes, inbox cursors and acks, overdue cases.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, makeEnvelope, PlatformError, type Envelope, type PlatformClient } from '@jiexu/client';
import { addInstitution, startPlatform, type RunningPlatform } from '@jiexu/platform';
import { addWorkingDays } from '@jiexu/rules';
import { ENGLISH, runCli } from '../testing/run-cli.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const EXAMPLES = join(ROOT, 'schemas/1.0/messages/examples');

const NEW = '360100-si'; // 南昌: the new place, opens the case
const OLD = '440300-si'; // 深圳: the old place
// One clock for the platform, the client and the CLI: Date (faked only to move past a deadline).
const clock = () => Date.now();
const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let platform: RunningPlatform;
let dir: string;
const keys = new Map<string, KeyObject>();
const clients = new Map<string, PlatformClient>();
let application: Record<string, unknown>;
let seq = 0;

function envelope(from: string, to: string[], caseId: string, message: string, data: Record<string, unknown>, inreplyto?: string): Envelope {
  return makeEnvelope({ message, sender: from, receivers: to, caseId, caseType: 'pension-transfer', data, id: `test-${++seq}`, time: '2026-03-02T09:30:00+08:00', inreplyto });
}

const jiexu = (args: string[], env: Record<string, string> = {}) => runCli(args, { ...ENGLISH, ...env });

function connection(id: string): string[] {
  return ['--platform', platform.url, '--institution', id, '--key', join(dir, `${id}.pem`)];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-send-test-'));
  platform = await startPlatform({ port: 0, memory: true, now: () => new Date(), log: () => {}, reminderIntervalMs: 0, outboxIntervalMs: 0 });
  for (const [id, region] of [[NEW, '360100'], [OLD, '440300']] as const) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    keys.set(id, privateKey);
    await writeFile(join(dir, `${id}.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await addInstitution(platform.db, { id, region, schemes: ['110'], publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
    clients.set(id, createClient({ baseUrl: platform.url, institutionId: id, privateKey, now: clock }));
  }
  // the schema example, applied for today (so no deadline has passed yet)
  application = { ...JSON.parse(await readFile(join(EXAMPLES, 'pension.transfer-application/valid/shenzhen-to-nanchang.json'), 'utf8')), applicationDate: chinaToday() };
}, 300_000);

afterAll(async () => {
  vi.useRealTimers();
  for (const c of clients.values()) await c.close();
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('client against the platform', () => {
  const caseId = `${NEW}:PT-2026-000001`;
  let first: Envelope;

  it('sends a message (202), and the same message again is a replay (200) with the original acceptance', async () => {
    first = envelope(NEW, [OLD], caseId, 'pension.transfer-application', application);
    const a = await clients.get(NEW)!.send(first);
    expect(a).toMatchObject({ id: first.id, caseId, status: 'accepted', replayed: false });
    const b = await clients.get(NEW)!.send(JSON.parse(JSON.stringify(first)));
    expect(b).toEqual({ ...a, replayed: true });
  });

  it('gets 409 for the same id with a different body, without retrying', async () => {
    const changed = { ...first, data: { ...application, channel: 'online' } };
    const err = (await clients.get(NEW)!.send(changed).catch((e: unknown) => e)) as PlatformError;
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ status: 409, code: 'idempotency-conflict' });
  });

  it('gets 401 when signing with a key the directory does not hold', async () => {
    const stranger = createClient({ baseUrl: platform.url, institutionId: NEW, privateKey: generateKeyPairSync('ed25519').privateKey, now: clock });
    const err = (await stranger.institutions().catch((e: unknown) => e)) as PlatformError;
    await stranger.close();
    expect(err).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('delivers to the receiver’s inbox once; ack moves the default position forward', async () => {
    const old = clients.get(OLD)!;
    const page = await old.inbox();
    expect(page.messages.map((m) => m.envelope.id)).toEqual([first.id]);
    expect(page.messages[0].envelope).toEqual(first);
    const acked = await old.ack(page.messages[0].cursor);
    expect(acked.ackedUpTo).toBe(page.messages[0].cursor);
    // the receiver's client signed a receipt over the message's digest
    expect(acked.receipts?.map((r) => r.message.id)).toEqual([first.id]);
    expect((await old.inbox()).messages).toEqual([]);
    expect((await old.inbox({ after: 0 })).messages).toHaveLength(1);
  });

  it('shows the case with its next step and deadline on the official calendar', async () => {
    const c = await clients.get(OLD)!.case(caseId);
    expect(c).toMatchObject({ caseId, caseType: 'pension-transfer', state: 'applied', closed: false });
    expect(c.timeline.map((t) => t.id)).toEqual([first.id]);
    expect(c.currentStep?.deadline).toBe(addWorkingDays(String(application.applicationDate), 15).date);
    const { institutions } = await clients.get(OLD)!.institutions();
    expect(institutions.map((i) => i.id).sort()).toEqual([NEW, OLD]);
  });
});

describe('jiexu send / inbox / case', () => {
  const caseId = `${NEW}:PT-2026-000002`;

  it('sends envelope files and reports each (exit 0), a replay included', async () => {
    const file = join(dir, 'application.json');
    await writeFile(file, JSON.stringify(envelope(NEW, [OLD], caseId, 'pension.transfer-application', application), null, 2));
    const r = await jiexu(['send', file, ...connection(NEW)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}: accepted`);
    expect(r.stdout).toContain(`in case ${caseId}`);
    const again = await jiexu(['send', file, ...connection(NEW)]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already accepted (replay)');
  });

  it('reads platform, institution and key from JIEXU_* and lists the inbox; --ack acknowledges', async () => {
    const env = { JIEXU_PLATFORM: platform.url, JIEXU_INSTITUTION: OLD, JIEXU_KEY: join(dir, `${OLD}.pem`) };
    const listed = await jiexu(['inbox', '--json'], env);
    expect(listed.code).toBe(0);
    const page = JSON.parse(listed.stdout);
    expect(page.messages.map((m: { envelope: Envelope }) => m.envelope.caseid)).toEqual([caseId]);
    const acked = await jiexu(['inbox', '--ack'], env);
    expect(acked.code).toBe(0);
    expect(acked.stdout).toContain('pension.transfer-application');
    expect(acked.stdout).toContain(`acknowledged up to #${page.messages[0].cursor}, 1 receipt(s) signed`);
    expect(acked.stdout).toContain('signature verified');
    expect((await jiexu(['inbox'], env)).stdout).toBe('inbox empty\n');
    // the sender fetches the receipt, signed by the receiver
    const receipts = await jiexu(['case', caseId, '--receipts', '--lang', 'zh', ...connection(NEW)]);
    expect(receipts.code).toBe(0);
    expect(receipts.stdout).toContain(`接收方 ${OLD}`);
    expect(receipts.stdout).toContain('接收方签名有效');
  });

  it('exits 1 with the issues of the report when the platform refuses a message (422)', async () => {
    const bad = envelope(NEW, [OLD], `${NEW}:PT-2026-000003`, 'pension.transfer-application', { ...application, channel: 'fax' });
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(bad));
    const r = await jiexu(['send', file, ...connection(NEW)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('422 invalid-message');
    expect(r.stderr).toContain('/data/channel');
  });

  it('exits 1 naming line and column for a file that is not JSON, and still sends the others', async () => {
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{\n  "id": "x",\n  oops\n}');
    const good = join(dir, 'application.json');
    const r = await jiexu(['send', broken, good, ...connection(NEW)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.json: 3:3: not JSON/);
    expect(r.stdout).toContain('already accepted (replay)');
  });

  it('exits 2 when the connection settings are missing or the key file is absent', async () => {
    const none = await jiexu(['inbox'], { JIEXU_PLATFORM: '', JIEXU_INSTITUTION: '', JIEXU_KEY: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('missing --platform');
    const noKey = await jiexu(['case', caseId, '--platform', platform.url, '--institution', NEW, '--key', join(dir, 'nope.pem')]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('cannot read the key file');
  });

  it('shows a case, and lists it as overdue once its deadline has passed', async () => {
    const shown = await jiexu(['case', caseId, ...connection(NEW)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`case ${caseId} (pension-transfer, standard 1.0): applied`);
    const due = addWorkingDays(String(application.applicationDate), 15).date;
    expect(shown.stdout).toContain(`deadline ${due}`);
    expect((await jiexu(['case', '--overdue', ...connection(NEW)])).stdout).toBe('no overdue cases\n');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(`${addWorkingDays(due, 1).date}T09:00:00+08:00`));
    const overdue = await jiexu(['case', '--overdue', '--json', ...connection(NEW)]);
    expect(overdue.code).toBe(0);
    expect(JSON.parse(overdue.stdout).cases.map((c: { caseId: string }) => c.caseId).sort()).toEqual([`${NEW}:PT-2026-000001`, caseId]);
    const missing = await jiexu(['case', `${NEW}:PT-2026-999999`, ...connection(NEW)]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('404');
  });
});
