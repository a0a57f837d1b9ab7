-- Evidence files (DESIGN.md §2): immutable bytes stored once per SHA-256 within a supplier, and
-- one metadata row per upload. Bytes live in PostgreSQL behind the EvidenceRepository port, so
-- an object store can replace this table at scale.

CREATE TABLE evidence_blobs (
    supplier_id uuid NOT NULL REFERENCES suppliers (id),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size        bigint NOT NULL CHECK (size > 0),
    content     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (supplier_id, sha256)
);
-- Evidence is mostly PDFs and images, already compressed: storing it out of line without
-- pglz's attempt to compress it again keeps uploads at I/O speed (bench/run_upload.sh).
ALTER TABLE evidence_blobs ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE TABLE evidence (
    id          uuid PRIMARY KEY,
    supplier_id uuid NOT NULL REFERENCES suppliers (id),
    sha256      text NOT NULL,
    filename    text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    media_type  text NOT NULL CHECK (length(media_type) BETWEEN 3 AND 127),
    size        bigint NOT NULL CHECK (size > 0),
    kind        text NOT NULL CHECK (kind IN ('pen_test_report', 'it_health_check',
                    'iso27001_certificate', 'cyber_essentials_certificate',
                    'cyber_essentials_plus_certificate', 'policy', 'network_diagram', 'tls_scan',
                    'signed_code_of_connection', 'siro_approval', 'dpia', 'other')),
    issued_on   date,
    expires_on  date,
    -- The date the file stops counting (expires_on, else issued_on + 12 months for kinds that
    -- lapse yearly), kept for the status rules and `expiring_before` listings.
    lapses_on   date,
    uploaded_by uuid NOT NULL REFERENCES users (id),
    uploaded_at timestamptz NOT NULL,
    FOREIGN KEY (supplier_id, sha256) REFERENCES evidence_blobs (supplier_id, sha256),
    CONSTRAINT evidence_dates CHECK (expires_on IS NULL OR issued_on IS NULL OR expires_on >= issued_on)
);
CREATE INDEX evidence_supplier_idx ON evidence (supplier_id, uploaded_at, id);
CREATE INDEX evidence_lapse_idx ON evidence (supplier_id, lapses_on) WHERE lapses_on IS NOT NULL;
