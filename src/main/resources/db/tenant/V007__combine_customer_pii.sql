-- Customers: all PII of a row in ONE pgcrypto message. pgp_sym_decrypt costs about the same per call
-- whatever the length, and a list of 100 customers made 400 of them (one per PII column); now it makes
-- 100. pii_enc holds pgp_sym_encrypt of a JSON object {"email", "phone", "taxId", "address"} (written
-- by the service, parsed by the service) under the data key of key_version.
--
-- Rows written before keep the four old columns until a key rotation rewrites them in the new format
-- (the rotation batch picks them whatever their version). Reads decrypt whichever format a row has:
-- pgp_sym_decrypt is strict, so the NULL columns of the other format cost no call. New writes set
-- pii_enc and NULL the old columns; ck_customers_one_pii_format keeps a row from holding both, which
-- also makes a write by the previous release to a new-format row fail instead of splitting its PII,
-- and the trigger at the end refuses that release's key rotation of a new-format row.
-- The old columns are dropped in a later release, once no row uses them.

ALTER TABLE customers ADD COLUMN pii_enc bytea;

-- Erased rows hold no ciphertext in either format. Written as NOT VALID + VALIDATE, but the script is
-- one transaction, so the scan of the existing rows still runs under the ACCESS EXCLUSIVE lock that
-- the ALTERs took: customers are read and written by nobody for that scan (one sequential pass over a
-- table that holds no large values; measured in milliseconds for the test tenants). Kept in one
-- transaction so that a failure leaves the schema as it was.
ALTER TABLE customers DROP CONSTRAINT ck_customers_erased;
ALTER TABLE customers ADD CONSTRAINT ck_customers_erased
    CHECK (erased_at IS NULL OR num_nonnulls(pii_enc, email_enc, phone_enc, tax_id_enc, address_enc, email_hmac) = 0)
    NOT VALID;
ALTER TABLE customers VALIDATE CONSTRAINT ck_customers_erased;
ALTER TABLE customers ADD CONSTRAINT ck_customers_one_pii_format
    CHECK (pii_enc IS NULL OR num_nonnulls(email_enc, phone_enc, tax_id_enc, address_enc) = 0)
    NOT VALID;
ALTER TABLE customers VALIDATE CONSTRAINT ck_customers_one_pii_format;

COMMENT ON COLUMN customers.pii_enc     IS 'pgp_sym_encrypt(JSON {email, phone, taxId, address}, data key of key_version): all PII of the row in one message (since V007).';
COMMENT ON COLUMN customers.email_enc   IS 'Before V007: pgp_sym_encrypt(email, data key of key_version); NULL in rows written since, rewritten into pii_enc by key rotation.';
COMMENT ON COLUMN customers.phone_enc   IS 'Before V007: pgp_sym_encrypt(phone, data key of key_version); NULL in rows written since, rewritten into pii_enc by key rotation.';
COMMENT ON COLUMN customers.tax_id_enc  IS 'Before V007: pgp_sym_encrypt(tax id, data key of key_version); NULL in rows written since, rewritten into pii_enc by key rotation.';
COMMENT ON COLUMN customers.address_enc IS 'Before V007: pgp_sym_encrypt(postal address, data key of key_version); NULL in rows written since, rewritten into pii_enc by key rotation.';
COMMENT ON COLUMN customers.key_version IS 'Version of the tenant key the PII (pii_enc, or the old *_enc columns) was written with.';

-- tessera_readonly keeps its column grants of V005 (no ciphertext, no blind index): a new column is
-- granted to nobody but tessera_app, which has table-wide privileges.

-- The previous release's key rotation would relabel a one-message row without re-encrypting it:
-- refuse that (tessera.refuse_stale_pii, platform R__customer_functions.sql).
CREATE TRIGGER pii_follows_key_version BEFORE UPDATE OF key_version ON customers
    FOR EACH ROW
    WHEN (NEW.key_version <> OLD.key_version AND OLD.pii_enc IS NOT NULL
          AND NEW.pii_enc IS NOT DISTINCT FROM OLD.pii_enc)
    EXECUTE FUNCTION tessera.refuse_stale_pii();
