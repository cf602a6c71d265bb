-- The signed-in console (docs/console.md): sign-in challenges, operator keys, sessions.

-- A challenge the platform handed out for one sign-in: single use, a short life.
CREATE TABLE console_challenges (
  challenge   text PRIMARY KEY,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX console_challenges_expiry ON console_challenges (expires_at);

-- The platform operator's console keys (Ed25519, SPKI PEM): added and removed by
-- `jiexu platform add-operator-key` / `remove-operator-key`; a removed key keeps its row.
CREATE TABLE console_operator_keys (
  kid         text PRIMARY KEY,
  public_key  text NOT NULL,
  added_at    timestamptz NOT NULL,
  removed_at  timestamptz
);

-- A console session: only the SHA-256 of its token is stored. principal is an institution id
-- or 100000-platform (the operator); kid the key that signed in — the session ends when that
-- key is removed, the institution disabled, the lifetime over or the user signs out.
CREATE TABLE console_sessions (
  token_hash  text PRIMARY KEY,
  principal   text NOT NULL,
  kid         text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  ended_at    timestamptz
);
CREATE INDEX console_sessions_principal ON console_sessions (principal);
