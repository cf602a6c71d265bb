/**
 * The baseline schema (migrations/001_baseline.sql). Before the first release the
 * pre-release migrations 001–010 were squashed into it, so no database at an older version
 * exists to upgrade (the test of the upgrade from 006 was retired with them): what is tested
 * is that a fresh database gets the whole schema in one step with an empty audit chain that
 * checks, that the directory triggers announce changes, and that a development database
 * created by the retired files is refused with a clear message instead of half-migrated.
 */
import { describe, expect, it } from 'vitest';
import { checkAuditChain } from './audit.ts';
import { migrate, openPglite, PreReleaseSchemaError } from './db.ts';
import { addInstitution, generateKeyPair } from './directory.ts';

describe('the baseline schema (pglite)', () => {
  it('creates the schema in one step; the audit chain starts empty and checks', async () => {
    const db = await openPglite();
    try {
      expect((await migrate(db))[0]).toBe('001_baseline.sql');
      expect(await migrate(db)).toEqual([]);
      expect(await checkAuditChain(db)).toMatchObject({ ok: true, entries: 0 });
      const heard: string[] = [];
      const listening = await db.listen('jiexu_directory', (id) => heard.push(id), () => {});
      await addInstitution(db, { id: '360100-si', region: '360100', schemes: ['110'], publicKeys: [generateKeyPair().publicKeyPem] });
      for (let i = 0; i < 50 && !heard.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toContain('360100-si');
      await listening.stop();
      expect(await checkAuditChain(db)).toMatchObject({ ok: true, entries: 1 });
    } finally {
      await db.close();
    }
  });

  it('refuses a database created by the retired pre-release migrations', async () => {
    const db = await openPglite();
    try {
      await db.exec(`CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO schema_migrations (version) VALUES ('001_init.sql'), ('010_platform_key.sql')`);
      const err = await migrate(db).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PreReleaseSchemaError);
      expect((err as Error).message).toMatch(/pre-release schema.*recreate it/);
    } finally {
      await db.close();
    }
  });
});
