-- Issue #14: one source of truth for the status rules, the status journal, and the events outbox
-- (docs/status.md "History", "Events"). The functions that use these tables are repeatable
-- migrations under migrations/functions/.

-- Which standards the service's profile requires: the domain evaluates each standard's
-- applies_when (its latest version) when the profile is written and when a standard version is
-- imported, and stores the keys here; every SQL read uses this column. NULL until evaluated:
-- services from before this migration are evaluated by `coco migrate` and `coco serve` at start.
ALTER TABLE services ADD COLUMN required_standards text[];

-- A file's lapse date is evidence.lapses_on, set by the domain at upload (domain/evidence).
DROP FUNCTION coco_evidence_lapse(text, date, date);

-- The journal: one row per change of a (service, standard), service or supplier status. A status
-- that stops being part of the supplier's status (a standard no longer required) has to_status
-- NULL; one that starts has from_status NULL. Append-only (a trigger refuses UPDATE and DELETE).
CREATE TABLE status_changes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    supplier_id  uuid NOT NULL REFERENCES suppliers (id),
    service_id   uuid REFERENCES services (id),
    standard_key text,
    effective_at timestamptz NOT NULL,
    from_status  text,
    to_status    text,
    base_status  text,
    reasons      jsonb NOT NULL,
    cause_kind   text NOT NULL CHECK (cause_kind IN ('write', 'date')),
    audit_seq    bigint,
    rule         text,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (standard_key IS NULL OR service_id IS NOT NULL),
    CHECK ((cause_kind = 'date') = (rule IS NOT NULL)),
    CHECK (from_status IS DISTINCT FROM to_status)
);
CREATE INDEX status_changes_supplier_idx ON status_changes (supplier_id, effective_at, id);

-- The facts a supplier's status was computed from, from the moment they held: a read of a past
-- day evaluates the facts in force at its end (the newest row, by id, effective by then; ids
-- follow commit order, as rows are added under the journal's lock). `encoding` names the layout
-- of `facts` (docs/status.md); a decoder refuses one it does not know.
CREATE TABLE status_facts_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    supplier_id  uuid NOT NULL REFERENCES suppliers (id),
    effective_at timestamptz NOT NULL,
    encoding     int NOT NULL DEFAULT 1,
    facts        text NOT NULL
);
CREATE INDEX status_facts_history_idx ON status_facts_history (supplier_id, id);

-- Per supplier: the day its status was last evaluated for the journal, and the first day after
-- it on which any of its statuses changes by itself (the scheduler's work list).
CREATE TABLE status_journal (
    supplier_id  uuid PRIMARY KEY REFERENCES suppliers (id),
    evaluated_on date NOT NULL,
    next_change  date
);
CREATE INDEX status_journal_due_idx ON status_journal (next_change) WHERE next_change IS NOT NULL;

-- Suppliers whose facts changed in a transaction and are not journalled yet. coco's writes
-- journal their own rows before they commit; rows left here by other writers (an operator's
-- psql, a bulk load) are journalled by the scheduler.
CREATE TABLE status_pending (
    supplier_id uuid NOT NULL,
    xact        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    queued_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (supplier_id, xact)
);

-- The outbox: every user-visible change, in the same transaction as the change. Ids are handed
-- out under the journal's lock (persistence/pg_status_journal.cpp), so they grow in commit order
-- and a reader polling `after` the last id it saw misses nothing.
CREATE TABLE events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type        text NOT NULL,
    supplier_id uuid NOT NULL REFERENCES suppliers (id),
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    data        jsonb NOT NULL,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX events_supplier_idx ON events (supplier_id, id);
