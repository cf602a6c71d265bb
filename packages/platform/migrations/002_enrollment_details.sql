-- Enrollment facts keep what a duplicate-registration notice must name: the person
-- (id and name) and the first month; `suspended` (enrollment.changed) is not active.
ALTER TABLE enrollments DROP CONSTRAINT enrollments_status_check;
ALTER TABLE enrollments ADD CONSTRAINT enrollments_status_check CHECK (status IN ('active', 'suspended', 'terminated'));
ALTER TABLE enrollments ADD COLUMN person jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE enrollments ADD COLUMN since text;
CREATE INDEX enrollments_person ON enrollments (person_id, scheme) WHERE status = 'active';
