-- Offboarding with crypto-shredding: a tenant goes OFFBOARDING (not served; its data can still be
-- exported) until shred_after, then its wrapped keys are destroyed and it is OFFBOARDED. Without the
-- keys its ciphertext, in this database and in every data backup, cannot be decrypted by anyone.

ALTER TABLE tenants ADD COLUMN shred_after timestamptz;
ALTER TABLE tenants ADD COLUMN shredded_at timestamptz;
COMMENT ON COLUMN tenants.shred_after IS 'While OFFBOARDING: when the tenant''s keys are destroyed (end of the export window).';
COMMENT ON COLUMN tenants.shredded_at IS 'When the tenant''s keys were destroyed (crypto-shredding); NULL before.';

-- The tenants table is small (one row per customer business): NOT VALID then VALIDATE all the same.
ALTER TABLE tenants DROP CONSTRAINT ck_tenants_state;
ALTER TABLE tenants ADD CONSTRAINT ck_tenants_state
    CHECK (state IN ('PROVISIONING', 'ACTIVE', 'SUSPENDED', 'OFFBOARDING', 'OFFBOARDED')) NOT VALID;
ALTER TABLE tenants VALIDATE CONSTRAINT ck_tenants_state;
ALTER TABLE tenants ADD CONSTRAINT ck_tenants_shred_after
    CHECK (state <> 'OFFBOARDING' OR shred_after IS NOT NULL) NOT VALID;
ALTER TABLE tenants VALIDATE CONSTRAINT ck_tenants_shred_after;
COMMENT ON COLUMN tenants.state IS 'PROVISIONING, ACTIVE, SUSPENDED, OFFBOARDING or OFFBOARDED; only ACTIVE tenants are served.';

-- The service starts offboarding; it never sets shredded_at (only shred_tenant_keys does).
GRANT UPDATE (shred_after) ON tenants TO tessera_app;

-- The one way keys are destroyed. tessera_app has no DELETE on the keystore: it can only ask this
-- function, which destroys nothing unless the tenant is OFFBOARDING and its window has passed, and
-- which deletes the keys, marks the tenant OFFBOARDED and records it in platform_audit in one go.
-- The caller's transaction must be the tenant's (TenantTx): RLS then confines the DELETE to it.
CREATE FUNCTION tessera_keys.shred_tenant_keys(tenant uuid, actor text) RETURNS integer
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    destroyed integer;
BEGIN
    IF tenant IS DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid THEN
        RAISE EXCEPTION 'shred_tenant_keys must run in the transaction of the tenant it shreds'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM 1 FROM tessera.tenants t
      WHERE t.id = tenant AND t.state = 'OFFBOARDING' AND t.shred_after <= now()
        FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL; -- not offboarding, or its export window is still open: nothing destroyed
    END IF;
    DELETE FROM tessera_keys.tenant_keys k WHERE k.tenant_id = tenant;
    GET DIAGNOSTICS destroyed = ROW_COUNT;
    UPDATE tessera.tenants t SET state = 'OFFBOARDED', shredded_at = now(), updated_at = now() WHERE t.id = tenant;
    INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
    VALUES (actor, 'tenant.shred', tenant, jsonb_build_object('keyVersionsDestroyed', destroyed));
    RETURN destroyed;
END
$$;
COMMENT ON FUNCTION tessera_keys.shred_tenant_keys(uuid, text)
    IS 'Crypto-shredding: destroys the keys of an OFFBOARDING tenant whose shred_after has passed; returns the versions destroyed, NULL if not due.';
REVOKE ALL ON FUNCTION tessera_keys.shred_tenant_keys(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tessera_keys.shred_tenant_keys(uuid, text) TO tessera_app;

-- No key is ever created again for a tenant that is leaving or gone (for example by the lazy creation
-- of a first key, or a rotation started from a stale cache).
CREATE FUNCTION tessera_keys.refuse_keys_of_departed_tenants() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tessera.tenants t WHERE t.id = NEW.tenant_id AND t.state IN ('OFFBOARDING', 'OFFBOARDED')) THEN
        RAISE EXCEPTION 'tenant is offboarding or offboarded: no new keys' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tessera_keys.refuse_keys_of_departed_tenants()
    IS 'Trigger: refuses new keys for a tenant that is OFFBOARDING or OFFBOARDED.';
CREATE TRIGGER tenant_keys_refuse_departed BEFORE INSERT ON tessera_keys.tenant_keys
    FOR EACH ROW EXECUTE FUNCTION tessera_keys.refuse_keys_of_departed_tenants();
