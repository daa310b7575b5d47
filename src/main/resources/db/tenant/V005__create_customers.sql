-- Customers: PII stored only as pgcrypto ciphertext (*_enc) under the tenant's data key of
-- key_version; email also as an HMAC blind index (email_hmac) for exact, case-insensitive lookup.

CREATE TABLE customers (
    id                bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id         uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid
                                  REFERENCES tessera.tenants (id),
    public_id         uuid        NOT NULL,
    display_name      text        NOT NULL,
    email_enc         bytea,
    phone_enc         bytea,
    tax_id_enc        bytea,
    address_enc       bytea,
    email_hmac        bytea,
    key_version       integer     NOT NULL,
    marketing_consent boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    deleted_at        timestamptz,
    deleted_by        text,
    erased_at         timestamptz,
    CONSTRAINT pk_customers         PRIMARY KEY (tenant_id, id),
    CONSTRAINT ck_customers_deleted CHECK ((deleted_at IS NULL) = (deleted_by IS NULL)),
    CONSTRAINT ck_customers_erased  CHECK (erased_at IS NULL OR (email_enc IS NULL AND phone_enc IS NULL
                                           AND tax_id_enc IS NULL AND address_enc IS NULL AND email_hmac IS NULL))
);
CREATE UNIQUE INDEX ix_customers_tenant_id_public_id ON customers (tenant_id, public_id);
-- Email is unique among live customers of a tenant, enforced on the blind index.
CREATE UNIQUE INDEX ix_customers_tenant_id_email_hmac_live ON customers (tenant_id, email_hmac)
    WHERE deleted_at IS NULL AND email_hmac IS NOT NULL;
CREATE INDEX ix_customers_tenant_id_deleted_at ON customers (tenant_id, deleted_at) WHERE deleted_at IS NOT NULL;

COMMENT ON TABLE  customers                   IS 'Customers of each tenant; PII only as ciphertext.';
COMMENT ON COLUMN customers.id                IS 'Internal key for joins; never shown by the API.';
COMMENT ON COLUMN customers.tenant_id         IS 'Owning tenant; defaults to app.tenant_id and is checked by RLS.';
COMMENT ON COLUMN customers.public_id         IS 'The id the API shows (UUIDv7).';
COMMENT ON COLUMN customers.display_name      IS 'Name shown in lists, in clear; left out of the audit trail.';
COMMENT ON COLUMN customers.email_enc         IS 'pgp_sym_encrypt(email, data key of key_version).';
COMMENT ON COLUMN customers.phone_enc         IS 'pgp_sym_encrypt(phone, data key of key_version).';
COMMENT ON COLUMN customers.tax_id_enc        IS 'pgp_sym_encrypt(tax id, data key of key_version).';
COMMENT ON COLUMN customers.address_enc       IS 'pgp_sym_encrypt(postal address, data key of key_version).';
COMMENT ON COLUMN customers.email_hmac        IS 'hmac(lower(email), HMAC key of key_version, sha256): blind index for lookup and uniqueness.';
COMMENT ON COLUMN customers.key_version       IS 'Version of the tenant key the PII columns were written with.';
COMMENT ON COLUMN customers.marketing_consent IS 'Whether the customer agreed to marketing messages.';
COMMENT ON COLUMN customers.created_at        IS 'When the customer was created.';
COMMENT ON COLUMN customers.updated_at        IS 'When the customer last changed.';
COMMENT ON COLUMN customers.deleted_at        IS 'When the customer was soft-deleted; NULL while live.';
COMMENT ON COLUMN customers.deleted_by        IS 'Subject of the token that soft-deleted the customer.';
COMMENT ON COLUMN customers.erased_at         IS 'When the PII was erased for good (GDPR); the row stays for references.';

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON customers
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON customers TO tessera_app;
GRANT SELECT (id, tenant_id, public_id, key_version, marketing_consent, created_at, updated_at, deleted_at, erased_at)
    ON customers TO tessera_readonly;

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION tessera.audit_row('display_name');

ALTER TABLE audit_log DROP CONSTRAINT ck_audit_log_action;
ALTER TABLE audit_log ADD CONSTRAINT ck_audit_log_action
    CHECK (action IN ('INSERT', 'UPDATE', 'DELETE', 'SOFT_DELETE', 'RESTORE', 'ERASE'));
