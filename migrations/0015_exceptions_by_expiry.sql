-- GET /exceptions lists exceptions across suppliers by expires_on, soonest first, a page at a
-- time: the keyset order (expires_on, id).
CREATE INDEX risk_exceptions_expiry_idx ON risk_exceptions (expires_on, id);
