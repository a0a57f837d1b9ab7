-- The review side's first step (DESIGN.md §2): an assessor claims a submitted assessment, which
-- goes back to the queue on release; a resubmission records who reviewed it before.

ALTER TABLE assessments
    ADD COLUMN claimed_by uuid REFERENCES users (id),
    ADD COLUMN claimed_at timestamptz,
    ADD COLUMN previous_assessor uuid REFERENCES users (id),
    ADD CONSTRAINT assessments_claim CHECK ((state = 'in_review') = (claimed_by IS NOT NULL));

-- The review queue: submitted and in-review assessments, oldest submission first.
CREATE INDEX assessments_queue_idx ON assessments (submitted_at, id)
    WHERE state IN ('submitted', 'in_review');
