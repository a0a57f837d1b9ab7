-- Issue #16: webhook subscriptions and their delivery log (docs/notifications.md).

-- A subscription: its owner's reading rights bound what it receives (a supplier user's always
-- names their supplier). `cursor` is the last event id its deliveries were made through; it
-- starts at the newest event, so a subscription receives what happens after it was made.
CREATE TABLE webhooks (
    id              uuid PRIMARY KEY,
    owner_id        uuid NOT NULL REFERENCES users (id),
    url             text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    event_types     text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 50),
    supplier_id     uuid REFERENCES suppliers (id),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    -- The signing secret, "whsec_" and base64: kept to sign with, shown once, never logged.
    secret          text NOT NULL,
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text,
    cursor          bigint NOT NULL,
    created_at      timestamptz NOT NULL,
    version         bigint NOT NULL DEFAULT 1
);
CREATE INDEX webhooks_owner_idx ON webhooks (owner_id, created_at, id);

-- One message to one subscriber, tried until delivered or dead. `seq` orders each webhook's
-- deliveries of one supplier: only the oldest not yet delivered or dead is sent.
CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY,
    seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    webhook_id      uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id        bigint REFERENCES events (id),
    event_type      text NOT NULL,
    supplier_id     uuid,
    payload         text NOT NULL,
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_queue_idx ON webhook_deliveries (webhook_id, supplier_id, seq)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, created_at, id);
