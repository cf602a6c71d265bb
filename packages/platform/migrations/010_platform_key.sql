-- The platform's own signing key: it signs the envelopes it generates (reminders, duplicate
-- notices) like any institution, so every message a receiver gets is signed. Created on first
-- start; its public part is served at GET /v1/platform/keys and put in case bundles. The
-- private key lives in the platform's database (protect it like the database).
CREATE TABLE platform_keys (
  kid          text PRIMARY KEY,
  private_key  text NOT NULL,
  public_key   text NOT NULL,
  not_before   timestamptz,
  not_after    timestamptz,
  created_at   timestamptz NOT NULL
);
