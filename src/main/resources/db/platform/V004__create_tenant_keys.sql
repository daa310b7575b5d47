-- Envelope encryption of customer PII: per-tenant data keys, wrapped by the service's master key.

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

CREATE TABLE tenant_keys (
    tenant_id        uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid
                                 REFERENCES tenants (id),
    version          integer     NOT NULL,
    data_key_wrapped bytea       NOT NULL,
    hmac_key_wrapped bytea       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    retired_at       timestamptz,
    CONSTRAINT pk_tenant_keys PRIMARY KEY (tenant_id, version),
    CONSTRAINT ck_tenant_keys_version CHECK (version > 0)
);

COMMENT ON TABLE  tenant_keys                  IS 'Per-tenant data keys (PII encryption) and HMAC keys (blind index), wrapped by the master key.';
COMMENT ON COLUMN tenant_keys.tenant_id        IS 'Owning tenant; RLS-isolated.';
COMMENT ON COLUMN tenant_keys.version          IS 'Key version; each ciphertext row records the version it was written with.';
COMMENT ON COLUMN tenant_keys.data_key_wrapped IS 'AES-256-GCM(master key, random 32-byte data key): IV || ciphertext || tag.';
COMMENT ON COLUMN tenant_keys.hmac_key_wrapped IS 'AES-256-GCM(master key, random 32-byte HMAC key) for the email blind index.';
COMMENT ON COLUMN tenant_keys.created_at       IS 'When the version was created.';
COMMENT ON COLUMN tenant_keys.retired_at       IS 'When no row used this version any more; NULL while in use.';

ALTER TABLE tenant_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_keys
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT ON tenant_keys TO tessera_app;
GRANT UPDATE (retired_at) ON tenant_keys TO tessera_app;

-- Lets the service notice at start-up that it was given another master key than the one that
-- wrapped the existing data keys (it would otherwise fail only when reading PII).
CREATE TABLE master_key_check (
    id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
    check_value bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE  master_key_check             IS 'One row: HMAC of a constant under the master key, to detect a wrong master key at start-up.';
COMMENT ON COLUMN master_key_check.id          IS 'Always true: the table holds one row.';
COMMENT ON COLUMN master_key_check.check_value IS 'HMAC-SHA256(master key, ''tessera-master-key-check'').';
COMMENT ON COLUMN master_key_check.created_at  IS 'When the first master key was recorded.';
