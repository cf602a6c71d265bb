/**
 * What authenticates a request, cached: an institution's status, current keys and key
 * history, region and the version of the standard it reads — read once, not on every
 * request. Bounded (least recently used entries go first) and invalidated on every change
 * of the directory by any process sharing the database: the tables' triggers NOTIFY
 * `jiexu_directory` with the institution's id at commit (migration 001_baseline), and the
 * entry is dropped when the notification arrives. While the listening connection is down
 * nothing cached is trusted (every lookup reads the database), and everything is dropped when
 * it comes back. A lookup that raced a change (a notification arrived while it read) is not
 * cached. Changes made in this process through directory.ts drop the entry at once as well.
 */
import type { Db } from './db.ts';
import { getInstitution, onDirectoryChange, type Institution } from './directory.ts';

export const DIRECTORY_CHANNEL = 'jiexu_directory';

export interface DirectoryCacheOptions {
  /** Most institutions kept (default 10,000; the national directory has a few thousand). */
  max?: number;
  /** An entry older than this is read again even without a notification (default 60 s): a backstop only. */
  maxAgeMs?: number;
}

interface Entry {
  value: Institution | undefined;
  at: number;
}

export class DirectoryCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a read that started before one is not cached. */
  private generation = 0;
  private listener: { live(): boolean; stop(): Promise<void> } | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly max: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly db: Db,
    opts: DirectoryCacheOptions = {},
  ) {
    this.max = opts.max ?? 10_000;
    this.maxAgeMs = opts.maxAgeMs ?? 60_000;
  }

  /** Starts listening for directory changes; until then (or if it fails) nothing is cached. */
  async start(): Promise<void> {
    this.unsubscribe = onDirectoryChange((id) => this.forget(id));
    this.listener = await this.db.listen(DIRECTORY_CHANNEL, (id) => this.forget(id), () => this.clear());
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    const listener = this.listener;
    this.listener = undefined;
    this.clear();
    await listener?.stop();
  }

  /** The institution (undefined: no such institution), from the cache when it can be trusted. */
  async get(id: string): Promise<Institution | undefined> {
    const now = Date.now();
    const trusted = this.listener?.live() ?? false;
    const hit = this.entries.get(id);
    if (hit && trusted && now - hit.at < this.maxAgeMs) {
      // most recently used last
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit.value;
    }
    const generation = this.generation;
    const value = await getInstitution(this.db, id);
    if (trusted && generation === this.generation && this.listener?.live()) {
      this.entries.delete(id);
      this.entries.set(id, { value, at: now });
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }

  /** The version of the standard each of `ids` reads; undefined when one of them is not in the directory. */
  async versionsOf(ids: readonly string[]): Promise<Record<string, string> | undefined> {
    const out: Record<string, string> = {};
    for (const id of ids) {
      const inst = await this.get(id);
      if (!inst) return undefined;
      out[id] = inst.standardVersion;
    }
    return out;
  }

  forget(id: string): void {
    this.generation++;
    this.entries.delete(id);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
