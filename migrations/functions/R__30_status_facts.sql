-- The status facts row (docs/status.md "One facts row per supplier"): the one encoding of what a
-- supplier's status is computed from, built here and decoded by persistence/pg_status.cpp. The
-- deferred constraint triggers that call coco_refresh_status_facts are in migration 0010.
-- Encoding 1 (status_facts_history.encoding): see docs/status.md.

-- A field: its length in bytes, ':', then the bytes; '~' for null.
CREATE OR REPLACE FUNCTION coco_field(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN '~' ELSE octet_length(value) || ':' || value END
$$;

-- A date as YYYY-MM-DD whatever the writing session's DateStyle (date::text follows it).
CREATE OR REPLACE FUNCTION coco_date_field(value date) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coco_field(to_char(value, 'YYYY-MM-DD'))
$$;

-- A JSON array of objects as a count, then each item's fields named by p_keys, in order (dates
-- in jsonb are ISO 8601 already).
CREATE OR REPLACE FUNCTION coco_list_facts(p_items jsonb, p_keys text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT coco_field(jsonb_array_length(p_items)::text)
        || COALESCE((SELECT string_agg(coco_field(item ->> key), '' ORDER BY n, i)
                       FROM jsonb_array_elements(p_items) WITH ORDINALITY AS items(item, n),
                            unnest(p_keys) WITH ORDINALITY AS keys(key, i)), '')
$$;

-- A text array as a count, then its items; '~' for null.
CREATE OR REPLACE FUNCTION coco_text_list(p_items text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_items IS NULL THEN '~'
                ELSE coco_field(cardinality(p_items)::text)
                     || COALESCE((SELECT string_agg(coco_field(item), '' ORDER BY n)
                                    FROM unnest(p_items) WITH ORDINALITY AS items(item, n)), '')
           END
$$;

-- One projection row: its columns, then its lists (migration 0008 describes their items).
CREATE OR REPLACE FUNCTION coco_projection_facts(p status_projection, p_profile_hash text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coco_field(p.standard_key) || coco_field(p.governing_id::text)
        || coco_field(p.governing_version)
        || coco_field(((extract(epoch FROM p.decided_at) * 1000000)::bigint)::text)
        || coco_date_field(p.valid_until) || coco_field(p.suspended::text)
        || coco_field((p.approval_profile_hash IS DISTINCT FROM p_profile_hash)::text)
        || coco_field(p.rejected_id::text) || coco_date_field(p.rejected_on)
        || coco_field(p.open_id::text)
        || coco_list_facts(p.actions, ARRAY['id', 'requirement_id', 'due_date', 'verified'])
        || coco_list_facts(p.exceptions, ARRAY['id', 'requirement_id', 'expires_on', 'revoked_at',
                                              'requirement_not_met'])
        || coco_list_facts(p.evidence, ARRAY['requirement_id', 'must', 'evidence_id', 'lapses_on'])
        || coco_list_facts(p.triggers, ARRAY['id', 'occurred_on', 'recorded_at'])
$$;

-- The supplier's facts: name, service count, then per service (in creation order) its columns,
-- the standards its profile requires, and its projection rows (in standard order). Null when
-- there is no such supplier.
CREATE OR REPLACE FUNCTION coco_supplier_facts(p_supplier uuid) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coco_field(sp.name)
        || coco_field((SELECT count(*) FROM services s WHERE s.supplier_id = sp.id)::text)
        || COALESCE((
            SELECT string_agg(
                       coco_field(s.id::text) || coco_field(s.name) || coco_field(s.contract_ref)
                    || coco_date_field(s.contract_start) || coco_date_field(s.contract_end)
                    || coco_text_list(s.required_standards)
                    || coco_field((SELECT count(*) FROM status_projection p
                                    WHERE p.service_id = s.id)::text)
                    || COALESCE((SELECT string_agg(coco_projection_facts(p, s.profile_hash), ''
                                                   ORDER BY p.standard_key)
                                   FROM status_projection p WHERE p.service_id = s.id), ''),
                       '' ORDER BY s.created_at, s.id)
              FROM services s WHERE s.supplier_id = sp.id), '')
      FROM suppliers sp WHERE sp.id = p_supplier
$$;

CREATE OR REPLACE FUNCTION coco_refresh_status_facts(p_supplier uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_facts   text;
    v_changed int;
BEGIN
    -- 1,024 lock buckets rather than one lock per supplier: a transaction touching many
    -- suppliers (an import, the benchmark's seed) must not run out of lock table slots.
    PERFORM pg_advisory_xact_lock(10, hashtext(p_supplier::text) & 1023);
    v_facts := coco_supplier_facts(p_supplier);
    IF v_facts IS NULL THEN
        DELETE FROM status_facts WHERE supplier_id = p_supplier;
        RETURN;
    END IF;
    INSERT INTO status_facts AS f (supplier_id, facts) VALUES (p_supplier, v_facts)
    ON CONFLICT (supplier_id) DO UPDATE SET facts = EXCLUDED.facts
     WHERE f.facts IS DISTINCT FROM EXCLUDED.facts;
    GET DIAGNOSTICS v_changed = ROW_COUNT;
    -- Changed facts may change a status: the journal (persistence/pg_status_journal.cpp) records
    -- it before this transaction commits, or the scheduler does for writers that do not journal.
    IF v_changed > 0 THEN
        INSERT INTO status_pending (supplier_id) VALUES (p_supplier) ON CONFLICT DO NOTHING;
    END IF;
END
$$;

-- For a row naming its supplier in the column TG_ARGV[0] (suppliers: id; services:
-- supplier_id): the supplier before and, if different, after the change.
CREATE OR REPLACE FUNCTION coco_status_facts_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_old uuid;
    v_new uuid;
BEGIN
    IF TG_OP <> 'INSERT' THEN v_old := (to_jsonb(OLD) ->> TG_ARGV[0])::uuid; END IF;
    IF TG_OP <> 'DELETE' THEN v_new := (to_jsonb(NEW) ->> TG_ARGV[0])::uuid; END IF;
    IF v_old IS NOT NULL THEN
        PERFORM coco_refresh_status_facts(v_old);
    END IF;
    IF v_new IS DISTINCT FROM v_old THEN
        PERFORM coco_refresh_status_facts(v_new);
    END IF;
    RETURN NULL;
END
$$;

-- For projection rows: the supplier their service belongs to now (coco_refresh_status never
-- rewrites a row's supplier_id).
CREATE OR REPLACE FUNCTION coco_status_facts_of_projection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM coco_refresh_status_facts(supplier_id) FROM services
      WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.service_id ELSE NEW.service_id END;
    RETURN NULL;
END
$$;

-- Rows built by an earlier definition are rebuilt with this one.
UPDATE status_facts SET facts = coco_supplier_facts(supplier_id)
 WHERE facts IS DISTINCT FROM coco_supplier_facts(supplier_id);
