-- Public halves of the attestation signing keys (docs/operations.md, "Signing keys"). Every node
-- serves /.well-known/jwks.json from this table, so a rotation made on one node is published by
-- all, and a database backup carries every key an old attestation may need. Private keys are
-- never stored here: only the key file (COCO_SIGNING_KEY) holds the one that signs.

CREATE TABLE signing_keys (
    -- First 16 hex characters of the SHA-256 of the raw public key (the JWS "kid").
    kid         text PRIMARY KEY CHECK (kid ~ '^[0-9a-f]{16}$'),
    algorithm   text NOT NULL CHECK (algorithm = 'EdDSA'),
    -- The raw 32-byte Ed25519 public key, base64url without padding (the JWK "x").
    public_key  text NOT NULL CHECK (public_key ~ '^[A-Za-z0-9_-]{43}$'),
    created_at  timestamptz NOT NULL,
    -- NULL while the key signs (every node shares one key file, so normally one row); once
    -- rotated out, the moment it leaves the JWKS. Rows stay after that moment, as a record.
    retires_at  timestamptz
);
