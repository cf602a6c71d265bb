/** Starting and stopping the platform: storage, HTTP server, webhook worker, reminder timer. */
import { sendOverdueReminders } from './cases.ts';
import { loadCatalogue, type Catalogue } from './catalogue.ts';
import type { Db } from './db.ts';
import { maskIdentifiers } from './mask.ts';
import { Metrics } from './metrics.ts';
import type { PlatformContext } from './messages.ts';
import { DEFAULT_WEBHOOK_POLICY, runOutboxOnce, type WebhookPolicy } from './outbox.ts';
import { buildApp } from './server.ts';
import type { StaticFiles } from './static-files.ts';
import { openStorage } from './storage.ts';
import { DirectoryCache } from './directory-cache.ts';
import { ensurePlatformKey } from './platform-key.ts';
import { defaultValidator, type Validator } from './validation.ts';

export interface PlatformOptions {
  /** TCP port (default 8640; 0 = any free port). */
  port?: number;
  host?: string;
  /** PGlite data directory (default .jiexu/platform-data); ignored when databaseUrl is set. */
  dataDir?: string;
  /** PostgreSQL connection string (default: none, use PGlite). */
  databaseUrl?: string;
  /** PostgreSQL schema (tests isolate by schema). */
  schema?: string;
  /** PGlite in memory (tests). */
  memory?: boolean;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** The platform's clock (tests). */
  now?: () => Date;
  catalogue?: Catalogue;
  validate?: Validator;
  /** Request log sink (default stdout). */
  log?: (line: string) => void;
  /** How often overdue steps are checked for reminders (default 5 min; 0 = never, call remindOverdue()). */
  reminderIntervalMs?: number;
  /** How often the webhook outbox is polled besides being woken on delivery (default 1 s; 0 = never). */
  outboxIntervalMs?: number;
  webhookPolicy?: WebhookPolicy;
  /** Failures of the background work (reminders, webhooks); default: a JSON line on stderr. */
  onError?: (task: string, err: Error) => void;
  /** Public static files served beside the API (e.g. the console bundle under /console/). */
  staticFiles?: StaticFiles;
}

export interface RunningPlatform {
  url: string;
  port: number;
  db: Db;
  context: PlatformContext;
  /** Sends admin.remind for every overdue step not yet reminded; returns the reminder ids. */
  remindOverdue(now?: Date): Promise<string[]>;
  /** Runs the webhook outbox once. */
  flushWebhooks(): Promise<number>;
  /**
   * Stops: no new connections; requests in progress may finish for `drainMs` (default 10 s),
   * then the connections still open are closed; then the jobs, the directory's LISTEN
   * connection and the storage, each whatever happened before it. Resolves to how many
   * connections had to be closed.
   */
  close(drainMs?: number): Promise<{ forcedConnections: number }>;
}

export const DEFAULT_PORT = 8640;

export async function startPlatform(opts: PlatformOptions = {}): Promise<RunningPlatform> {
  const storage = await openStorage({ databaseUrl: opts.databaseUrl, schema: opts.schema, dataDir: opts.dataDir, memory: opts.memory });
  const now = opts.now ?? (() => new Date());
  const onError =
    opts.onError ??
    ((task: string, err: Error) => process.stderr.write(`${maskIdentifiers(JSON.stringify({ time: new Date().toISOString(), level: 'error', task, error: err.message }))}\n`));
  const metrics = new Metrics();
  const policy = opts.webhookPolicy ?? DEFAULT_WEBHOOK_POLICY;
  let outboxRunning: Promise<unknown> | undefined;
  let closing = false;
  const flushWebhooks = async (): Promise<number> => {
    while (outboxRunning) await outboxRunning.catch(() => {});
    const run = runOutboxOnce(storage.db, now, policy, metrics);
    outboxRunning = run;
    try {
      return await run;
    } finally {
      outboxRunning = undefined;
    }
  };
  const wake = () => {
    if (!closing && !outboxRunning) flushWebhooks().catch((err) => onError('webhooks', err));
  };
  let platformKey;
  const directory = new DirectoryCache(storage.db);
  try {
    platformKey = await ensurePlatformKey(storage.db, now());
    await directory.start();
  } catch (err) {
    await directory.stop().catch(() => {});
    await storage.close().catch(() => {});
    throw err;
  }
  const context: PlatformContext = {
    platformKey,
    db: storage.db,
    catalogue: opts.catalogue ?? loadCatalogue(),
    validate: opts.validate ?? defaultValidator(),
    now,
    onDelivered: wake,
    directory,
  };
  const app = buildApp(context, { bodyLimit: opts.bodyLimit, metrics, storageKind: storage.db.kind, log: opts.log, staticFiles: opts.staticFiles });
  const remindOverdue = async (at?: Date) => {
    const ids = await sendOverdueReminders(context, at ?? now());
    if (ids.length) metrics.generated.inc({ kind: 'reminder' }, ids.length);
    return ids;
  };
  const timers: NodeJS.Timeout[] = [];
  try {
    await app.listen({ port: opts.port ?? DEFAULT_PORT, host: opts.host ?? '127.0.0.1' });
  } catch (err) {
    await directory.stop().catch(() => {});
    await storage.close().catch(() => {});
    throw err;
  }
  const reminderEvery = opts.reminderIntervalMs ?? 300_000;
  if (reminderEvery > 0) timers.push(setInterval(() => void remindOverdue().catch((err) => onError('reminders', err)), reminderEvery).unref());
  const outboxEvery = opts.outboxIntervalMs ?? 1_000;
  if (outboxEvery > 0) timers.push(setInterval(wake, outboxEvery).unref());
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? DEFAULT_PORT);
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    db: storage.db,
    context,
    remindOverdue,
    flushWebhooks,
    async close(drainMs = 10_000) {
      closing = true;
      for (const t of timers) clearInterval(t);
      // every step runs whatever an earlier one did: a failed HTTP close must not leave the
      // directory's LISTEN connection open (it alone keeps the process alive)
      const failures: unknown[] = [];
      let forcedConnections = 0;
      const closeHttp = async () => {
        const closed = app.close();
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([closed.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), drainMs)))]);
        clearTimeout(timer);
        if (!drained) {
          // a request that never completes (a client that sent half a body and waits) holds its connection
          forcedConnections = await new Promise<number>((r) => app.server.getConnections((_err, n) => r(n ?? 0)));
          app.server.closeAllConnections();
          await closed;
        }
      };
      for (const step of [closeHttp, async () => { while (outboxRunning) await outboxRunning.catch(() => {}); }, () => directory.stop(), () => storage.close()]) {
        await Promise.resolve().then(step).catch((err: unknown) => failures.push(err));
      }
      if (failures.length) throw failures[0];
      return { forcedConnections };
    },
  };
}
