-- A tamper-evident audit trail (docs/platform.md, "Audit"): every audit entry is a link of
-- one hash chain. The entry's text is the jsonb text of
--   {"index", "at", "actor", "action", "object", "caseId", "detail"}
-- and its hash = SHA-256 hex of (previous entry's hash || "\n" || text); the first entry's
-- previous hash is 64 zeros. The trigger computes both in the inserting statement, under the
-- row lock of the single-row chain head, so concurrent writers are serialised and cannot fork
-- the chain; the lock is held to commit, so the chain order is the commit order and a rolled
-- back entry leaves no gap. Writers that also lock other rows take the head first (see
-- jiexu_store_message below), so no two transactions wait on each other in a cycle.
ALTER TABLE audit_log ADD COLUMN chain_index bigint;
ALTER TABLE audit_log ADD COLUMN entry text;
ALTER TABLE audit_log ADD COLUMN prev_hash text;
ALTER TABLE audit_log ADD COLUMN hash text;

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

-- the entries written before this migration join the chain in their order
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
DO $$
DECLARE
  r record;
  v_index bigint := 0;
  v_prev text := repeat('0', 64);
  v_entry text;
  v_hash text;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY seq LOOP
    v_index := v_index + 1;
    v_entry := jiexu_audit_entry_text(v_index, r.at, r.actor, r.action, r.object, r.case_id, r.detail);
    v_hash := encode(sha256(convert_to(v_prev || E'\n' || v_entry, 'UTF8')), 'hex');
    UPDATE audit_log SET chain_index = v_index, entry = v_entry, prev_hash = v_prev, hash = v_hash WHERE seq = r.seq;
    v_prev := v_hash;
  END LOOP;
  UPDATE audit_chain_head SET last_index = v_index, last_hash = v_prev WHERE id;
END;
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;

ALTER TABLE audit_log ALTER COLUMN chain_index SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN entry SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_log_chain_index ON audit_log (chain_index);

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- jiexu_store_message (007) takes the chain head before any other row.
CREATE OR REPLACE FUNCTION jiexu_store_message(
  p_source text, p_id text, p_hash text, p_type text, p_sender text, p_receivers text[], p_case_id text,
  p_in_reply_to text, p_state_before text, p_state_after text, p_envelope jsonb, p_at timestamptz,
  -- the case as read (p_expected_version: its row version, xmin; NULL: it did not exist) and as it becomes
  p_case_type text, p_case_version text, p_expected_version text, p_roles jsonb, p_closed boolean,
  -- the new current step ({} = unchanged, JSON null = none)
  p_step jsonb,
  p_audit_actor text, p_audit_action text, p_audit_detail jsonb,
  -- the deadline of the step this message answers (NULL: it answers none) and whether it came after it
  p_due_on date, p_late boolean,
  -- the sender's detached JWS over the envelope (NULL for platform-generated messages) and the
  -- SHA-256 hex of the envelope's RFC 8785 canonical form (the message's digest)
  p_signature text, p_digest text
) RETURNS TABLE (stored_seq text, webhooks integer) LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_case record;
  v_receiver text;
  v_cursor bigint;
  v_outbox integer := 0;
  v_n integer;
BEGIN
  -- the audit chain's head first: every lock this statement takes after it is taken by a
  -- writer that already holds the head, so no two writers wait on each other in a cycle
  PERFORM 1 FROM audit_chain_head WHERE id FOR UPDATE;
  IF p_expected_version IS NOT NULL THEN
    SELECT c.xmin::text AS version INTO v_case FROM cases c WHERE c.case_id = p_case_id FOR UPDATE;
    IF NOT FOUND OR v_case.version IS DISTINCT FROM p_expected_version THEN
      RAISE EXCEPTION 'case % changed since it was read', p_case_id USING ERRCODE = 'JX001';
    END IF;
  END IF;

  INSERT INTO messages (source, id, body_hash, type, sender, receivers, case_id, in_reply_to, state_before, state_after, envelope, received_at, due_on, late, signature, digest)
  VALUES (p_source, p_id, p_hash, p_type, p_sender, p_receivers, p_case_id, p_in_reply_to, p_state_before, p_state_after, p_envelope, p_at, p_due_on, p_late, p_signature, p_digest)
  ON CONFLICT (source, id) DO NOTHING RETURNING messages.seq INTO v_seq;
  IF v_seq IS NULL THEN
    RETURN QUERY SELECT NULL::text, 0;
    RETURN;
  END IF;

  IF p_expected_version IS NULL THEN
    INSERT INTO cases (case_id, case_type, standard_version, state, closed, roles, opened_at, updated_at)
    VALUES (p_case_id, p_case_type, p_case_version, p_state_after, p_closed, p_roles, p_at, p_at) ON CONFLICT (case_id) DO NOTHING;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n = 0 THEN
      RAISE EXCEPTION 'case % was opened concurrently', p_case_id USING ERRCODE = 'JX001';
    END IF;
  ELSE
    UPDATE cases SET state = p_state_after, closed = p_closed, roles = p_roles, updated_at = p_at WHERE case_id = p_case_id;
  END IF;

  IF p_step IS NULL OR jsonb_typeof(p_step) = 'null' THEN
    UPDATE cases SET step_name = NULL, step_after_id = NULL, step_after_source = NULL, step_awaiting = NULL, step_expects = NULL,
      step_started_at = NULL, step_working_days = NULL, step_deadline = NULL, step_deadline_estimated = NULL, step_reminded_at = NULL
    WHERE case_id = p_case_id;
  ELSIF p_step <> '{}'::jsonb THEN
    UPDATE cases SET step_name = p_step->>'name', step_after_id = p_step->>'afterId', step_after_source = p_step->>'afterSource',
      step_awaiting = ARRAY(SELECT jsonb_array_elements_text(p_step->'awaiting')),
      step_expects = ARRAY(SELECT jsonb_array_elements_text(p_step->'expects')),
      step_started_at = (p_step->>'startedAt')::timestamptz, step_working_days = (p_step->>'workingDays')::integer,
      step_deadline = (p_step->>'deadline')::date, step_deadline_estimated = (p_step->>'estimated')::boolean, step_reminded_at = NULL
    WHERE case_id = p_case_id;
  END IF;

  -- the platform consumes its own messages in process: it has no inbox
  FOR v_receiver IN SELECT DISTINCT r FROM unnest(p_receivers) AS r WHERE r <> '100000-platform' ORDER BY r LOOP
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

  RETURN QUERY SELECT v_seq::text, v_outbox;
END;
$$;
