-- Two changes to storing a message (store.ts, store-batch.ts), for the least work per message:
--
-- 1. jiexu_store_message takes p_pension_guard: a pension.transfer-application (which the
-- platform checks against the pension benefit periods, benefit-periods.ts) is stored in one
-- statement, outside any transaction, when the person draws no pension in another region —
-- the usual case. Before, every application took a transaction of six round trips (BEGIN,
-- the case read, the store, an advisory lock, the period read, COMMIT). When a period exists
-- the function writes nothing and the caller takes the transactional path as before.
-- (A new argument: the old function is dropped, not replaced.)
--
-- 2. jiexu_store_messages stores a batch of messages in one statement (group commit; below).

DROP FUNCTION jiexu_store_message(text, text, text, text, text, text[], text, text, text, text, jsonb, timestamptz, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, date, boolean, text, text, jsonb, text[]);

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
  p_start_patterns text[],
  -- a message the platform must look at in a transaction when the person draws a pension
  -- elsewhere (benefit-periods.ts): {"person", "region", "since"} (NULL: none). When such a
  -- period exists nothing is written and reread is {"benefitPeriod": true}.
  p_pension_guard jsonb
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

  -- a pension drawn elsewhere: the caller stores this message in a transaction that sends
  -- the notices (checked under the head: a period is recorded by a transaction that stored its
  -- message first, so it holds the head until it commits — seen here, or recorded after us)
  IF p_pension_guard IS NOT NULL AND EXISTS (
       SELECT 1 FROM benefit_periods b
        WHERE b.person_id = p_pension_guard->>'person' AND b.kind = 'pension' AND b.region <> p_pension_guard->>'region'
          AND to_char(b.starts_on, 'YYYY-MM') <= p_pension_guard->>'since'
          AND (b.ended_on IS NULL OR to_char(b.ended_on, 'YYYY-MM') >= p_pension_guard->>'since')) THEN
    RETURN QUERY SELECT NULL::text, 0, json_build_object('benefitPeriod', true);
    RETURN;
  END IF;

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

-- Group commit: several messages accepted at the same moment stored in one statement, one
-- transaction, one commit (one WAL flush). Every writer holds the audit chain head to its
-- commit, so writes are serialised and each commit's flush is waited for alone; a batch
-- shares it. p_batch is a JSON array; each element the arguments of jiexu_store_message in
-- order, as JSON (text[] as arrays, jsonb as themselves). The messages are stored one after
-- the other, in the array's order, exactly as jiexu_store_message stores one alone (its
-- checks included: a later message of a case an earlier one of the batch changed gets
-- `reread`). An error in any of them rolls back the whole batch (the caller then stores each
-- alone). Returns one row per element, n from 0.
CREATE FUNCTION jiexu_store_messages(p_batch jsonb) RETURNS TABLE (n integer, stored_seq text, webhooks integer, reread json) LANGUAGE plpgsql AS $$
DECLARE
  e jsonb;
  i integer := 0;
  r record;
BEGIN
  -- the head first, as every writer
  PERFORM 1 FROM audit_chain_head WHERE id FOR UPDATE;
  FOR e IN SELECT b.value FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS b(value, k) ORDER BY b.k LOOP
    SELECT s.stored_seq, s.webhooks, s.reread INTO r FROM jiexu_store_message(
      e->>0, e->>1, e->>2, e->>3, e->>4, ARRAY(SELECT jsonb_array_elements_text(e->5)), e->>6,
      e->>7, e->>8, e->>9, e->10, (e->>11)::timestamptz,
      e->>12, e->>13, e->>14, NULLIF(e->15, 'null'::jsonb), (e->>16)::boolean,
      e->17,
      e->>18, e->>19, NULLIF(e->20, 'null'::jsonb),
      (e->>21)::date, (e->>22)::boolean,
      e->>23, e->>24,
      NULLIF(e->25, 'null'::jsonb),
      ARRAY(SELECT jsonb_array_elements_text(e->26)),
      NULLIF(e->27, 'null'::jsonb)) AS s;
    n := i;
    stored_seq := r.stored_seq;
    webhooks := r.webhooks;
    reread := r.reread;
    RETURN NEXT;
    i := i + 1;
  END LOOP;
END;
$$;
