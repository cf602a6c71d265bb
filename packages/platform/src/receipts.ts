/**
 * Signed receipts: with an inbox acknowledgement the receiver sends, for messages it
 * acknowledges, a receipt signed with its own key over each message's digest. The platform
 * checks each one (the receiver's key valid at the signing time, the message in the
 * receiver's inbox up to the acknowledged cursor, the digest equal to the one stored at
 * acceptance), keeps it with an audit entry, and gives it to the parties of the case.
 */
import { verifyReceipt, type DirectoryKey, type Receipt, type SignedReceipt } from '@jiexu/client';
import type { Queryable } from './db.ts';

/** A receipt the platform refuses (answer 422 invalid-receipt). */
export class ReceiptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiptError';
  }
}

export interface StoredReceipt extends SignedReceipt {
  storedAt: string;
}

function isReceipt(x: unknown): x is SignedReceipt {
  const r = (x as SignedReceipt | null)?.receipt;
  return (
    !!r &&
    typeof (x as SignedReceipt).signature === 'string' &&
    r.type === 'jiexu.receipt' &&
    typeof r.receiver === 'string' &&
    typeof r.caseId === 'string' &&
    typeof r.acknowledgedAt === 'string' &&
    !!r.message &&
    typeof r.message.source === 'string' &&
    typeof r.message.id === 'string' &&
    typeof r.message.digest === 'string'
  );
}

/**
 * Checks and stores `receipts` from `receiver` for messages in its inbox up to cursor
 * `upTo`; a receipt already stored for the same message is kept (the first one counts).
 */
export async function storeReceipts(q: Queryable, receiver: string, keys: readonly DirectoryKey[], upTo: string, receipts: unknown[], now: Date): Promise<Receipt[]> {
  const stored: Receipt[] = [];
  for (const [i, signed] of receipts.entries()) {
    if (!isReceipt(signed)) throw new ReceiptError(`receipts[${i}] is not {receipt: {type: "jiexu.receipt", receiver, caseId, message: {source, id, digest}, acknowledgedAt}, signature}`);
    const r = signed.receipt;
    const where = `receipts[${i}] (message ${r.message.source}#${r.message.id})`;
    if (r.receiver !== receiver) throw new ReceiptError(`${where}: receiver ${r.receiver} is not the authenticated institution ${receiver}`);
    const check = await verifyReceipt(signed, keys);
    if (!check.valid) throw new ReceiptError(`${where}: the receipt's signature does not verify: ${check.reason}`);
    const [msg] = await q.query(
      `SELECT m.seq::text AS seq, m.digest, m.case_id FROM messages m JOIN inbox i ON i.message_seq = m.seq AND i.institution_id = $3
        WHERE m.source = $1 AND m.id = $2 AND i.cursor <= $4::bigint`,
      [r.message.source, r.message.id, receiver, upTo],
    );
    if (!msg) throw new ReceiptError(`${where}: no such message in ${receiver}'s inbox up to cursor ${upTo}`);
    if (msg.digest !== null && msg.digest !== r.message.digest) throw new ReceiptError(`${where}: digest ${r.message.digest} is not the digest of the message as accepted (${msg.digest})`);
    if (msg.case_id !== r.caseId) throw new ReceiptError(`${where}: caseId ${r.caseId} is not the message's case ${msg.case_id}`);
    const rows = await q.query(
      `INSERT INTO receipts (message_seq, receiver, case_id, receipt, signature, stored_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (message_seq, receiver) DO NOTHING RETURNING receiver`,
      [msg.seq, receiver, msg.case_id, r, signed.signature, now],
    );
    if (!rows.length) continue;
    await q.query(`INSERT INTO audit_log (at, actor, action, object, detail, case_id) VALUES ($1, $2, 'receipt.accept', $3, $4, $5)`, [
      now,
      receiver,
      `${r.message.source}#${r.message.id}`,
      { digest: r.message.digest, acknowledgedAt: r.acknowledgedAt, signedAt: check.signedAt },
      msg.case_id,
    ]);
    stored.push(r);
  }
  return stored;
}

/** Every receipt of the case's messages, in message order. */
export async function caseReceipts(q: Queryable, caseId: string): Promise<StoredReceipt[]> {
  const rows = await q.query(`SELECT receipt, signature, stored_at FROM receipts WHERE case_id = $1 ORDER BY message_seq, receiver`, [caseId]);
  return rows.map((r) => ({ receipt: r.receipt, signature: r.signature, storedAt: (r.stored_at as Date).toISOString() }));
}
