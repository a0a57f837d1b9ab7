-- The review side (DESIGN.md §2, docs/review-side.md): verdicts with their history, requests for
-- changes, decisions and suspension, remediation actions, risk exceptions, reassessment triggers
-- and the case's comment thread.

ALTER TABLE assessments
    ADD COLUMN changes_summary text,
    ADD COLUMN decided_at      timestamptz,
    ADD COLUMN decided_by      uuid REFERENCES users (id),
    ADD COLUMN valid_until     date,
    ADD COLUMN decision_reason text,
    ADD COLUMN suspended_at    timestamptz,
    ADD COLUMN suspended_by    uuid REFERENCES users (id),
    ADD COLUMN suspension_reason text,
    ADD CONSTRAINT assessments_decided
        CHECK ((state IN ('approved', 'rejected', 'superseded')) = (decided_at IS NOT NULL)),
    ADD CONSTRAINT assessments_valid_until
        CHECK ((state IN ('approved', 'superseded')) = (valid_until IS NOT NULL)),
    ADD CONSTRAINT assessments_suspension
        CHECK ((suspended_at IS NULL OR state IN ('approved', 'superseded'))
               AND (suspended_at IS NULL) = (suspension_reason IS NULL));

-- The governing approval is unique per service and standard.
CREATE UNIQUE INDEX assessments_one_approved ON assessments (service_id, standard_key)
    WHERE state = 'approved';

ALTER TABLE responses
    ADD COLUMN verdict          text CHECK (verdict IN ('accepted', 'rejected', 'query')),
    ADD COLUMN review_comment   text,
    ADD COLUMN reviewed_by      uuid REFERENCES users (id),
    ADD COLUMN reviewed_at      timestamptz,
    ADD COLUMN open_for_changes boolean NOT NULL DEFAULT false,
    ADD COLUMN reopened         boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT responses_review CHECK ((verdict IS NULL) = (reviewed_at IS NULL));

-- Every verdict ever given, so a resubmission keeps the earlier rounds visible.
CREATE TABLE response_reviews (
    assessment_id  uuid NOT NULL,
    requirement_id text NOT NULL,
    seq            integer NOT NULL,
    verdict        text NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'query')),
    comment        text,
    reviewed_by    uuid NOT NULL REFERENCES users (id),
    reviewed_at    timestamptz NOT NULL,
    PRIMARY KEY (assessment_id, requirement_id, seq),
    FOREIGN KEY (assessment_id, requirement_id) REFERENCES responses (assessment_id, requirement_id)
);

CREATE TABLE actions (
    id              uuid PRIMARY KEY,
    assessment_id   uuid NOT NULL REFERENCES assessments (id),
    supplier_id     uuid NOT NULL REFERENCES suppliers (id),
    service_id      uuid NOT NULL REFERENCES services (id),
    standard_key    text NOT NULL,
    requirement_id  text NOT NULL,
    description     text NOT NULL,
    due_date        date NOT NULL,
    state           text NOT NULL CHECK (state IN ('open', 'done', 'verified')),
    completion_note text,
    completed_at    timestamptz,
    completed_by    uuid REFERENCES users (id),
    verified_at     timestamptz,
    verified_by     uuid REFERENCES users (id),
    reopen_reason   text,
    created_at      timestamptz NOT NULL,
    version         bigint NOT NULL DEFAULT 1,
    FOREIGN KEY (assessment_id, requirement_id) REFERENCES responses (assessment_id, requirement_id),
    CONSTRAINT actions_completion CHECK ((state = 'open') = (completed_at IS NULL)),
    CONSTRAINT actions_verification CHECK ((state = 'verified') = (verified_at IS NOT NULL))
);
CREATE INDEX actions_due_idx ON actions (due_date, id);
CREATE INDEX actions_supplier_idx ON actions (supplier_id, due_date, id);
CREATE INDEX actions_assessment_idx ON actions (assessment_id);

CREATE TABLE action_evidence (
    action_id   uuid NOT NULL REFERENCES actions (id),
    evidence_id uuid NOT NULL REFERENCES evidence (id),
    position    integer NOT NULL,
    PRIMARY KEY (action_id, evidence_id)
);

CREATE TABLE risk_exceptions (
    id             uuid PRIMARY KEY,
    assessment_id  uuid NOT NULL REFERENCES assessments (id),
    supplier_id    uuid NOT NULL REFERENCES suppliers (id),
    service_id     uuid NOT NULL REFERENCES services (id),
    standard_key   text NOT NULL,
    requirement_id text NOT NULL,
    reason         text NOT NULL,
    approved_by    uuid NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL,
    expires_on     date NOT NULL,
    revoked_at     timestamptz,
    revoked_by     uuid REFERENCES users (id),
    version        bigint NOT NULL DEFAULT 1,
    FOREIGN KEY (assessment_id, requirement_id) REFERENCES responses (assessment_id, requirement_id),
    CONSTRAINT risk_exceptions_revocation CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX risk_exceptions_assessment_idx ON risk_exceptions (assessment_id, created_at, id);

CREATE TABLE triggers (
    id          uuid PRIMARY KEY,
    service_id  uuid NOT NULL REFERENCES services (id),
    supplier_id uuid NOT NULL REFERENCES suppliers (id),
    kind        text NOT NULL CHECK (kind IN ('incident', 'major_change', 'new_subcontractor',
                    'new_offshore_location', 'certificate_revoked', 'other')),
    occurred_on date NOT NULL,
    note        text NOT NULL,
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL
);
CREATE INDEX triggers_service_idx ON triggers (service_id, recorded_at, id);

CREATE TABLE comments (
    id            uuid PRIMARY KEY,
    assessment_id uuid NOT NULL REFERENCES assessments (id),
    supplier_id   uuid NOT NULL REFERENCES suppliers (id),
    author_id     uuid NOT NULL REFERENCES users (id),
    author_role   text NOT NULL,
    body          text NOT NULL,
    internal      boolean NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX comments_assessment_idx ON comments (assessment_id, created_at, id);
