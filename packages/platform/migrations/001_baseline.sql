-- jiexu platform: the baseline schema. Runs unchanged on PostgreSQL and on PGlite.
-- Timestamps are always written by the application (its clock can be injected in tests).
--
-- Before the first release the pre-release migrations 001_init … 010_platform_key were squashed
-- into this file (003–010 each re-created jiexu_store_message). No database at an older version
-- exists outside development; one that ran those files is refused by the migration runner with
-- a clear message (recreate it). Later changes are new numbered files (011_…, 012_…).

CREATE TABLE institutions (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  region           text NOT NULL CHECK (region ~ '^[0-9]{6}$'),
  schemes          text[] NOT NULL,
  -- the current keys (SPKI PEM): any of them authenticates a request
  public_keys      text[] NOT NULL,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  webhook_url      text,
  webhook_secret   text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  -- the version of the standard the institution reads: its inbox and webhook deliver every
  -- message migrated to that version (the stored message is never altered)
  standard_version text NOT NULL DEFAULT '1.0'
);

-- Every key an institution has had, with its validity period (docs/platform.md, "Signed
-- envelopes"). `kid` is the key's RFC 7638 JWK thumbprint (SHA-256, base64url). not_before
-- NULL: since registration; not_after NULL: still valid (exclusive bound). A removed key keeps
-- its row with not_after set.
CREATE TABLE institution_keys (
  institution_id  text NOT NULL REFERENCES institutions (id),
  kid             text NOT NULL,
  public_key      text NOT NULL,
  not_before      timestamptz,
  not_after       timestamptz,
  added_at        timestamptz NOT NULL,
  PRIMARY KEY (institution_id, kid),
  CHECK (not_after IS NULL OR not_before IS NULL OR not_after > not_before)
);

-- Every change of the directory is announced on channel jiexu_directory (payload: the
-- institution id) at commit: every platform process on the database drops what it cached
-- about that institution (its keys and status authenticate requests), so a removed key or a
-- disabled institution stops authenticating at once, whichever process made the change.
CREATE FUNCTION jiexu_directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'institutions' THEN
    PERFORM pg_notify('jiexu_directory', COALESCE(NEW.id, OLD.id));
  ELSE
    PERFORM pg_notify('jiexu_directory', COALESCE(NEW.institution_id, OLD.institution_id));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER institutions_changed AFTER INSERT OR UPDATE OR DELETE ON institutions FOR EACH ROW EXECUTE FUNCTION jiexu_directory_changed();
CREATE TRIGGER institution_keys_changed AFTER INSERT OR UPDATE OR DELETE ON institution_keys FOR EACH ROW EXECUTE FUNCTION jiexu_directory_changed();

-- Every accepted message, once. (source, id) is the idempotency key; body_hash is the
-- SHA-256 of the body's RFC 8785 canonical form.
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
  -- the deadline (China date) of the step this message answered, and whether it came after it
  due_on       date,
  late         boolean NOT NULL DEFAULT false,
  -- the sender's detached JWS over the envelope (NULL: platform-generated before the platform had a key)
  signature    text,
  -- SHA-256 hex of the envelope's RFC 8785 canonical form (the message's digest)
  digest       text,
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

-- Enrollment facts learnt from enrollment.* notices, for duplicate-registration detection:
-- the person (id and name) and the first month; `suspended` (enrollment.changed) is not active.
CREATE TABLE enrollments (
  person_id       text NOT NULL,
  scheme          text NOT NULL,
  region          text NOT NULL,
  institution_id  text NOT NULL,
  status          text NOT NULL CONSTRAINT enrollments_status_check CHECK (status IN ('active', 'suspended', 'terminated')),
  message_seq     bigint NOT NULL REFERENCES messages (seq),
  updated_at      timestamptz NOT NULL,
  person          jsonb NOT NULL DEFAULT '{}'::jsonb,
  since           text,
  PRIMARY KEY (person_id, scheme, region)
);
CREATE INDEX enrollments_person ON enrollments (person_id, scheme) WHERE status = 'active';

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

-- Signed receipts: the receiver's signature over a message's digest, given when it
-- acknowledges the message; kept so the sender can fetch it (proof of receipt with its time).
CREATE TABLE receipts (
  message_seq  bigint NOT NULL REFERENCES messages (seq),
  receiver     text NOT NULL REFERENCES institutions (id),
  case_id      text NOT NULL,
  -- the receipt as signed (RFC 8785 form is computed from it) and the receiver's detached JWS
  receipt      jsonb NOT NULL,
  signature    text NOT NULL,
  stored_at    timestamptz NOT NULL,
  PRIMARY KEY (message_seq, receiver)
);
CREATE INDEX receipts_case ON receipts (case_id);

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

-- Append-only audit log: who sent and read what. UPDATE, DELETE and TRUNCATE are refused.
-- A tamper-evident trail (docs/platform.md, "Audit"): every entry is a link of one hash chain.
-- The entry's text is the jsonb text of {"index", "at", "actor", "action", "object", "caseId",
-- "detail"} and its hash = SHA-256 hex of (previous entry's hash || "\n" || text); the first
-- entry's previous hash is 64 zeros. The trigger computes both in the inserting statement,
-- under the row lock of the single-row chain head, so concurrent writers are serialised and
-- cannot fork the chain; the lock is held to commit, so the chain order is the commit order
-- and a rolled back entry leaves no gap. Writers that also lock other rows take the head
-- first (see jiexu_store_message below), so no two transactions wait on each other in a cycle.
CREATE TABLE audit_log (
  seq          bigserial PRIMARY KEY,
  at           timestamptz NOT NULL,
  actor        text NOT NULL,
  action       text NOT NULL,
  object       text NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
  case_id      text,
  chain_index  bigint NOT NULL,
  entry        text NOT NULL,
  prev_hash    text NOT NULL,
  hash         text NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, seq) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX audit_log_chain_index ON audit_log (chain_index);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE audit_chain_head (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_index  bigint NOT NULL,
  last_hash   text NOT NULL
);
INSERT INTO audit_chain_head (id, last_index, last_hash) VALUES (true, 0, repeat('0', 64));

CREATE FUNCTION jiexu_audit_entry_text(p_index bigint, p_at timestamptz, p_actor text, p_action text, p_object text, p_case_id text, p_detail jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('index', p_index, 'at', to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'actor', p_actor,
                            'action', p_action, 'object', p_object, 'caseId', p_case_id, 'detail', p_detail)::text
$$;

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_head record;
BEGIN
  SELECT last_index, last_hash INTO v_head FROM audit_chain_head WHERE id FOR UPDATE;
  NEW.chain_index := v_head.last_index + 1;
  NEW.prev_hash := v_head.last_hash;
  NEW.entry := jiexu_audit_entry_text(NEW.chain_index, NEW.at, NEW.actor, NEW.action, NEW.object, NEW.case_id, NEW.detail);
  NEW.hash := encode(sha256(convert_to(NEW.prev_hash || E'\n' || NEW.entry, 'UTF8')), 'hex');
  UPDATE audit_chain_head SET last_index = NEW.chain_index, last_hash = NEW.hash WHERE id;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- What the case fit of a message needs, read in one statement (one snapshot): an earlier
-- message with this source + id, which receivers the directory knows (with the version of the
-- standard each reads), the case, the message `inreplyto` names, and the latest message of each
-- type that starts a deadline (p_start_patterns: LIKE patterns of those types).
CREATE FUNCTION jiexu_read_for_store(p_source text, p_id text, p_receivers text[], p_case_id text, p_in_reply_to text, p_start_patterns text[])
RETURNS json LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'prior', (SELECT json_build_object('hash', m.body_hash, 'caseId', m.case_id, 'receivedAt', m.received_at) FROM messages m WHERE m.source = p_source AND m.id = p_id),
    'known', (SELECT json_object_agg(i.id, i.standard_version) FROM institutions i WHERE i.id = ANY(p_receivers)),
    'existing', (SELECT json_build_object('case_id', c.case_id, 'case_type', c.case_type, 'standard_version', c.standard_version, 'state', c.state, 'closed', c.closed, 'roles', c.roles,
                                          'step_expects', c.step_expects, 'step_deadline', c.step_deadline::text, 'version', c.xmin::text)
                   FROM cases c WHERE c.case_id = p_case_id),
    'replied', (SELECT json_build_object('source', m.source, 'sender', m.sender, 'type', m.type, 'state_before', m.state_before)
                  FROM messages m WHERE m.case_id = p_case_id AND m.id = p_in_reply_to ORDER BY m.seq DESC LIMIT 1),
    'starts', (SELECT json_agg(s) FROM (SELECT DISTINCT ON (m.type) m.seq, m.type, m.id, m.source, m.envelope->'data' AS data, m.received_at AS "receivedAt"
                 FROM messages m WHERE m.case_id = p_case_id AND m.type LIKE ANY(p_start_patterns) ORDER BY m.type, m.seq DESC) s))
$$;

-- Storing an accepted message in one statement (one round trip, one commit, atomic on its own
-- or inside a caller's transaction): the message row, the case's new state / roles / step, one
-- inbox row per receiver with that inbox's next cursor (inbox_state rows locked in id order, so
-- concurrent deliveries cannot deadlock), one webhook outbox row per receiver with a webhook,
-- and the audit entries (the message's, and the case's state change).
--
-- The application decided the case fit from what it read before, or from a guess (a message
-- that can open a case: the case does not exist yet; the receivers and the versions they read:
-- from its directory cache). The function checks first, before writing anything, that the
-- world is as the fit assumed: no message with this source + id, the case at exactly
-- p_expected_version (its xmin; NULL: the case does not exist), the receivers known and reading
-- p_receiver_versions. When anything differs it writes nothing and returns, in `reread`, what
-- jiexu_read_for_store reads now: the application fits again from it. A concurrent writer of the
-- same case or source + id after that check raises SQLSTATE JX001 (nothing stored; read again).
--
-- Returns stored_seq (text; NULL with reread set), webhooks (webhook outbox rows written) and reread.
CREATE FUNCTION jiexu_store_message(
  p_source text, p_id text, p_hash text, p_type text, p_sender text, p_receivers text[], p_case_id text,
  p_in_reply_to text, p_state_before text, p_state_after text, p_envelope jsonb, p_at timestamptz,
  -- the case as read (p_expected_version: its row version, xmin; NULL: it does not exist) and as it becomes
  p_case_type text, p_case_version text, p_expected_version text, p_roles jsonb, p_closed boolean,
  -- the new current step ({} = unchanged, JSON null = none)
  p_step jsonb,
  p_audit_actor text, p_audit_action text, p_audit_detail jsonb,
  -- the deadline of the step this message answers (NULL: it answers none) and whether it came after it
  p_due_on date, p_late boolean,
  -- the sender's detached JWS over the envelope (NULL for platform-generated messages without a key)
  -- and the SHA-256 hex of the envelope's RFC 8785 canonical form (the message's digest)
  p_signature text, p_digest text,
  -- what the fit assumed of the directory: receiver (not the platform) → the version it reads
  p_receiver_versions jsonb,
  -- for `reread`: LIKE patterns of the message types that start a deadline in this case type
  p_start_patterns text[]
) RETURNS TABLE (stored_seq text, webhooks integer, reread json) LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_version text;
  v_receiver text;
  v_cursor bigint;
  v_outbox integer := 0;
  v_n integer;
  v_wanted text[] := ARRAY(SELECT DISTINCT r FROM unnest(p_receivers) AS r WHERE r <> '100000-platform' ORDER BY r);
  v_step boolean := p_step IS NOT NULL AND jsonb_typeof(p_step) = 'object' AND p_step <> '{}'::jsonb;
BEGIN
  -- the audit chain's head first: every lock this statement takes after it is taken by a
  -- writer that already holds the head, so no two writers wait on each other in a cycle
  PERFORM 1 FROM audit_chain_head WHERE id FOR UPDATE;

  -- is the world as the fit assumed? (nothing written yet)
  IF EXISTS (SELECT 1 FROM messages m WHERE m.source = p_source AND m.id = p_id)
     OR (SELECT COALESCE(jsonb_object_agg(i.id, i.standard_version), '{}'::jsonb) FROM institutions i WHERE i.id = ANY(v_wanted)) IS DISTINCT FROM COALESCE(p_receiver_versions, '{}'::jsonb) THEN
    RETURN QUERY SELECT NULL::text, 0, jiexu_read_for_store(p_source, p_id, v_wanted, p_case_id, p_in_reply_to, p_start_patterns);
    RETURN;
  END IF;
  IF p_expected_version IS NOT NULL THEN
    SELECT c.xmin::text INTO v_version FROM cases c WHERE c.case_id = p_case_id FOR UPDATE;
    IF v_version IS DISTINCT FROM p_expected_version THEN
      RETURN QUERY SELECT NULL::text, 0, jiexu_read_for_store(p_source, p_id, v_wanted, p_case_id, p_in_reply_to, p_start_patterns);
      RETURN;
    END IF;
  ELSE
    -- opening: the case with the step it starts, in one row version
    INSERT INTO cases (case_id, case_type, standard_version, state, closed, roles, opened_at, updated_at,
                       step_name, step_after_id, step_after_source, step_awaiting, step_expects, step_started_at, step_working_days,
                       step_deadline, step_deadline_estimated)
    VALUES (p_case_id, p_case_type, p_case_version, p_state_after, p_closed, p_roles, p_at, p_at,
            CASE WHEN v_step THEN p_step->>'name' END, CASE WHEN v_step THEN p_step->>'afterId' END, CASE WHEN v_step THEN p_step->>'afterSource' END,
            CASE WHEN v_step THEN ARRAY(SELECT jsonb_array_elements_text(p_step->'awaiting')) END,
            CASE WHEN v_step THEN ARRAY(SELECT jsonb_array_elements_text(p_step->'expects')) END,
            CASE WHEN v_step THEN (p_step->>'startedAt')::timestamptz END, CASE WHEN v_step THEN (p_step->>'workingDays')::integer END,
            CASE WHEN v_step THEN (p_step->>'deadline')::date END, CASE WHEN v_step THEN (p_step->>'estimated')::boolean END)
    ON CONFLICT (case_id) DO NOTHING;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n = 0 THEN
      -- it exists: opened before (nothing written yet) — fit again with what it is now
      RETURN QUERY SELECT NULL::text, 0, jiexu_read_for_store(p_source, p_id, v_wanted, p_case_id, p_in_reply_to, p_start_patterns);
      RETURN;
    END IF;
  END IF;

  INSERT INTO messages (source, id, body_hash, type, sender, receivers, case_id, in_reply_to, state_before, state_after, envelope, received_at, due_on, late, signature, digest)
  VALUES (p_source, p_id, p_hash, p_type, p_sender, p_receivers, p_case_id, p_in_reply_to, p_state_before, p_state_after, p_envelope, p_at, p_due_on, p_late, p_signature, p_digest)
  ON CONFLICT (source, id) DO NOTHING RETURNING messages.seq INTO v_seq;
  IF v_seq IS NULL THEN
    -- the same source + id committed since the check above (a concurrent send of it)
    RAISE EXCEPTION 'message %#% was stored concurrently', p_source, p_id USING ERRCODE = 'JX001';
  END IF;

  IF p_expected_version IS NOT NULL THEN
    -- the case's new state and step in one row version
    UPDATE cases SET state = p_state_after, closed = p_closed, roles = p_roles, updated_at = p_at,
      step_name = CASE WHEN v_step THEN p_step->>'name' WHEN p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_name END,
      step_after_id = CASE WHEN v_step THEN p_step->>'afterId' WHEN p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_after_id END,
      step_after_source = CASE WHEN v_step THEN p_step->>'afterSource' WHEN p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_after_source END,
      step_awaiting = CASE WHEN v_step THEN ARRAY(SELECT jsonb_array_elements_text(p_step->'awaiting')) WHEN p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_awaiting END,
      step_expects = CASE WHEN v_step THEN ARRAY(SELECT jsonb_array_elements_text(p_step->'expects')) WHEN p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_expects END,
      step_started_at = CASE WHEN v_step THEN (p_step->>'startedAt')::timestamptz WHEN p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_started_at END,
      step_working_days = CASE WHEN v_step THEN (p_step->>'workingDays')::integer WHEN p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_working_days END,
      step_deadline = CASE WHEN v_step THEN (p_step->>'deadline')::date WHEN p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_deadline END,
      step_deadline_estimated = CASE WHEN v_step THEN (p_step->>'estimated')::boolean WHEN p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_deadline_estimated END,
      step_reminded_at = CASE WHEN v_step OR p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN NULL ELSE step_reminded_at END
    WHERE case_id = p_case_id;
  END IF;

  -- the platform consumes its own messages in process: it has no inbox
  FOREACH v_receiver IN ARRAY v_wanted LOOP
    UPDATE inbox_state SET last_cursor = last_cursor + 1 WHERE institution_id = v_receiver RETURNING last_cursor INTO v_cursor;
    IF v_cursor IS NULL THEN
      RAISE EXCEPTION 'no inbox for %', v_receiver;
    END IF;
    INSERT INTO inbox (institution_id, cursor, message_seq, delivered_at) VALUES (v_receiver, v_cursor, v_seq, p_at);
    INSERT INTO outbox (institution_id, cursor, url, next_attempt_at)
      SELECT i.id, v_cursor, i.webhook_url, p_at FROM institutions i WHERE i.id = v_receiver AND i.webhook_url IS NOT NULL;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_outbox := v_outbox + v_n;
  END LOOP;

  IF p_audit_action IS NOT NULL THEN
    INSERT INTO audit_log (at, actor, action, object, detail, case_id)
    VALUES (p_at, p_audit_actor, p_audit_action, p_source || '#' || p_id,
            (CASE WHEN p_audit_detail ? 'seq' THEN p_audit_detail || jsonb_build_object('seq', v_seq::text) ELSE p_audit_detail END)
              || jsonb_build_object('digest', p_digest, 'signed', p_signature IS NOT NULL),
            p_case_id);
  END IF;
  -- the case's state change is an entry of its own (opening included)
  IF p_state_before IS DISTINCT FROM p_state_after OR p_expected_version IS NULL THEN
    INSERT INTO audit_log (at, actor, action, object, detail, case_id)
    VALUES (p_at, p_sender, CASE WHEN p_expected_version IS NULL THEN 'case.open' ELSE 'case.state' END, p_case_id,
            jsonb_build_object('from', p_state_before, 'to', p_state_after, 'closed', p_closed, 'by', p_source || '#' || p_id), p_case_id);
  END IF;

  RETURN QUERY SELECT v_seq::text, v_outbox, NULL::json;
END;
$$;
