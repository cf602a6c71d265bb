/**
 * A server under load, in its own process (so the load generator does not share its event
 * loop): started by load.bench.ts over IPC. Either the platform or the least-work server
 * (least-work-server.ts). Receives the storage settings and the institutions to register,
 * answers with the URL, tells its CPU time on request, closes on request. Only ever listens
 * on 127.0.0.1.
 */
import { addInstitution, startPlatform } from '../src/index.ts';
import { startLeastWork } from './least-work-server.ts';

interface Start {
  kind: 'start';
  server: 'platform' | 'least-work';
  databaseUrl?: string;
  schema?: string;
  dataDir?: string;
  institutions: Array<{ id: string; region: string; publicKeyPem: string }>;
}

let running: { close(): Promise<unknown> } | undefined;

process.on('message', async (msg: Start | { kind: 'close' } | { kind: 'cpu' }) => {
  try {
    if (msg.kind === 'cpu') {
      // this process's CPU time so far (user + system, µs): the bench takes it before and after a run
      const { user, system } = process.cpuUsage();
      process.send!({ kind: 'cpu', micros: user + system });
      return;
    }
    if (msg.kind === 'start' && msg.server === 'least-work') {
      const lw = await startLeastWork({ databaseUrl: msg.databaseUrl, schema: msg.schema, dataDir: msg.dataDir, institutions: msg.institutions });
      running = lw;
      process.send!({ kind: 'started', url: lw.url, storage: msg.databaseUrl ? 'postgres' : 'pglite' });
    } else if (msg.kind === 'start') {
      const platform = await startPlatform({
        port: 0,
        host: '127.0.0.1',
        databaseUrl: msg.databaseUrl,
        schema: msg.schema,
        dataDir: msg.dataDir,
        log: () => {},
        reminderIntervalMs: 0,
        outboxIntervalMs: 0,
      });
      running = platform;
      for (const i of msg.institutions) await addInstitution(platform.db, { id: i.id, region: i.region, schemes: ['110'], publicKeys: [i.publicKeyPem] });
      process.send!({ kind: 'started', url: platform.url, storage: platform.db.kind });
    } else {
      await running?.close();
      process.send!({ kind: 'closed' }, () => process.exit(0));
    }
  } catch (err) {
    process.send!({ kind: 'error', message: (err as Error).message }, () => process.exit(1));
  }
});
