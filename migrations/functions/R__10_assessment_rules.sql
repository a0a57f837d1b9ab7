-- The assessment rules the status SQL needs, each defined once for SQL (the domain's own
-- definitions are in domain/assessment/assessment.cpp; tests/pg/status_rules_pgtest.cpp holds the
-- two to the same answers).

-- The states in which an assessment is open: at most one per (service, standard).
CREATE OR REPLACE FUNCTION coco_open_assessment_states() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY['draft', 'submitted', 'in_review', 'changes_requested']
$$;

-- A MUST answered partially_met or not_met: approval needs a condition or an exception for it,
-- and an exception's expiry matters while it stays so.
CREATE OR REPLACE FUNCTION coco_not_fully_met(p_level text, p_answer text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_level = 'MUST' AND p_answer IN ('partially_met', 'not_met')
$$;

-- The files an assessment relies on: those attached to an accepted response answered met or
-- partially met, and those of its verified actions, each of one of the requirement's evidence
-- kinds. The status projection keeps, per requirement, the one that lapses last; the attestation
-- hashes those of MUST requirements.
CREATE OR REPLACE FUNCTION coco_relied_on_evidence(p_assessment uuid)
RETURNS TABLE (requirement_id text, must boolean, evidence_id uuid, sha256 text, lapses_on date)
LANGUAGE sql STABLE AS $$
    SELECT r.requirement_id, r.level = 'MUST', ev.id, ev.sha256, ev.lapses_on
      FROM assessments a
      JOIN responses r ON r.assessment_id = a.id
      JOIN requirements rq ON rq.standard_key = a.standard_key
                          AND rq.standard_version = a.standard_version AND rq.id = r.requirement_id
      JOIN LATERAL (
          SELECT re.evidence_id FROM response_evidence re
           WHERE re.assessment_id = r.assessment_id AND re.requirement_id = r.requirement_id
             AND r.verdict = 'accepted' AND r.answer IN ('met', 'partially_met')
          UNION ALL
          SELECT ae.evidence_id FROM actions ac JOIN action_evidence ae ON ae.action_id = ac.id
           WHERE ac.assessment_id = a.id AND ac.requirement_id = r.requirement_id
             AND ac.state = 'verified'
      ) files ON true
      JOIN evidence ev ON ev.id = files.evidence_id AND ev.kind = ANY (rq.evidence_kinds)
     WHERE a.id = p_assessment
$$;
