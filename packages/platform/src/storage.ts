/**
 * Opens the platform's storage: PostgreSQL when a database URL is given, else PGlite in a
 * data directory. The PGlite data directory is guarded:
 *
 *  - `LOCK` holds the pid of the process using it (PGlite is single-process; a second
 *    `jiexu serve` or `jiexu platform …` on the same directory is refused while the first lives);
 *  - on clean shutdown `CLEAN.json` records the SHA-256 of every database file; on start
 *    the files must match it, so a truncated or altered file is caught before PGlite reads it;
 *  - after an unclean stop (no `CLEAN.json`) PGlite's own recovery runs, and a failure to
 *    open or to answer is reported as a damaged data directory.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { migrate, openPglite, openPostgres, PreReleaseSchemaError, type Db } from './db.ts';

export const DEFAULT_DATA_DIR = '.jiexu/platform-data';

/** A storage problem the operator must fix; the CLI exits with code 2. */
export class StorageError extends Error {
  /** `message` is English; `zh` the same in Chinese, for programs that speak Chinese (the CLI). */
  constructor(
    message: string,
    readonly zh?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export interface StorageOptions {
  /** PostgreSQL connection string; when set, dataDir is ignored. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests). */
  schema?: string;
  /** PGlite data directory (default .jiexu/platform-data). */
  dataDir?: string;
  /** PGlite in memory (tests). */
  memory?: boolean;
}

export interface Storage {
  db: Db;
  /** Human-readable location, for logs. */
  describe: string;
  close(): Promise<void>;
}

export async function openStorage(opts: StorageOptions = {}): Promise<Storage> {
  if (opts.databaseUrl) {
    let db: Db;
    try {
      db = await openPostgres({ connectionString: opts.databaseUrl, schema: opts.schema });
    } catch (err) {
      throw new StorageError(`cannot connect to PostgreSQL (${redactUrl(opts.databaseUrl)}): ${(err as Error).message}`, `无法连接 PostgreSQL（${redactUrl(opts.databaseUrl)}）：${(err as Error).message}`);
    }
    try {
      await migrate(db);
    } catch (err) {
      await db.close().catch(() => {});
      if (err instanceof PreReleaseSchemaError) throw preRelease(err, redactUrl(opts.databaseUrl));
      throw err;
    }
    return { db, describe: `postgres ${redactUrl(opts.databaseUrl)}${opts.schema ? ` schema ${opts.schema}` : ''}`, close: () => db.close() };
  }
  if (opts.memory) {
    const db = await openPglite();
    await migrate(db);
    return { db, describe: 'pglite (memory)', close: () => db.close() };
  }
  return openGuardedPglite(opts.dataDir ?? DEFAULT_DATA_DIR);
}

function preRelease(err: PreReleaseSchemaError, where: string): StorageError {
  return new StorageError(
    `${where}: ${err.message}`,
    `${where}：该数据库由发布前的表结构创建（执行过 ${err.version}；首个发布前，迁移 001–010 已合并为 001_baseline.sql），请重新创建数据库`,
  );
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function openGuardedPglite(dataDir: string): Promise<Storage> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'LOCK');
  const cleanPath = join(dataDir, 'CLEAN.json');
  const pgdata = join(dataDir, 'pgdata');
  await acquireLock(lockPath, dataDir);
  let db: Db | undefined;
  try {
    const existed = await exists(pgdata);
    if (existed) {
      const manifest = await readManifest(cleanPath);
      if (manifest) {
        const problem = await verifyManifest(pgdata, manifest);
        if (problem) throw new StorageError(`data directory ${dataDir} is damaged: ${problem} since the last clean shutdown; refusing to start (restore it from a backup)`, `数据目录 ${dataDir} 已损坏：自上次正常关闭以来 ${problem}；拒绝启动（请从备份恢复）`);
      }
    }
    // from here on the files change: the manifest no longer describes them (removed before
    // opening, so a crash during start-up is treated as an unclean stop, not as damage)
    await rm(cleanPath, { force: true });
    try {
      db = await openPglite(pgdata);
      await db.query('SELECT 1');
      await migrate(db);
      if (existed) await db.query('SELECT count(*) FROM messages');
    } catch (err) {
      if (err instanceof PreReleaseSchemaError) throw preRelease(err, dataDir);
      throw new StorageError(`data directory ${dataDir} is damaged: the database cannot be opened (${(err as Error).message}); refusing to start (restore it from a backup)`, `数据目录 ${dataDir} 已损坏：无法打开数据库（${(err as Error).message}）；拒绝启动（请从备份恢复）`);
    }
  } catch (err) {
    await db?.close().catch(() => {});
    await rm(lockPath, { force: true });
    throw err;
  }
  const opened = db;
  return {
    db: opened,
    describe: `pglite ${dataDir}`,
    async close() {
      await opened.close();
      const manifest = await buildManifest(pgdata);
      const tmp = `${cleanPath}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(manifest));
      await rename(tmp, cleanPath);
      await rm(lockPath, { force: true });
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function acquireLock(lockPath: string, dataDir: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StorageError(`cannot lock data directory ${dataDir}: ${(err as Error).message}`, `无法锁定数据目录 ${dataDir}：${(err as Error).message}`);
      const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new StorageError(
      `data directory ${dataDir} is in use by process ${pid} (is \`jiexu serve\` running? stop it, or use DATABASE_URL for a shared PostgreSQL)`,
      `数据目录 ${dataDir} 正被进程 ${pid} 使用（\`jiexu serve\` 是否在运行？请先停止它，或用 DATABASE_URL 改用共享的 PostgreSQL）`,
    );
      }
      if (pid === process.pid) throw new StorageError(`data directory ${dataDir} is already open in this process`, `数据目录 ${dataDir} 已在本进程中打开`);
      await rm(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new StorageError(`cannot lock data directory ${dataDir}`, `无法锁定数据目录 ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Manifest = { version: 1; files: Record<string, { size: number; sha256: string }> };

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

async function buildManifest(pgdata: string): Promise<Manifest> {
  const files: Manifest['files'] = {};
  for (const file of await listFiles(pgdata)) {
    const bytes = await readFile(file);
    files[relative(pgdata, file)] = { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return { version: 1, files };
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as Manifest;
    if (m.version !== 1 || typeof m.files !== 'object') throw new Error('unknown format');
    return m;
  } catch (err) {
    throw new StorageError(`${path} is unreadable (${(err as Error).message}); the data directory cannot be checked, refusing to start`, `无法读取 ${path}（${(err as Error).message}）；无法检查数据目录，拒绝启动`);
  }
}

/** The first difference between the files and the manifest, in words, or undefined. */
async function verifyManifest(pgdata: string, manifest: Manifest): Promise<string | undefined> {
  for (const [name, want] of Object.entries(manifest.files)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(pgdata, name));
    } catch {
      return `file pgdata/${name} is missing`;
    }
    if (bytes.length !== want.size) return `file pgdata/${name} changed size (${want.size} → ${bytes.length} bytes)`;
    if (createHash('sha256').update(bytes).digest('hex') !== want.sha256) return `file pgdata/${name} changed content`;
  }
  return undefined;
}
