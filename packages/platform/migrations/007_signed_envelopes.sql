-- Evidence (docs/platform.md, "Signed envelopes"): every key of an institution with the
-- period in which it may sign; each message keeps its sender's detached JWS and its digest;
-- audit entries name their case.

-- Every key an institution has had, with its validity period. `kid` is the key's RFC 7638
-- JWK thumbprint (SHA-256, base64url). not_before NULL: since registration; not_after NULL:
-- still valid (exclusive bound). institutions.public_keys stays the set of current keys
-- (request authentication); a removed key keeps its row here with not_after set.
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

-- The thumbprint of an SPKI PEM Ed25519 key: the raw key is the last 32 bytes of the DER.
CREATE FUNCTION jiexu_key_id(p_pem text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT rtrim(translate(encode(sha256(convert_to(
           '{"crv":"Ed25519","kty":"OKP","x":"' ||
           rtrim(translate(encode(substring(decode(regexp_replace(p_pem, '-----[A-Z ]+-----|\s', '', 'g'), 'base64') FROM 13 FOR 32), 'base64'), '+/', '-_'), '=') ||
           '"}', 'UTF8')), 'base64'), '+/', '-_'), '=')
$$;

INSERT INTO institution_keys (institution_id, kid, public_key, not_before, not_after, added_at)
  SELECT i.id, jiexu_key_id(k), k, NULL, NULL, i.created_at FROM institutions i, unnest(i.public_keys) AS k
  ON CONFLICT DO NOTHING;

ALTER TABLE messages ADD COLUMN signature text;
ALTER TABLE messages ADD COLUMN digest text;
ALTER TABLE audit_log ADD COLUMN case_id text;
CREATE INDEX audit_log_case ON audit_log (case_id, seq) WHERE case_id IS NOT NULL;

-- jiexu_store_message (005) also stores the signature and the digest, puts both in the
-- message's audit entry, and writes the case's state change as an audit entry.
DROP FUNCTION jiexu_store_message(text, text, text, text, text, text[], text, text, text, text, jsonb, timestamptz, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, date, boolean);
CREATE FUNCTION jiexu_store_message(
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
