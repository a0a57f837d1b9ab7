-- The status benchmark's data (issue #6): 10,000 suppliers, each with one connected service and
-- three approved assessments (COCO, CRYPTOGRAPHY, SUPPLIER: what the profile requires), each
-- with one response and, for one in ten suppliers, an open action, so the projection rows carry
-- facts to parse. Run after migrations and the catalogue import:
--   psql -v suppliers=10000 -v assessor="'<user uuid>'" -f bench/seed_status.sql
-- The projection is filled through coco_refresh_status, the same function the server's writes
-- call.
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE seed_suppliers AS
SELECT gen_random_uuid() AS supplier_id, gen_random_uuid() AS service_id, n
  FROM generate_series(1, :suppliers) AS n;

INSERT INTO suppliers (id, name, contact_email)
SELECT supplier_id, 'Supplier ' || n, 'security' || n || '@supplier.example' FROM seed_suppliers;

INSERT INTO services (id, supplier_id, name, contract_ref, contract_start, contract_end,
                      classification, connects_to_network, personal_data, offshore, hmg_crypto,
                      operates_pki, profile_hash, required_standards)
SELECT service_id, supplier_id, 'Service ' || n, 'CT-' || n, current_date - 100, current_date + 600,
       'OFFICIAL', true, true, '{}', false, false, encode(sha256(('profile' || n)::bytea), 'hex'),
       -- what the shipped catalogue requires of a connected, onshore profile
       '{COCO,CRYPTOGRAPHY,SUPPLIER}'
  FROM seed_suppliers;

-- A user and a token per supplier, as a real deployment has: with one token in the table the
-- planner reads it with a sequential scan, which a real token table never gets. The secrets are
-- random and thrown away, so these tokens can never be used.
INSERT INTO users (id, name, email, role, supplier_id)
SELECT gen_random_uuid(), 'Security lead ' || n, 'lead' || n || '@supplier.example', 'supplier',
       supplier_id
  FROM seed_suppliers;
INSERT INTO tokens (user_id, name, secret_sha256, expires_at)
SELECT u.id, 'seeded', encode(sha256(gen_random_uuid()::text::bytea), 'hex'), now() + interval '90 days'
  FROM users u JOIN seed_suppliers s ON s.supplier_id = u.supplier_id;

CREATE TEMP TABLE seed_assessments AS
SELECT gen_random_uuid() AS id, s.supplier_id, s.service_id, k.key, s.n
  FROM seed_suppliers s CROSS JOIN (VALUES ('COCO'), ('CRYPTOGRAPHY'), ('SUPPLIER')) AS k(key);

INSERT INTO assessments (id, service_id, supplier_id, standard_key, standard_version, state,
                         profile_hash, created_by, created_at, submitted_at, decided_at,
                         decided_by, valid_until)
SELECT a.id, a.service_id, a.supplier_id, a.key, '1.0', 'approved',
       encode(sha256(('profile' || a.n)::bytea), 'hex'), :assessor,
       now() - interval '40 days', now() - interval '35 days', now() - interval '30 days',
       :assessor, current_date + 300 + (a.n % 60)
  FROM seed_assessments a;

-- One response per assessment (the first requirement of its standard), accepted.
INSERT INTO responses (assessment_id, requirement_id, position, level, answer, justification,
                       updated_at, verdict, reviewed_by, reviewed_at)
SELECT a.id, r.id, 1, r.level, 'not_met', 'seeded', now(), 'accepted', :assessor, now()
  FROM seed_assessments a
  JOIN requirements r ON r.standard_key = a.key AND r.standard_version = '1.0' AND r.position = 1;

INSERT INTO actions (id, assessment_id, supplier_id, service_id, standard_key, requirement_id,
                     description, due_date, state, created_at)
SELECT gen_random_uuid(), a.id, a.supplier_id, a.service_id, a.key, r.id, 'seeded condition',
       current_date + 90 + (a.n % 30), 'open', now()
  FROM seed_assessments a
  JOIN requirements r ON r.standard_key = a.key AND r.standard_version = '1.0' AND r.position = 1
 WHERE a.n % 10 = 0;

COMMIT;

-- Refreshed in transactions of 500: each refresh holds an advisory lock until its transaction
-- ends, and 30,000 of them would not fit in one.
DO $$
DECLARE
    row record;
    done integer := 0;
BEGIN
    FOR row IN SELECT service_id, key FROM seed_assessments ORDER BY service_id, key LOOP
        PERFORM coco_refresh_status(row.service_id, row.key);
        done := done + 1;
        IF done % 500 = 0 THEN COMMIT; END IF;
    END LOOP;
END $$;
ANALYZE;
