-- API keys of tenants' machine clients (issue 24; docs/design/api-keys.md).
--
-- A key is "tsk_live_<prefix>_<secret>": the prefix is public (shown in lists, indexed for the lookup;
-- "tsk_live_" lets secret scanners find leaked keys), the secret never leaves the response that created
-- it. The table holds HMAC-SHA256(pepper, key): a keyed hash, not a password hash, because the secret is
-- 256 random bits (nothing to guess, so nothing for bcrypt's cost to slow down) and every request checks it.
--
-- Platform table: authentication reads a key by id before any tenant is known. The tenant's own view
-- (list, create, revoke, rotate) runs in its tenant transaction, and RLS keeps it to the tenant's keys,
-- in both isolation modes (app.tenant_id is set for SHARED and SCHEMA tenants alike). Authentication and
-- the batched last_used_at go through the two owner functions below, which return or change nothing but
-- what they name.

CREATE TABLE api_keys (
    id                   uuid        PRIMARY KEY,
    prefix               text        NOT NULL,
    tenant_id            uuid        NOT NULL REFERENCES tenants (id),
    name                 text        NOT NULL,
    roles                text[]      NOT NULL,
    secret_hash          bytea       NOT NULL,
    previous_secret_hash bytea,
    previous_valid_until timestamptz,
    created_by           text        NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    expires_at           timestamptz,
    revoked_at           timestamptz,
    revoked_by           text,
    last_used_at         timestamptz,
    CONSTRAINT ck_api_keys_prefix   CHECK (prefix ~ '^[a-z2-7]{12}$'),
    CONSTRAINT ck_api_keys_name     CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT ck_api_keys_roles    CHECK (cardinality(roles) >= 1
                                           AND roles <@ ARRAY['tenant-member', 'tenant-admin', 'pii-reader']),
    CONSTRAINT ck_api_keys_hash     CHECK (octet_length(secret_hash) = 32),
    CONSTRAINT ck_api_keys_previous CHECK ((previous_secret_hash IS NULL) = (previous_valid_until IS NULL))
);
CREATE UNIQUE INDEX ix_api_keys_prefix ON api_keys (prefix);
CREATE INDEX ix_api_keys_tenant_id_id ON api_keys (tenant_id, id);

COMMENT ON TABLE  api_keys                      IS 'API keys of tenants'' machine clients; the secret is never stored, only its keyed hash.';
COMMENT ON COLUMN api_keys.id                   IS 'Public id of the key (UUIDv7); the actor of what the key does is key:<id>.';
COMMENT ON COLUMN api_keys.prefix               IS 'Lookup part of the key, 12 characters of base32: what follows tsk_live_ and precedes the secret.';
COMMENT ON COLUMN api_keys.tenant_id            IS 'The tenant the key acts for.';
COMMENT ON COLUMN api_keys.name                 IS 'What the tenant calls the key (1-100 characters).';
COMMENT ON COLUMN api_keys.roles                IS 'Tenant roles of the key: a subset of its creator''s, never platform-admin.';
COMMENT ON COLUMN api_keys.secret_hash          IS 'HMAC-SHA256 of the whole key under the service''s pepper (tessera.api-keys.pepper).';
COMMENT ON COLUMN api_keys.previous_secret_hash IS 'Hash of the secret before the last rotation, accepted until previous_valid_until.';
COMMENT ON COLUMN api_keys.previous_valid_until IS 'End of the rotation''s grace period for the previous secret.';
COMMENT ON COLUMN api_keys.created_by           IS 'Subject of the token that created the key.';
COMMENT ON COLUMN api_keys.created_at           IS 'When the key was created.';
COMMENT ON COLUMN api_keys.expires_at           IS 'When the key stops working; NULL: never.';
COMMENT ON COLUMN api_keys.revoked_at           IS 'When the key was revoked; a revoked key never works again.';
COMMENT ON COLUMN api_keys.revoked_by           IS 'Subject of the token that revoked the key.';
COMMENT ON COLUMN api_keys.last_used_at         IS 'Last authenticated use, recorded in batches (up to tessera.api-keys.last-used-flush late).';

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
-- Not named tenant_isolation: that name marks the tenant tables a Citus cluster distributes by tenant_id
-- (ops/citus/distribute.sql); this platform table is a reference table there.
CREATE POLICY own_tenant ON api_keys TO tessera_app
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
-- The owner functions below run as tessera_owner and read or touch one key by id, with no tenant yet.
CREATE POLICY owner_functions ON api_keys TO tessera_owner USING (true) WITH CHECK (true);

GRANT SELECT ON api_keys TO tessera_app;
GRANT INSERT (id, prefix, tenant_id, name, roles, secret_hash, created_by, expires_at) ON api_keys TO tessera_app;
GRANT UPDATE (secret_hash, previous_secret_hash, previous_valid_until, revoked_at, revoked_by) ON api_keys TO tessera_app;

-- Authentication: the one key with this prefix, whatever its tenant, as the hash check needs it. One
-- unique-index lookup; nothing for a prefix that does not exist.
CREATE FUNCTION api_key_by_prefix(p_prefix text)
    RETURNS TABLE (id uuid, tenant_id uuid, roles text[], secret_hash bytea, previous_secret_hash bytea,
                   previous_valid_until timestamptz, expires_at timestamptz, revoked_at timestamptz)
    LANGUAGE sql
    STABLE
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT k.id, k.tenant_id, k.roles, k.secret_hash, k.previous_secret_hash, k.previous_valid_until,
           k.expires_at, k.revoked_at
      FROM tessera.api_keys k
     WHERE k.prefix = p_prefix
$$;
REVOKE ALL ON FUNCTION api_key_by_prefix(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api_key_by_prefix(text) TO tessera_app;

-- The batched record of use: last_used_at only ever moves forward, and nothing else changes.
CREATE FUNCTION api_keys_used(p_ids uuid[], p_at timestamptz[]) RETURNS integer
    LANGUAGE sql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH used AS (
        UPDATE tessera.api_keys k
           SET last_used_at = u.at
          FROM unnest(p_ids, p_at) AS u(id, at)
         WHERE k.id = u.id
           AND (k.last_used_at IS NULL OR k.last_used_at < u.at)
        RETURNING 1)
    SELECT count(*)::integer FROM used
$$;
REVOKE ALL ON FUNCTION api_keys_used(uuid[], timestamptz[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api_keys_used(uuid[], timestamptz[]) TO tessera_app;
