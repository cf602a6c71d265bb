/**
 * The demo's world: a clock everyone shares, an embedded platform (PGlite in a
 * temporary directory, random loopback port), and one regional office per sample
 * export, each registered in the platform's directory with a key pair generated in
 * memory and talking to the platform only through the signed HTTP client.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords, type ContributionRecord } from '@jiexu/adapters';
import { createClient, makeEnvelope, type Envelope, type PlatformClient } from '@jiexu/client';
import { addInstitution, draftCatalogue, draftValidator, startPlatform, type PlatformOptions, type RunningPlatform } from '@jiexu/platform';
import { regionName } from '@jiexu/standard';

/** A settable clock in China time: the platform, the signatures and the messages all read it. */
export class DemoClock {
  private ms: number;
  /** Once `run()` is called: the real time then; the clock goes on from `ms` at the real pace. */
  private runningSince: number | undefined;
  constructor(date: string, time = '09:00') {
    this.ms = DemoClock.parse(date, time);
  }
  /** From now on the clock moves with real time, starting at the demo's last instant (`jiexu demo --keep`). */
  run(): void {
    this.runningSince ??= Date.now();
  }
  private current(): number {
    return this.runningSince === undefined ? this.ms : this.ms + (Date.now() - this.runningSince);
  }
  static parse(date: string, time: string): number {
    return Date.parse(`${date}T${time}:00+08:00`);
  }
  /** Moves to a later day and time (never backwards). */
  set(date: string, time = '09:00'): void {
    const next = DemoClock.parse(date, time);
    if (next < this.ms) throw new Error(`the demo clock cannot go back from ${this.iso()} to ${date}T${time}`);
    this.ms = next;
  }
  /** Advances by whole minutes (so messages sent the same day keep their order). */
  tick(minutes = 5): void {
    this.ms += minutes * 60_000;
  }
  readonly now = (): Date => new Date(this.current());
  readonly nowMs = (): number => this.current();
  /** YYYY-MM-DD in China. */
  date(): string {
    return this.iso().slice(0, 10);
  }
  /** RFC 3339 with +08:00. */
  iso(): string {
    return `${new Date(this.current() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
  }
}

/** A fund account the demo invents for each office (fictional numbers). */
export interface BankAccount {
  bankName: string;
  accountName: string;
  accountNo: string;
}

export interface Office {
  /** Institution id in the directory, e.g. 110000-si. */
  id: string;
  region: string;
  /** Region name from the standard's code list, e.g. 北京市. */
  name: string;
  agency: string;
  account: BankAccount;
  format: string;
  file: string;
  client: PlatformClient;
  privateKey: KeyObject;
  /** The office's own export, decoded by its adapter (read once). */
  records(): Promise<ContributionRecord[]>;
}

export interface SampleFile {
  file: string;
  format: string;
  region: string;
}

export interface World {
  clock: DemoClock;
  platform: RunningPlatform;
  offices: Map<string, Office>;
  office(region: string): Office;
  /** Envelope of the standard 1.0 for a pension-transfer case. */
  envelope(from: Office, to: Office[], caseId: string, message: string, data: Record<string, unknown>, inreplyto?: string): Envelope;
  close(): Promise<void>;
}

let messageSeq = 0;

export async function startWorld(samplesDir: string, files: SampleFile[], clock: DemoClock, opts: { staticFiles?: PlatformOptions['staticFiles'] } = {}): Promise<World> {
  const dataDir = await mkdtemp(join(tmpdir(), 'jiexu-demo-platform-'));
  let platform: RunningPlatform;
  try {
    // on the draft of the standard: scene D's benefit-period messages are 1.2 (demo/reemployment.ts)
    platform = await startPlatform({ port: 0, host: '127.0.0.1', dataDir, now: clock.now, log: () => {}, reminderIntervalMs: 0, outboxIntervalMs: 0, catalogue: draftCatalogue(), validate: draftValidator(), staticFiles: opts.staticFiles });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const offices = new Map<string, Office>();
  for (const f of files) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const id = `${f.region}-si`;
    const name = regionName(f.region) ?? f.region;
    const agency = `${name}社会保险事业管理中心`;
    await addInstitution(
      platform.db,
      { id, name: agency, region: f.region, schemes: ['110', '210', '310', '410', '510'], publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] },
      clock.now(),
    );
    let cached: Promise<ContributionRecord[]> | undefined;
    offices.set(f.region, {
      id,
      region: f.region,
      name,
      agency,
      // fictional, but well formed: 19 digits derived from the region code
      account: { bankName: `中国工商银行${name}分行营业部`, accountName: agency, accountNo: `6222${f.region}000000${f.region.slice(0, 3)}` },
      format: f.format,
      file: f.file,
      client: createClient({ baseUrl: platform.url, institutionId: id, privateKey, now: clock.nowMs, backoffMs: 20 }),
      privateKey,
      records: () => (cached ??= readRecords(join(samplesDir, f.file), { format: f.format }).then((r) => r.records)),
    });
  }
  return {
    clock,
    platform,
    offices,
    office(region) {
      const o = offices.get(region);
      if (!o) throw new Error(`no office for region ${region} among the samples`);
      return o;
    },
    envelope(from, to, caseId, message, data, inreplyto) {
      return makeEnvelope({
        message,
        sender: from.id,
        receivers: to.map((o) => o.id),
        caseId,
        caseType: 'pension-transfer',
        data,
        id: `${from.id}.${clock.date().replaceAll('-', '')}.${String(++messageSeq).padStart(4, '0')}`,
        time: clock.iso(),
        inreplyto,
      });
    },
    async close() {
      for (const o of offices.values()) await o.client.close().catch(() => {});
      await platform.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
