-- Webhooks coco disabled, to be told to their owners by e-mail (docs/notifications.md "E-mail").
-- A row is written in the transaction that disables the webhook, so no disabling is missed, and
-- deleted by the mail round in the transaction that stores the owner's mail, so none is told
-- twice. `version` is the webhook's version the disabling made: a webhook disabled, enabled and
-- disabled again is told twice.
CREATE TABLE mail_webhooks_disabled (
    webhook_id  uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    version     bigint NOT NULL,
    disabled_at timestamptz NOT NULL,
    PRIMARY KEY (webhook_id, version)
);
CREATE INDEX mail_webhooks_disabled_order_idx ON mail_webhooks_disabled (disabled_at);
