-- The tables keyed by person (what duplicate-registration detection reads and writes on
-- every enrollment notice) become hash-partitioned by person_id: 16 partitions, so a
-- national registry (10⁷ people and more) keeps each partition's indexes small, vacuum and
-- reindex work one partition at a time, and every lookup by person prunes to one partition.
-- person_id is also the distribution column the same schema would take on Citus
-- (docs/platform.md, «Past one machine»).
--
-- Written to run on whatever the earlier migrations left: the new table copies the old
-- one's columns, defaults, CHECK and NOT NULL constraints (LIKE), then gets back the old
-- one's primary key, unique and foreign-key constraints and its other indexes under their
-- own names (recorded before the old table is dropped), and the rows are moved over.
-- A table that is already partitioned is left alone. Plain PostgreSQL; runs on PGlite too.

CREATE FUNCTION jiexu_partition_by_person(tbl text, partitions integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  old_name text := tbl || '_before_012';
  constraint_defs text[];
  index_defs text[];
  statement text;
  r record;
  i integer;
BEGIN
  IF (SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(tbl)) IS DISTINCT FROM 'r' THEN
    RETURN;
  END IF;
  -- what to re-create: keys and foreign keys as constraints, every other index as it was
  SELECT coalesce(array_agg(format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, con.conname, pg_get_constraintdef(con.oid)) ORDER BY con.contype DESC, con.conname), '{}')
    INTO constraint_defs
    FROM pg_constraint con WHERE con.conrelid = to_regclass(tbl) AND con.contype IN ('p', 'u', 'f');
  SELECT coalesce(array_agg(pg_get_indexdef(ix.indexrelid) ORDER BY ix.indexrelid), '{}')
    INTO index_defs
    FROM pg_index ix
   WHERE ix.indrelid = to_regclass(tbl)
     AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid);
  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old_name);
  -- free the names of the old indexes and constraints for the new table
  FOR r IN SELECT con.conname FROM pg_constraint con WHERE con.conrelid = to_regclass(old_name) AND con.contype IN ('p', 'u', 'f') ORDER BY con.contype LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', old_name, r.conname);
  END LOOP;
  FOR r IN SELECT ix.indexrelid::regclass::text AS name FROM pg_index ix WHERE ix.indrelid = to_regclass(old_name) LOOP
    EXECUTE format('DROP INDEX %s', r.name);
  END LOOP;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY HASH (person_id)', tbl, old_name);
  FOR i IN 0 .. partitions - 1 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS %s, REMAINDER %s)', tbl || '_p' || lpad(i::text, 2, '0'), tbl, partitions, i);
  END LOOP;
  FOREACH statement IN ARRAY constraint_defs LOOP
    EXECUTE statement;
  END LOOP;
  FOREACH statement IN ARRAY index_defs LOOP
    EXECUTE statement;
  END LOOP;
  EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, old_name);
  EXECUTE format('DROP TABLE %I', old_name);
END;
$$;

SELECT jiexu_partition_by_person('enrollments', 16);
SELECT jiexu_partition_by_person('duplicate_notices', 16);
DROP FUNCTION jiexu_partition_by_person(text, integer);
