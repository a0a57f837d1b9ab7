-- The status journal, the facts it was computed from, and the events outbox are append-only:
-- a correction is a new row, never an edit (docs/status.md "History").

CREATE OR REPLACE FUNCTION coco_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

DROP TRIGGER IF EXISTS status_changes_append_only ON status_changes;
CREATE TRIGGER status_changes_append_only BEFORE UPDATE OR DELETE ON status_changes
    FOR EACH ROW EXECUTE FUNCTION coco_refuse_rewrite();
DROP TRIGGER IF EXISTS status_facts_history_append_only ON status_facts_history;
CREATE TRIGGER status_facts_history_append_only BEFORE UPDATE OR DELETE ON status_facts_history
    FOR EACH ROW EXECUTE FUNCTION coco_refuse_rewrite();
DROP TRIGGER IF EXISTS events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION coco_refuse_rewrite();
