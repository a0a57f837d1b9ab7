-- Assurance status (DESIGN.md §2, §6): one projection row per (service, standard) holding the
-- facts the status rules need, so a status read never rescans history. Every write that can
-- change a row calls coco_refresh_status in its own transaction; the date rules run at read
-- time (domain/status/status.hpp), so rows never go stale as days pass. Whether the profile
-- changed since the approval, and which standards the profile requires, are read from the
-- service row itself.

CREATE TABLE status_projection (
    service_id            uuid NOT NULL REFERENCES services (id),
    standard_key          text NOT NULL,
    supplier_id           uuid NOT NULL REFERENCES suppliers (id),
    -- The governing approval: the newest approved, not superseded assessment.
    governing_id          uuid REFERENCES assessments (id),
    governing_version     text,
    decided_at            timestamptz,
    valid_until           date,
    suspended             boolean NOT NULL DEFAULT false,
    approval_profile_hash text,
    -- Set when the newest decision (approved or rejected) is a rejection.
    rejected_id           uuid REFERENCES assessments (id),
    rejected_on           date,
    open_id               uuid REFERENCES assessments (id),
    -- [{id, requirement_id, due_date, verified}] of the governing approval.
    actions               jsonb NOT NULL DEFAULT '[]',
    -- [{id, requirement_id, expires_on, revoked_on, revoked_at (epoch microseconds),
    -- requirement_not_met}].
    exceptions            jsonb NOT NULL DEFAULT '[]',
    -- Relied-on evidence, one per requirement that lapses: [{requirement_id, must, evidence_id,
    -- lapses_on}].
    evidence              jsonb NOT NULL DEFAULT '[]',
    -- Triggers of the service recorded after the governing approval: [{id, occurred_on,
    -- recorded_at (epoch microseconds)}].
    triggers              jsonb NOT NULL DEFAULT '[]',
    -- The first day anything above can end the approval's standing (for lapsing_before).
    earliest_lapse        date,
    PRIMARY KEY (service_id, standard_key)
);
CREATE INDEX status_projection_supplier_idx ON status_projection (supplier_id);
CREATE INDEX status_projection_lapse_idx ON status_projection (earliest_lapse)
    WHERE earliest_lapse IS NOT NULL;

-- The last day a file of evidence stands (DESIGN.md §2 Evidence), NULL when it never lapses.
CREATE FUNCTION coco_evidence_lapse(kind text, issued_on date, expires_on date) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(expires_on,
        CASE WHEN kind IN ('pen_test_report', 'it_health_check', 'cyber_essentials_certificate',
                           'cyber_essentials_plus_certificate')
             THEN (issued_on + interval '12 months')::date END)
$$;

CREATE FUNCTION coco_refresh_status(p_service uuid, p_standard text) RETURNS void
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
    SELECT supplier_id INTO v_supplier FROM services WHERE id = p_service;
    SELECT * INTO v_gov FROM assessments
     WHERE service_id = p_service AND standard_key = p_standard AND state = 'approved';
    SELECT * INTO v_newest FROM assessments
     WHERE service_id = p_service AND standard_key = p_standard AND state IN ('approved', 'rejected')
     ORDER BY decided_at DESC, id DESC LIMIT 1;
    SELECT id INTO v_open FROM assessments
     WHERE service_id = p_service AND standard_key = p_standard
       AND state IN ('draft', 'submitted', 'in_review', 'changes_requested');

    IF v_gov.id IS NOT NULL THEN
        SELECT COALESCE(jsonb_agg(jsonb_build_object('id', a.id, 'requirement_id', a.requirement_id,
                   'due_date', a.due_date, 'verified', a.state = 'verified') ORDER BY a.due_date, a.id), '[]')
          INTO v_actions
          FROM actions a WHERE a.assessment_id = v_gov.id;

        SELECT COALESCE(jsonb_agg(jsonb_build_object('id', e.id, 'requirement_id', e.requirement_id,
                   'expires_on', e.expires_on, 'revoked_on', (e.revoked_at AT TIME ZONE 'UTC')::date,
                   'revoked_at', (extract(epoch FROM e.revoked_at) * 1000000)::bigint,
                   'requirement_not_met', r.level = 'MUST' AND r.answer IN ('partially_met', 'not_met'))
                   ORDER BY e.created_at, e.id), '[]')
          INTO v_exceptions
          FROM risk_exceptions e
          JOIN responses r ON r.assessment_id = e.assessment_id AND r.requirement_id = e.requirement_id
         WHERE e.assessment_id = v_gov.id;

        -- Files of accepted responses answered met or partially met, and of verified actions,
        -- of one of the requirement's kinds; per requirement the one that lapses last (none
        -- when any of them never lapses).
        WITH files AS (
            SELECT r.requirement_id, r.level = 'MUST' AS must, ev.id AS evidence_id,
                   coco_evidence_lapse(ev.kind, ev.issued_on, ev.expires_on) AS lapses_on
              FROM responses r
              JOIN response_evidence re ON re.assessment_id = r.assessment_id
                                       AND re.requirement_id = r.requirement_id
              JOIN evidence ev ON ev.id = re.evidence_id
              JOIN requirements rq ON rq.standard_key = v_gov.standard_key
                                  AND rq.standard_version = v_gov.standard_version
                                  AND rq.id = r.requirement_id
             WHERE r.assessment_id = v_gov.id AND r.verdict = 'accepted'
               AND r.answer IN ('met', 'partially_met') AND ev.kind = ANY (rq.evidence_kinds)
            UNION ALL
            SELECT a.requirement_id, r.level = 'MUST', ev.id,
                   coco_evidence_lapse(ev.kind, ev.issued_on, ev.expires_on)
              FROM actions a
              JOIN responses r ON r.assessment_id = a.assessment_id AND r.requirement_id = a.requirement_id
              JOIN action_evidence ae ON ae.action_id = a.id
              JOIN evidence ev ON ev.id = ae.evidence_id
              JOIN requirements rq ON rq.standard_key = v_gov.standard_key
                                  AND rq.standard_version = v_gov.standard_version
                                  AND rq.id = a.requirement_id
             WHERE a.assessment_id = v_gov.id AND a.state = 'verified'
               AND ev.kind = ANY (rq.evidence_kinds)
        ), last_per_requirement AS (
            SELECT DISTINCT ON (requirement_id) requirement_id, must, evidence_id, lapses_on
              FROM files
             ORDER BY requirement_id, lapses_on DESC NULLS FIRST, evidence_id
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
