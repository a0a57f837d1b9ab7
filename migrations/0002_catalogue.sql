-- The standards catalogue (DESIGN.md §2): published versions of each standard and their
-- requirements, immutable once imported. Assessments will pin (standard_key, standard_version).

CREATE TABLE standards (
    key                    text NOT NULL
                           CHECK (key IN ('COCO', 'OFFSHORING', 'CRYPTOGRAPHY', 'SUPPLIER')),
    version                text NOT NULL CHECK (version ~ '^[0-9]+\.[0-9]+$'),
    title                  text NOT NULL,
    description            text NOT NULL DEFAULT '',
    source_document        text NOT NULL,
    source_clause          text NOT NULL DEFAULT '',
    source_date            text NOT NULL,
    legacy                 boolean NOT NULL DEFAULT false,
    review_interval_months integer NOT NULL CHECK (review_interval_months > 0),
    applies_when           text NOT NULL DEFAULT '',
    -- Requirement counts by level, fixed at import (a version never changes), so listing the
    -- catalogue reads a handful of rows instead of aggregating every requirement.
    must_count             integer NOT NULL CHECK (must_count >= 0),
    should_count           integer NOT NULL CHECK (should_count >= 0),
    -- SHA-256 of the file's canonical JSON: a re-import with other content is refused.
    content_sha256         text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    imported_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key, version)
);

CREATE TABLE requirements (
    standard_key     text NOT NULL,
    standard_version text NOT NULL,
    id               text NOT NULL CHECK (id ~ '^(COCO|OFF|CRYPTO|SUP)-[0-9]{2}$'),
    position         integer NOT NULL,
    title            text NOT NULL,
    text             text NOT NULL,
    level            text NOT NULL CHECK (level IN ('MUST', 'SHOULD')),
    evidence_kinds   text[] NOT NULL DEFAULT '{}',
    source_document  text NOT NULL,
    source_clause    text NOT NULL DEFAULT '',
    source_date      text NOT NULL,
    legacy           boolean NOT NULL DEFAULT false,
    thresholds       jsonb NOT NULL DEFAULT '{}',
    notes            text NOT NULL DEFAULT '',
    applies_when     text NOT NULL DEFAULT '',
    PRIMARY KEY (standard_key, standard_version, id),
    UNIQUE (standard_key, standard_version, position),
    FOREIGN KEY (standard_key, standard_version) REFERENCES standards (key, version)
);
