/**
 * A case as evidence (GET /v1/cases/{caseId}/bundle, `jiexu case export`): every message as
 * stored with its signature and digest, the receipts, the directory keys of every
 * institution that signed, and the case's audit entries with the chain head — all a
 * regional auditor needs to check the case with `jiexu verify`, without the platform.
 */
import type { AuditEntry, DirectoryKey, SignedReceipt } from '@jiexu/client';
import { caseAudit } from './audit.ts';
import type { Queryable } from './db.ts';
import { PLATFORM_ID } from './messages.ts';
import { platformKeys } from './platform-key.ts';
import { caseReceipts } from './receipts.ts';

export interface CaseBundle {
  format: 'jiexu-case-bundle/1';
  caseId: string;
  exportedAt: string;
  messages: Array<{ envelope: Record<string, unknown>; signature: string | null; digest: string | null; receivedAt: string }>;
  receipts: Array<SignedReceipt & { storedAt: string }>;
  keys: Record<string, DirectoryKey[]>;
  audit: AuditEntry[];
  head: { index: string; hash: string };
}

/** The bundle of `caseId`, read in one transaction (one consistent snapshot on PostgreSQL: REPEATABLE READ). */
export async function caseBundle(q: Queryable, caseId: string, now: Date): Promise<CaseBundle | undefined> {
  const [c] = await q.query(`SELECT case_id FROM cases WHERE case_id = $1`, [caseId]);
  if (!c) return undefined;
  const messages = await q.query(`SELECT envelope, signature, digest, received_at FROM messages WHERE case_id = $1 ORDER BY seq`, [caseId]);
  const receipts = await caseReceipts(q, caseId);
  const audit = await caseAudit(q, caseId);
  const [head] = await q.query<{ index: string; hash: string }>(`SELECT last_index::text AS index, last_hash AS hash FROM audit_chain_head`);
  const signers = [...new Set([...messages.filter((m) => m.signature).map((m) => m.envelope.sender as string), ...receipts.map((r) => r.receipt.receiver)])].sort();
  const keyRows = await q.query(
    `SELECT institution_id, kid, public_key, to_char(not_before AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS not_before,
            to_char(not_after AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS not_after
       FROM institution_keys WHERE institution_id = ANY($1::text[]) ORDER BY institution_id, not_before NULLS FIRST, added_at, kid`,
    [signers],
  );
  const keys: Record<string, DirectoryKey[]> = {};
  for (const k of keyRows) (keys[k.institution_id] ??= []).push({ kid: k.kid, publicKey: k.public_key, notBefore: k.not_before, notAfter: k.not_after });
  // messages the platform generated are signed with its own key
  if (signers.includes(PLATFORM_ID)) keys[PLATFORM_ID] = await platformKeys(q);
  return {
    format: 'jiexu-case-bundle/1',
    caseId,
    exportedAt: now.toISOString(),
    messages: messages.map((m) => ({ envelope: m.envelope, signature: m.signature, digest: m.digest, receivedAt: (m.received_at as Date).toISOString() })),
    receipts,
    keys,
    audit,
    head,
  };
}
