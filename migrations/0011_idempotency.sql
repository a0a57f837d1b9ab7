-- Idempotency-Key records (OPERATIONS.md "Abuse and retries"). A row is claimed inside the
-- transaction of the write it guards (the audit append inserts it), so the created row and the
-- claim commit or roll back together: a retry after a lost response finds the claim and never
-- writes a second row. The response is stored just after commit and replayed to later retries.
-- Kept in PostgreSQL so the guarantee holds across nodes and restarts.

CREATE TABLE idempotency_keys (
    user_id          uuid NOT NULL,
    key              text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    -- SHA-256 hex of method, path, query, content type and body.
    fingerprint      text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    -- Random per request: tells the claiming request's own appends from another's.
    claim_id         text NOT NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    -- What the first audit event of the claiming transaction named, for an answer when the
    -- response itself is not kept.
    entity           text,
    entity_id        text,
    -- NULL until the response is stored. response_kept is false for responses that say
    -- Cache-Control: no-store (a token's one-time secret is never kept).
    response_status  integer,
    response_kept    boolean NOT NULL DEFAULT false,
    content_type     text,
    -- "Name: value" lines.
    response_headers text,
    response_body    text,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
