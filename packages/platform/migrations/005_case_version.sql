-- jiexu_store_message checks the case row version (xmin) it read instead of its state and
-- roles: any change since the read — also a message that left the state as it was but may
-- start a deadline — makes the application read and decide again.
DROP FUNCTION jiexu_store_message(text, text, text, text, text, text[], text, text, text, text, jsonb, timestamptz, text, text, jsonb, jsonb, boolean, jsonb, text, text, jsonb, date, boolean);
CREATE FUNCTION jiexu_store_message(
  p_source text, p_id text, p_hash text, p_type text, p_sender text, p_receivers text[], p_case_id text,
  p_in_reply_to text, p_state_before text, p_state_after text, p_envelope jsonb, p_at timestamptz,
  -- the case as read (p_expected_version: its row version, xmin; NULL: it did not exist) and as it becomes
  p_case_type text, p_case_version text, p_expected_version text, p_roles jsonb, p_closed boolean,
  -- the new current step ({} = unchanged, JSON null = none)
  p_step jsonb,
  p_audit_actor text, p_audit_action text, p_audit_detail jsonb,
  -- the deadline of the step this message answers (NULL: it answers none) and whether it came after it
  p_due_on date, p_late boolean
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

  INSERT INTO messages (source, id, body_hash, type, sender, receivers, case_id, in_reply_to, state_before, state_after, envelope, received_at, due_on, late)
  VALUES (p_source, p_id, p_hash, p_type, p_sender, p_receivers, p_case_id, p_in_reply_to, p_state_before, p_state_after, p_envelope, p_at, p_due_on, p_late)
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
    INSERT INTO audit_log (at, actor, action, object, detail)
    VALUES (p_at, p_audit_actor, p_audit_action, p_source || '#' || p_id,
            CASE WHEN p_audit_detail ? 'seq' THEN p_audit_detail || jsonb_build_object('seq', v_seq::text) ELSE p_audit_detail END);
  END IF;

  RETURN QUERY SELECT v_seq::text, v_outbox;
END;
$$;
