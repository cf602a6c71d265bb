/**
 * Upgrading a platform that ran before evidence (migrations up to 006): its institutions'
 * keys enter the key history with the thumbprint the client computes, and the audit entries
 * already written join the hash chain in their order, which then checks.
 */
import { describe, expect, it } from 'vitest';
import { keyId } from '@jiexu/client';
import { checkAuditChain } from './audit.ts';
import { migrate, openPglite } from './db.ts';
import { generateKeyPair } from './directory.ts';

describe('upgrading to signed envelopes and the audit chain (pglite)', () => {
  it('backfills the key history and chains the existing audit entries', async () => {
    const db = await openPglite();
    try {
      await migrate(db, { upTo: '006' });
      const { publicKeyPem } = generateKeyPair();
      const at = new Date('2026-01-05T02:00:00Z');
      await db.query(`INSERT INTO institutions (id, name, region, schemes, public_keys, status, created_at, updated_at) VALUES ('360100-si', 'x', '360100', '{110}', $1, 'active', $2, $2)`, [[publicKeyPem], at]);
      for (const action of ['institution.add', 'institution.add-key', 'webhook.set']) {
        await db.query(`INSERT INTO audit_log (at, actor, action, object, detail) VALUES ($1, 'operator', $2, '360100-si', '{"n": 1}')`, [at, action]);
      }
      const applied = await migrate(db);
      expect(applied[0]).toBe('007_signed_envelopes.sql');
      const [key] = await db.query(`SELECT kid, not_before, not_after FROM institution_keys WHERE institution_id = '360100-si'`);
      expect(key).toEqual({ kid: await keyId(publicKeyPem), not_before: null, not_after: null });
      expect(await checkAuditChain(db)).toMatchObject({ ok: true, entries: 3 });
      // new entries continue the chain
      await db.query(`INSERT INTO audit_log (at, actor, action, object) VALUES ($1, 'operator', 'institution.disable', '360100-si')`, [at]);
      const rows = await db.query(`SELECT chain_index::text AS i, action FROM audit_log ORDER BY chain_index`);
      expect(rows.map((r) => `${r.i} ${r.action}`)).toEqual(['1 institution.add', '2 institution.add-key', '3 webhook.set', '4 institution.disable']);
      expect(await checkAuditChain(db)).toMatchObject({ ok: true, entries: 4 });
    } finally {
      await db.close();
    }
  });
});
