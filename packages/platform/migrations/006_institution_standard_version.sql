-- Each institution declares the version of the standard it reads; its inbox and webhook
-- deliver every message migrated to that version (the stored message is never altered).
ALTER TABLE institutions ADD COLUMN standard_version text NOT NULL DEFAULT '1.0';
