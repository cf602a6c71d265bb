-- Nonces of signed requests (X-Jiexu-Nonce; docs/standard/signatures.md "Replay"), shared by
-- every platform process on the database: a nonce is accepted once per institution until it
-- expires (twice the timestamp window after first use: a timestamp may lie up to the window on
-- either side of the clock). The check is one INSERT … ON CONFLICT (src/request-nonces.ts);
-- expired rows are purged by the processes as they go. Numbered 015: 014 is left to the
-- store's rework on another branch.
CREATE TABLE request_nonces (
  institution_id  text NOT NULL,
  nonce           text NOT NULL,
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (institution_id, nonce)
);
CREATE INDEX request_nonces_expiry ON request_nonces (expires_at);
