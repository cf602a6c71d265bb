-- jiexu platform: initial schema. Runs unchanged on PostgreSQL and on PGlite.
-- Timestamps are always written by the application (its clock can be injected in tests).

CREATE TABLE institutions (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  region          text NOT NULL CHECK (region ~ '^[0-9]{6}$'),
  schemes         text[] NOT NULL,
  public_keys     text[] NOT NULL,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  webhook_url     text,
  webhook_secret  text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

-- Every accepted message, once. (source, id) is the idempotency key; body_hash is the
-- SHA-256 of the body's canonical JSON; acceptance is the exact answer the sender got.
CREATE TABLE messages (
  seq          bigserial PRIMARY KEY,
  source       text NOT NULL,
  id           text NOT NULL,
  body_hash    text NOT NULL,
  type         text NOT NULL,
  sender       text NOT NULL,
  receivers    text[] NOT NULL,
  case_id      text NOT NULL,
  in_reply_to  text,
  -- the case's state before and after this message (admin.reject / admin.invalidate revert to state_before)
  state_before text,
  state_after  text NOT NULL,
  envelope     jsonb NOT NULL,
  received_at  timestamptz NOT NULL,
  UNIQUE (source, id)
);
CREATE INDEX messages_case ON messages (case_id, seq);

-- One row per inbox: the last cursor handed out (a row lock serialises cursor assignment,
-- so a reader never sees cursor n+1 committed while n is still in flight) and the ack position.
CREATE TABLE inbox_state (
  institution_id  text PRIMARY KEY REFERENCES institutions (id),
  last_cursor     bigint NOT NULL DEFAULT 0,
  acked_up_to     bigint NOT NULL DEFAULT 0
);

CREATE TABLE inbox (
  institution_id  text NOT NULL REFERENCES institutions (id),
  cursor          bigint NOT NULL,
  message_seq     bigint NOT NULL REFERENCES messages (seq),
  delivered_at    timestamptz NOT NULL,
  PRIMARY KEY (institution_id, cursor),
  UNIQUE (institution_id, message_seq)
);

-- Transactional outbox for webhook pushes: written in the same transaction as the inbox row.
CREATE TABLE outbox (
  seq              bigserial PRIMARY KEY,
  institution_id   text NOT NULL REFERENCES institutions (id),
  cursor           bigint NOT NULL,
  url              text NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  delivered_at     timestamptz,
  gave_up_at       timestamptz,
  last_error       text,
  UNIQUE (institution_id, cursor)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;

CREATE TABLE cases (
  case_id             text PRIMARY KEY,
  case_type           text NOT NULL,
  standard_version    text NOT NULL,
  -- a state code of the case type in the catalogue; closed = the state is final
  state               text NOT NULL,
  closed              boolean NOT NULL DEFAULT false,
  -- institution id → role in the case (old, new, platform, region)
  roles               jsonb NOT NULL,
  opened_at           timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  -- the current step: who must answer which message, by when (NULL when closed / nothing expected)
  step_name           text,
  -- the message (id and source) whose arrival started the step: reminders answer it
  step_after_id       text,
  step_after_source   text,
  step_awaiting       text[],
  step_expects        text[],
  step_started_at     timestamptz,
  step_working_days   integer,
  step_deadline       date,
  step_deadline_estimated boolean,
  step_reminded_at    timestamptz
);
CREATE INDEX cases_overdue ON cases (step_deadline) WHERE NOT closed;

-- Enrollment facts learnt from enrollment.* notices, for duplicate-registration detection.
CREATE TABLE enrollments (
  person_id       text NOT NULL,
  scheme          text NOT NULL,
  region          text NOT NULL,
  institution_id  text NOT NULL,
  status          text NOT NULL CHECK (status IN ('active', 'terminated')),
  message_seq     bigint NOT NULL REFERENCES messages (seq),
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (person_id, scheme, region)
);

-- One notice per (person, scheme, pair of regions) while the duplicate lasts.
CREATE TABLE duplicate_notices (
  person_id    text NOT NULL,
  scheme       text NOT NULL,
  region_a     text NOT NULL,
  region_b     text NOT NULL,
  message_seq  bigint NOT NULL REFERENCES messages (seq),
  noticed_at   timestamptz NOT NULL,
  PRIMARY KEY (person_id, scheme, region_a, region_b)
);

-- Append-only audit log: who sent and read what. UPDATE, DELETE and TRUNCATE are refused.
CREATE TABLE audit_log (
  seq      bigserial PRIMARY KEY,
  at       timestamptz NOT NULL,
  actor    text NOT NULL,
  action   text NOT NULL,
  object   text NOT NULL,
  detail   jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
