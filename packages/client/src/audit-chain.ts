/**
 * The platform's audit trail as a hash chain (docs/platform.md, "Audit"). Each entry has
 * its text (the JSON the platform hashed: index, at, actor, action, object, caseId,
 * detail), the previous entry's hash and its own:
 *
 *   hash = SHA-256 hex( prevHash + "\n" + text ),   the first prevHash = 64 zeros
 *
 * `checkChain` recomputes every hash, checks each entry's fields against its text and each
 * entry's prevHash against the hash before it, and names the first entry that does not fit.
 * A verifier holding only some entries (one case's) checks each entry and the links between
 * consecutive indexes.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

export const GENESIS_HASH = '0'.repeat(64);

/** One audit entry as the platform serves it (GET /v1/audit) and a case bundle carries it. */
export interface AuditEntry {
  index: string;
  at: string;
  actor: string;
  action: string;
  object: string;
  caseId: string | null;
  detail: Record<string, unknown>;
  /** The exact text that was hashed. */
  entry: string;
  prevHash: string;
  hash: string;
}

export function auditHash(prevHash: string, entryText: string): string {
  return createHash('sha256').update(`${prevHash}\n${entryText}`, 'utf8').digest('hex');
}

export type ChainCheck = { ok: true; entries: number; head: string | null } | { ok: false; index: string; reason: string };

/**
 * Checks entries in index order. `complete`: the entries are the whole chain from its start
 * (index 1, genesis previous hash, no gaps) — or from just after the already checked entry
 * `after`; otherwise gaps are allowed and only the links between consecutive indexes are checked.
 */
export function checkChain(entries: readonly AuditEntry[], opts: { complete?: boolean; after?: AuditEntry } = {}): ChainCheck {
  let prev: AuditEntry | undefined = opts.after;
  for (const e of entries) {
    const fail = (reason: string): ChainCheck => ({ ok: false, index: e.index, reason: `audit entry #${e.index} (${e.action} ${e.object}): ${reason}` });
    let text: Record<string, unknown>;
    try {
      text = JSON.parse(e.entry);
    } catch {
      return fail('its text is not JSON');
    }
    const fields = { index: Number(e.index), at: e.at, actor: e.actor, action: e.action, object: e.object, caseId: e.caseId, detail: e.detail };
    for (const [name, value] of Object.entries(fields)) {
      if (!isDeepStrictEqual(text[name], value)) return fail(`its ${name} ${JSON.stringify(value)} is not the one that was hashed (${JSON.stringify(text[name])})`);
    }
    if (auditHash(e.prevHash, e.entry) !== e.hash) return fail('its hash does not match its content (changed after it was written)');
    if (opts.complete) {
      const expectedIndex = prev ? BigInt(prev.index) + 1n : 1n;
      if (BigInt(e.index) !== expectedIndex) return fail(`expected entry #${expectedIndex} here (an entry is missing)`);
      if (e.prevHash !== (prev ? prev.hash : GENESIS_HASH)) return fail(`its previous hash is not the hash of entry #${prev?.index ?? 'genesis'}`);
    } else if (prev && BigInt(e.index) === BigInt(prev.index) + 1n && e.prevHash !== prev.hash) {
      return fail(`its previous hash is not the hash of entry #${prev.index}`);
    }
    if (prev && BigInt(e.index) <= BigInt(prev.index)) return fail(`out of order after entry #${prev.index}`);
    prev = e;
  }
  return { ok: true, entries: entries.length, head: prev?.hash ?? null };
}
