-- GET /suppliers/{id}/exceptions lists a supplier's exceptions over all its assessments, oldest
-- first, a page at a time: the same keyset order as the list of one assessment's.
CREATE INDEX risk_exceptions_supplier_idx ON risk_exceptions (supplier_id, created_at, id);
