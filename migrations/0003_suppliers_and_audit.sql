-- Suppliers (the tenant boundary), their services with scope profiles, and the hash-chained
-- audit trail every mutation appends to (DESIGN.md §2, §4).

CREATE TABLE suppliers (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    companies_house_number text CHECK (companies_house_number ~ '^[A-Z0-9]{8}$'),
    contact_email          text NOT NULL CHECK (length(contact_email) BETWEEN 3 AND 254),
    state                  text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'offboarded')),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    version                bigint NOT NULL DEFAULT 1
);
CREATE INDEX suppliers_created_idx ON suppliers (created_at, id);

ALTER TABLE users
    ADD CONSTRAINT users_supplier_fk FOREIGN KEY (supplier_id) REFERENCES suppliers (id),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX users_created_idx ON users (created_at, id);
CREATE INDEX users_supplier_idx ON users (supplier_id) WHERE supplier_id IS NOT NULL;

CREATE TABLE services (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    supplier_id         uuid NOT NULL REFERENCES suppliers (id),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    contract_ref        text CHECK (length(contract_ref) BETWEEN 1 AND 100),
    contract_start      date,
    contract_end        date,
    classification      text NOT NULL CHECK (classification IN ('OFFICIAL', 'OFFICIAL_SENSITIVE')),
    connects_to_network boolean NOT NULL,
    personal_data       boolean NOT NULL,
    -- Offshore entries as 'COUNTRY:activity' ('IN:hosting'), validated by the domain.
    offshore            text[] NOT NULL DEFAULT '{}',
    hmg_crypto          boolean NOT NULL,
    operates_pki        boolean NOT NULL,
    -- SHA-256 of the canonical profile; assessments record the one they were scoped on.
    profile_hash        text NOT NULL CHECK (profile_hash ~ '^[0-9a-f]{64}$'),
    profile_changed_at  timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    version             bigint NOT NULL DEFAULT 1,
    CONSTRAINT services_contract_dates CHECK (contract_end IS NULL OR contract_start IS NULL
                                              OR contract_end >= contract_start)
);
CREATE INDEX services_supplier_idx ON services (supplier_id, created_at, id);

-- Every profile a service has had, so approvals scoped on an older one can be found stale.
CREATE TABLE service_profile_changes (
    service_id   uuid NOT NULL REFERENCES services (id),
    changed_at   timestamptz NOT NULL DEFAULT now(),
    old_hash     text,
    new_hash     text NOT NULL,
    changed_by   uuid NOT NULL REFERENCES users (id)
);
CREATE INDEX service_profile_changes_idx ON service_profile_changes (service_id, changed_at);

-- The audit trail: append-only, one gap-free SHA-256 chain. hash = SHA-256(prev_hash || the
-- canonical JSON of the other fields). `detail` holds changed fields only: never secrets,
-- evidence bytes or comment text.
CREATE TABLE audit_events (
    seq           bigint PRIMARY KEY CHECK (seq > 0),
    at            timestamptz NOT NULL,
    actor_user_id uuid NOT NULL,
    actor_role    text NOT NULL,
    action        text NOT NULL,
    entity        text NOT NULL,
    entity_id     text NOT NULL,
    -- The supplier the entity belongs to (for scoping reads), if any.
    supplier_id   uuid,
    request_id    text NOT NULL,
    detail        text NOT NULL,
    prev_hash     text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash          text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_entity_idx ON audit_events (entity, entity_id, seq);
CREATE INDEX audit_supplier_idx ON audit_events (supplier_id, seq) WHERE supplier_id IS NOT NULL;
CREATE INDEX audit_actor_idx ON audit_events (actor_user_id, seq);

-- The chain head: one row, locked as the last statement of each writing transaction, so writers
-- serialise only on the append itself.
CREATE TABLE audit_head (
    id   boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq  bigint NOT NULL,
    hash text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (true, 0, repeat('0', 64));

-- Checkpoints of verified chain prefixes, so /audit/verify need not rehash from the start.
CREATE TABLE audit_checkpoints (
    seq         bigint PRIMARY KEY,
    hash        text NOT NULL,
    verified_at timestamptz NOT NULL DEFAULT now()
);
