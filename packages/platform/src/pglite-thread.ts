/**
 * PGlite in a worker thread: the database's work (PostgreSQL compiled to WebAssembly) runs
 * beside the event loop that serves requests instead of on it, so HTTP, JSON, validation and
 * signatures use one core while PGlite uses the other. The same Db interface as in-process
 * PGlite (db.ts): statements, interactive transactions, scripts, LISTEN; values cross the
 * thread by structured clone (Date, arrays, objects as PGlite gives them), errors keep their
 * SQLSTATE `code`. The worker's code is a CommonJS script evaluated in the thread that loads
 * PGlite's CommonJS build, so it runs the same from the TypeScript sources and from dist/.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db, Queryable, Row } from './db.ts';

const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const err = (e) => ({ message: String(e && e.message || e), code: e && e.code, detail: e && e.detail, name: e && e.name });
(async () => {
  let lite;
  try {
    lite = await PGlite.create(workerData.dataDir);
  } catch (e) {
    parentPort.postMessage({ kind: 'opened', error: err(e) });
    return;
  }
  parentPort.postMessage({ kind: 'opened' });
  const txs = new Map();
  let nextTx = 1;
  const ok = (id, value) => parentPort.postMessage({ kind: 'reply', id, value });
  const fail = (id, e) => parentPort.postMessage({ kind: 'reply', id, error: err(e) });
  parentPort.on('message', async (m) => {
    try {
      if (m.kind === 'query') {
        const target = m.tx ? txs.get(m.tx).t : lite;
        ok(m.id, (await target.query(m.sql, m.params)).rows);
      } else if (m.kind === 'exec') {
        await lite.exec(m.sql);
        ok(m.id);
      } else if (m.kind === 'begin') {
        const txId = nextTx++;
        const done = lite.transaction((t) => new Promise((resolve, reject) => {
          txs.set(txId, { t, resolve, reject });
          ok(m.id, txId);
        }));
        done.catch(() => {});
        txs.set(-txId, done);
      } else if (m.kind === 'end') {
        const tx = txs.get(m.tx);
        const done = txs.get(-m.tx);
        txs.delete(m.tx);
        txs.delete(-m.tx);
        if (m.commit) tx.resolve();
        else tx.reject(Object.assign(new Error('rolled back'), { rollback: true }));
        try {
          await done;
          ok(m.id);
        } catch (e) {
          if (e && e.rollback) ok(m.id);
          else fail(m.id, e);
        }
      } else if (m.kind === 'listen') {
        await lite.listen(m.channel, (payload) => parentPort.postMessage({ kind: 'notify', channel: m.channel, payload }));
        ok(m.id);
      } else if (m.kind === 'close') {
        if (!lite.closed) await lite.close();
        ok(m.id);
      }
    } catch (e) {
      fail(m.id, e);
    }
  });
})();
`;

type Pending = { resolve: (v: any) => void; reject: (e: Error) => void };

function toError(e: { message: string; code?: string; detail?: string; name?: string }): Error {
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {}, e.detail ? { detail: e.detail } : {});
}

/** PGlite in `dataDir` (undefined: in memory), run in a worker thread. */
export async function openPgliteThread(dataDir?: string): Promise<Db> {
  const pglitePath = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const worker = new Worker(WORKER, { eval: true, workerData: { pglitePath, dataDir } });
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let closed = false;
  let failure: Error | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    worker.once('message', (m) => (m.kind === 'opened' && m.error ? reject(toError(m.error)) : resolve()));
    worker.once('error', reject);
  });
  worker.on('message', (m) => {
    if (m.kind === 'reply') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(toError(m.error));
      else p?.resolve(m.value);
    } else if (m.kind === 'notify') for (const fn of listeners.get(m.channel) ?? []) fn(m.payload);
  });
  const down = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('error', down);
  worker.on('exit', (code) => down(new Error(`the PGlite thread exited (${code})`)));
  await opened;
  const call = <T>(msg: Record<string, unknown>): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id });
    });
  };
  const queryIn = (tx: number | undefined) => <T extends Row = Row>(sql: string, params?: unknown[]) => call<T[]>({ kind: 'query', sql, params, tx });
  const db: Db = {
    kind: 'pglite',
    query: queryIn(undefined),
    async tx(fn) {
      const tx = await call<number>({ kind: 'begin' });
      const q: Queryable = { query: queryIn(tx) };
      let result;
      try {
        result = await fn(q);
      } catch (err) {
        await call({ kind: 'end', tx, commit: false }).catch(() => {});
        throw err;
      }
      await call({ kind: 'end', tx, commit: true });
      return result;
    },
    async exec(sql) {
      await call({ kind: 'exec', sql });
    },
    async listen(channel, onNotify) {
      let set = listeners.get(channel);
      if (!set) {
        listeners.set(channel, (set = new Set()));
        await call({ kind: 'listen', channel });
      }
      set.add(onNotify);
      let live = true;
      return {
        live: () => live && !closed && !failure,
        async stop() {
          live = false;
          set!.delete(onNotify);
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!failure) await call({ kind: 'close' }).catch(() => {});
      await worker.terminate();
    },
  };
  return db;
}
