-- Webhook delivery reads the heads of the delivery queues in `seq` order and stops at the round's
-- limit (persistence/pg_webhook_repository.cpp "webhook_due"). Indexed by next_attempt_at, a
-- burst of 30,000 pending deliveries made each round visit and probe all of them: 45 ms a round,
-- most of PostgreSQL's work during bench/run_webhooks.sh. In `seq` order a round visits about
-- as many rows as it sends.
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (seq) WHERE state = 'pending';
DROP INDEX webhook_deliveries_due_idx;
