-- Users and their API tokens (DESIGN.md §2, §4). Every token belongs to a user, so every audited
-- action has an actor. Token secrets are never stored: only their SHA-256.

CREATE TABLE users (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 320),
    role        text NOT NULL
                CHECK (role IN ('admin', 'assessor', 'risk_owner', 'procurement', 'supplier')),
    -- The supplier a supplier user belongs to; the foreign key arrives with the suppliers table.
    supplier_id uuid,
    -- Suppliers an assessor or risk owner declared a conflict of interest with.
    conflicts   uuid[] NOT NULL DEFAULT '{}',
    state       text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    version     bigint NOT NULL DEFAULT 1,
    CONSTRAINT users_supplier_matches_role
        CHECK ((role = 'supplier') = (supplier_id IS NOT NULL))
);

CREATE TABLE tokens (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL REFERENCES users (id),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    secret_sha256    text NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    revoked_at       timestamptz,
    -- The token that created this one, when a user made a token for itself (it may not outlive it).
    created_by_token uuid REFERENCES tokens (id),
    CONSTRAINT tokens_secret_unique UNIQUE (secret_sha256)
);

CREATE INDEX tokens_user_idx ON tokens (user_id);
