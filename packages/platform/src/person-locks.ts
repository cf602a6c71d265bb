/**
 * The per-person advisory locks of the accepting transaction (duplicate detection: one person
 * and scheme; benefit periods: one person), taken together in one statement, in sorted order,
 * after the store took the audit chain head (the lock order every writer keeps: audit head
 * first). One round trip instead of one per lock: the audit head is held meanwhile, so every
 * round trip inside the transaction is time every other writer waits.
 */
import type { Queryable } from './db.ts';

export async function lockPeople(q: Queryable, keys: string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (!sorted.length) return;
  // the target list is evaluated left to right: the locks are taken in sorted order
  await q.query(`SELECT ${sorted.map((_, i) => `pg_advisory_xact_lock(hashtextextended($${i + 1}, 0))`).join(', ')}`, sorted);
}
