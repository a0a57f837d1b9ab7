-- Self-assessments (DESIGN.md §2): one service against one pinned standard version, with one
-- response per applicable requirement.

CREATE TABLE assessments (
    id               uuid PRIMARY KEY,
    service_id       uuid NOT NULL REFERENCES services (id),
    supplier_id      uuid NOT NULL REFERENCES suppliers (id),
    standard_key     text NOT NULL,
    standard_version text NOT NULL,
    state            text NOT NULL CHECK (state IN ('draft', 'submitted', 'in_review',
                         'changes_requested', 'approved', 'rejected', 'withdrawn', 'superseded')),
    profile_hash     text NOT NULL,
    created_by       uuid NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    submitted_at     timestamptz,
    version          bigint NOT NULL DEFAULT 1,
    FOREIGN KEY (standard_key, standard_version) REFERENCES standards (key, version)
);
-- At most one open assessment per service and standard.
CREATE UNIQUE INDEX assessments_one_open ON assessments (service_id, standard_key)
    WHERE state IN ('draft', 'submitted', 'in_review', 'changes_requested');
CREATE INDEX assessments_supplier_idx ON assessments (supplier_id, created_at, id);
CREATE INDEX assessments_service_idx ON assessments (service_id, standard_key);

CREATE TABLE responses (
    assessment_id    uuid NOT NULL REFERENCES assessments (id),
    requirement_id   text NOT NULL,
    position         integer NOT NULL,
    level            text NOT NULL CHECK (level IN ('MUST', 'SHOULD')),
    answer           text CHECK (answer IN ('met', 'partially_met', 'not_met', 'not_applicable')),
    justification    text NOT NULL DEFAULT '',
    remediation_plan text,
    remediation_due  date,
    version          bigint NOT NULL DEFAULT 1,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (assessment_id, requirement_id),
    CONSTRAINT responses_remediation CHECK ((remediation_plan IS NULL) = (remediation_due IS NULL))
);

CREATE TABLE response_evidence (
    assessment_id  uuid NOT NULL,
    requirement_id text NOT NULL,
    evidence_id    uuid NOT NULL REFERENCES evidence (id),
    position       integer NOT NULL,
    PRIMARY KEY (assessment_id, requirement_id, evidence_id),
    FOREIGN KEY (assessment_id, requirement_id) REFERENCES responses (assessment_id, requirement_id)
        ON DELETE CASCADE
);
