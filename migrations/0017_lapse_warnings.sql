-- Lapse warnings (docs/status.md "Lapse warnings"): `status.lapsing` when a supplier's status
-- will get worse in 30, 7 or 1 days, once per threshold.

-- The next day the journal must look at a supplier again for a warning, beside next_change.
ALTER TABLE status_journal ADD COLUMN next_warning date;
CREATE INDEX status_journal_warning_idx ON status_journal (next_warning)
    WHERE next_warning IS NOT NULL;
-- Every supplier journalled before this release is looked at once in the next round, so that a
-- lapse already near is warned of rather than found only when it happens.
UPDATE status_journal SET next_warning = evaluated_on;

-- The thresholds announced, one row each: the key makes "once per threshold" hold across
-- restarts, retries and several nodes (rows are inserted under the journal's lock).
CREATE TABLE status_lapse_warnings (
    supplier_id uuid NOT NULL REFERENCES suppliers (id),
    worsens_on  date NOT NULL,
    threshold   smallint NOT NULL CHECK (threshold IN (1, 7, 30)),
    warned_at   timestamptz NOT NULL,
    PRIMARY KEY (supplier_id, worsens_on, threshold)
);
