/**
 * Reading and checking the audit trail's hash chain (migration 009; the hashing rule is
 * `auditHash` of @jiexu/client). An institution reads the entries of the cases it is party
 * to and those about itself (GET /v1/audit); the operator reads all and checks the chain
 * (`jiexu platform audit --check`).
 */
import { checkChain, GENESIS_HASH, type AuditEntry, type ChainCheck } from '@jiexu/client';
import type { Queryable } from './db.ts';

const COLUMNS = `chain_index::text AS index, at, actor, action, object, case_id, detail, entry, prev_hash, hash`;

function toEntry(r: Record<string, any>): AuditEntry {
  return {
    index: r.index,
    at: (r.at as Date).toISOString(),
    actor: r.actor,
    action: r.action,
    object: r.object,
    caseId: r.case_id,
    detail: r.detail,
    entry: r.entry,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * Locks the audit chain's head for the rest of the transaction. Every writer that appends to the
 * chain holds this lock before any other row lock it takes (jiexu_store_message takes it first),
 * so a transaction that locks another row and then writes a message or an audit entry must call
 * this first: taken the other way round, two writers wait on each other and PostgreSQL aborts one.
 */
export async function lockAuditChainHead(q: Queryable): Promise<void> {
  await q.query(`SELECT 1 FROM audit_chain_head WHERE id FOR UPDATE`);
}

export interface AuditQuery {
  /** Only the entries this institution may read (its cases, and entries about itself); undefined = the operator, all. */
  institution?: string;
  caseId?: string;
  /** Entries after this chain index. */
  after?: string;
  limit?: number;
}

export async function readAudit(q: Queryable, query: AuditQuery): Promise<{ entries: AuditEntry[]; next: string | null; head: { index: string; hash: string } }> {
  const limit = query.limit ?? 100;
  const rows = await q.query(
    `SELECT ${COLUMNS} FROM audit_log a
      WHERE a.chain_index > $1::bigint
        AND ($2::text IS NULL OR a.case_id = $2)
        AND ($3::text IS NULL OR a.actor = $3 OR a.object = $3
             OR a.case_id IN (SELECT c.case_id FROM cases c WHERE c.roles ? $3))
      ORDER BY a.chain_index LIMIT $4`,
    [query.after ?? '0', query.caseId ?? null, query.institution ?? null, limit],
  );
  const [head] = await q.query<{ index: string; hash: string }>(`SELECT last_index::text AS index, last_hash AS hash FROM audit_chain_head`);
  const entries = rows.map(toEntry);
  return { entries, next: entries.length === limit ? entries[entries.length - 1].index : null, head };
}

/** Every entry of a case, in chain order (for a case bundle). */
export async function caseAudit(q: Queryable, caseId: string): Promise<AuditEntry[]> {
  return (await q.query(`SELECT ${COLUMNS} FROM audit_log WHERE case_id = $1 ORDER BY chain_index`, [caseId])).map(toEntry);
}

/**
 * Recomputes the whole chain from its first entry and names the first entry that does not
 * fit; the chain head must be the last entry (nothing cut off the end).
 */
export async function checkAuditChain(q: Queryable, batch = 5000): Promise<ChainCheck> {
  let after = '0';
  let prev: AuditEntry | undefined;
  let count = 0;
  for (;;) {
    const rows = (await q.query(`SELECT ${COLUMNS} FROM audit_log WHERE chain_index > $1::bigint ORDER BY chain_index LIMIT $2`, [after, batch])).map(toEntry);
    if (!rows.length) break;
    // each batch is checked with the last entry of the one before, so the links between batches count too
    const check = checkChain(rows, { complete: true, after: prev });
    if (!check.ok) return check;
    count += rows.length;
    prev = rows[rows.length - 1];
    after = prev.index;
  }
  const [head] = await q.query(`SELECT last_index::text AS index, last_hash AS hash FROM audit_chain_head`);
  const lastHash = prev?.hash ?? GENESIS_HASH;
  if (head.index !== (prev?.index ?? '0') || head.hash !== lastHash) {
    return { ok: false, index: prev?.index ?? '0', reason: `the chain head (#${head.index} ${head.hash.slice(0, 12)}…) is not the last entry (#${prev?.index ?? 0}): entries were removed from the end` };
  }
  return { ok: true, entries: count, head: prev?.hash ?? null };
}
