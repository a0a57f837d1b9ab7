-- The status projection's refresh (docs/status.md "The facts and the projection"): recomputes
-- the row of one (service, standard) from the raw tables. Every write that can change the row
-- calls it in its own transaction.

CREATE OR REPLACE FUNCTION coco_refresh_status(p_service uuid, p_standard text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_supplier   uuid;
    v_gov        assessments%ROWTYPE;
    v_newest     assessments%ROWTYPE;
    v_open       uuid;
    v_actions    jsonb := '[]';
    v_exceptions jsonb := '[]';
    v_evidence   jsonb := '[]';
    v_triggers   jsonb := '[]';
    v_earliest   date;
BEGIN
    -- One refresh of a (service, standard) at a time, and each of the statements below reads
    -- after the previous refresh committed (READ COMMITTED takes a snapshot per statement):
    -- without this, two writes locking different rows (a suspension and an action's
    -- verification) could each compute the row before the other committed, and the later
    -- upsert would win with stale facts.
    PERFORM pg_advisory_xact_lock(hashtextextended(p_service::text || '/' || p_standard, 0));
    SELECT supplier_id INTO v_supplier FROM services WHERE id = p_service;
    SELECT * INTO v_gov FROM assessments
     WHERE service_id = p_service AND standard_key = p_standard AND state = 'approved';
    SELECT * INTO v_newest FROM assessments
     WHERE service_id = p_service AND standard_key = p_standard AND state IN ('approved', 'rejected')
     ORDER BY decided_at DESC, id DESC LIMIT 1;
    SELECT id INTO v_open FROM assessments
     WHERE service_id = p_service AND standard_key = p_standard
       AND state = ANY (coco_open_assessment_states());

    IF v_gov.id IS NOT NULL THEN
        SELECT COALESCE(jsonb_agg(jsonb_build_object('id', a.id, 'requirement_id', a.requirement_id,
                   'due_date', a.due_date, 'verified', a.state = 'verified') ORDER BY a.due_date, a.id), '[]')
          INTO v_actions
          FROM actions a WHERE a.assessment_id = v_gov.id;

        SELECT COALESCE(jsonb_agg(jsonb_build_object('id', e.id, 'requirement_id', e.requirement_id,
                   'expires_on', e.expires_on, 'revoked_on', (e.revoked_at AT TIME ZONE 'UTC')::date,
                   'revoked_at', (extract(epoch FROM e.revoked_at) * 1000000)::bigint,
                   'requirement_not_met', coco_not_fully_met(r.level, r.answer))
                   ORDER BY e.created_at, e.id), '[]')
          INTO v_exceptions
          FROM risk_exceptions e
          JOIN responses r ON r.assessment_id = e.assessment_id AND r.requirement_id = e.requirement_id
         WHERE e.assessment_id = v_gov.id;

        -- Per requirement the relied-on file that lapses last (none when any never lapses).
        WITH last_per_requirement AS (
            SELECT DISTINCT ON (f.requirement_id) f.requirement_id, f.must, f.evidence_id,
                   f.lapses_on
              FROM coco_relied_on_evidence(v_gov.id) f
             ORDER BY f.requirement_id, f.lapses_on DESC NULLS FIRST, f.evidence_id
        )
        SELECT COALESCE(jsonb_agg(jsonb_build_object('requirement_id', requirement_id, 'must', must,
                   'evidence_id', evidence_id, 'lapses_on', lapses_on) ORDER BY requirement_id), '[]')
          INTO v_evidence
          FROM last_per_requirement WHERE lapses_on IS NOT NULL;

        SELECT COALESCE(jsonb_agg(jsonb_build_object('id', t.id, 'occurred_on', t.occurred_on,
                   'recorded_at', (extract(epoch FROM t.recorded_at) * 1000000)::bigint)
                   ORDER BY t.recorded_at, t.id), '[]')
          INTO v_triggers
          FROM triggers t WHERE t.service_id = p_service AND t.recorded_at > v_gov.decided_at;

        SELECT min(d) INTO v_earliest FROM (
            SELECT v_gov.valid_until AS d
            UNION ALL SELECT (x ->> 'due_date')::date FROM jsonb_array_elements(v_actions) x
                       WHERE NOT (x ->> 'verified')::boolean
            UNION ALL SELECT LEAST((x ->> 'expires_on')::date, (x ->> 'revoked_on')::date - 1)
                        FROM jsonb_array_elements(v_exceptions) x
                       WHERE (x ->> 'requirement_not_met')::boolean
                         -- only exceptions the approval relied on (docs/status.md)
                         AND (x ->> 'expires_on')::date >= (v_gov.decided_at AT TIME ZONE 'UTC')::date
                         AND (x ->> 'revoked_at' IS NULL OR
                              (x ->> 'revoked_at')::bigint > (extract(epoch FROM v_gov.decided_at) * 1000000)::bigint)
            UNION ALL SELECT (x ->> 'lapses_on')::date FROM jsonb_array_elements(v_evidence) x
                       WHERE (x ->> 'must')::boolean
        ) dates;
    END IF;

    INSERT INTO status_projection AS p (service_id, standard_key, supplier_id, governing_id,
        governing_version, decided_at, valid_until, suspended, approval_profile_hash, rejected_id,
        rejected_on, open_id, actions, exceptions, evidence, triggers, earliest_lapse)
    VALUES (p_service, p_standard, v_supplier, v_gov.id, v_gov.standard_version, v_gov.decided_at,
        v_gov.valid_until, v_gov.suspended_at IS NOT NULL, v_gov.profile_hash,
        CASE WHEN v_newest.state = 'rejected' THEN v_newest.id END,
        CASE WHEN v_newest.state = 'rejected' THEN (v_newest.decided_at AT TIME ZONE 'UTC')::date END,
        v_open, v_actions, v_exceptions, v_evidence, v_triggers, v_earliest)
    ON CONFLICT (service_id, standard_key) DO UPDATE SET
        governing_id = EXCLUDED.governing_id, governing_version = EXCLUDED.governing_version,
        decided_at = EXCLUDED.decided_at, valid_until = EXCLUDED.valid_until,
        suspended = EXCLUDED.suspended, approval_profile_hash = EXCLUDED.approval_profile_hash,
        rejected_id = EXCLUDED.rejected_id, rejected_on = EXCLUDED.rejected_on,
        open_id = EXCLUDED.open_id, actions = EXCLUDED.actions, exceptions = EXCLUDED.exceptions,
        evidence = EXCLUDED.evidence, triggers = EXCLUDED.triggers,
        earliest_lapse = EXCLUDED.earliest_lapse;
END
$$;
