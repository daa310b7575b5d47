-- Guard of the customers table in every schema (tessera and tenant_*), attached by tenant V007.
-- A change of key_version must come with a re-encrypted pii_enc. The release before tenant V007
-- rotates keys by rewriting only the four old per-field columns; run against a one-message row (during
-- a rolling update) it would relabel ciphertext with a key version that cannot open it, and the PII
-- would be lost. The trigger's WHEN clause does the check, so rows that pass cost no function call.

CREATE OR REPLACE FUNCTION refuse_stale_pii() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'customers: key_version % -> % without re-encrypting pii_enc', OLD.key_version, NEW.key_version
        USING ERRCODE = 'check_violation',
              HINT = 'A key rotation by a release before tenant V007? Rotate with the current release.';
END
$$;
