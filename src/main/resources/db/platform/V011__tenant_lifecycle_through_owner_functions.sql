-- A tenant's lifecycle changes only through owner functions that check the change on the row itself
-- (issue 21, item 6). Until now tessera_app could UPDATE tenants.state, shred_after and the oidc_*
-- columns, and INSERT a tenant in any state: one SQL injection anywhere could re-activate an
-- offboarding tenant, pull its shredding date into the past (shred_tenant_keys then destroys its keys),
-- or re-point its identity provider, silently. From here on:
--   * tessera_app keeps UPDATE on name, plan, legal_hold and updated_at only, and INSERTs a tenant
--     without state or dates: a new tenant is PROVISIONING (the column default);
--   * tenant_set_state, tenant_offboard and tenant_set_identity_provider (SECURITY DEFINER, owned by
--     tessera_owner) lock the row, refuse a transition the lifecycle does not allow, and record the
--     change in platform_audit in the same transaction: no lifecycle change is silent;
--   * tenant_offboard never sets a shredding date sooner than lifecycle_policy.min_export_window, a
--     floor only the owner can raise (operations.md: production check list).

REVOKE INSERT, UPDATE ON tenants FROM tessera_app;
GRANT INSERT (id, slug, name, plan, isolation, schema_name, legal_hold, oidc_issuer, oidc_jwks_url, oidc_audience,
              created_at, updated_at) ON tenants TO tessera_app;
GRANT UPDATE (name, plan, legal_hold, updated_at) ON tenants TO tessera_app;

-- One row: the floor of the export window (time between an offboarding request and the destruction of
-- the tenant's keys) that holds whatever the service asks. Changed by the owner only.
CREATE TABLE lifecycle_policy (
    only_row          boolean  PRIMARY KEY DEFAULT true,
    min_export_window interval NOT NULL DEFAULT interval '0',
    CONSTRAINT ck_lifecycle_policy_one_row CHECK (only_row),
    CONSTRAINT ck_lifecycle_policy_window  CHECK (min_export_window >= interval '0')
);
INSERT INTO lifecycle_policy DEFAULT VALUES;
COMMENT ON COLUMN lifecycle_policy.only_row          IS 'Always true: the primary key that keeps this table to one row.';
COMMENT ON TABLE  lifecycle_policy                   IS 'Lifecycle limits the runtime role cannot change (one row; the owner updates it).';
COMMENT ON COLUMN lifecycle_policy.min_export_window IS 'tenant_offboard refuses a shorter export window: the earliest keys can be destroyed after an offboarding request. 0 until an operator raises it.';
GRANT SELECT ON lifecycle_policy TO tessera_app, tessera_readonly;

-- PROVISIONING -> ACTIVE, SUSPENDED -> ACTIVE, ACTIVE -> SUSPENDED; the same state again changes nothing
-- and records nothing. Returns the state before. Refused: SQLSTATE 23514 (check_violation).
-- A searched CASE, not a simple one: Citus 13.2 deparses a simple CASE over a PL/pgSQL variable wrongly
-- when it sends the platform_audit insert to the reference table's placements (found by the Citus job).
CREATE FUNCTION tenant_set_state(p_tenant uuid, p_to text, p_actor text) RETURNS text
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    from_state text;
BEGIN
    SELECT t.state INTO from_state FROM tessera.tenants t WHERE t.id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'tenant % does not exist', p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    IF from_state = p_to THEN
        RETURN from_state;
    END IF;
    IF NOT ((p_to = 'ACTIVE' AND from_state IN ('PROVISIONING', 'SUSPENDED'))
            OR (p_to = 'SUSPENDED' AND from_state = 'ACTIVE')) THEN
        RAISE EXCEPTION 'a % tenant cannot become %', lower(from_state), lower(p_to)
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE tessera.tenants t SET state = p_to, updated_at = now() WHERE t.id = p_tenant;
    INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
    VALUES (p_actor, CASE WHEN p_to = 'ACTIVE' THEN 'tenant.activate' ELSE 'tenant.suspend' END, p_tenant,
            jsonb_build_object('from', from_state, 'to', p_to));
    RETURN from_state;
END
$$;
COMMENT ON FUNCTION tenant_set_state(uuid, text, text)
    IS 'The only way the service changes a tenant''s state (activate, suspend, resume); checks the transition on the locked row and records it in platform_audit.';

-- ACTIVE or SUSPENDED -> OFFBOARDING, shred_after = now() + the window (never less than the policy's
-- floor). An OFFBOARDING or OFFBOARDED tenant is left as it is (asking again changes nothing). Returns
-- shred_after. p_details is recorded with the change (the request's own words); from, to and
-- shredAfter are the function's.
CREATE FUNCTION tenant_offboard(p_tenant uuid, p_window interval, p_actor text, p_details jsonb) RETURNS timestamptz
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t_row tessera.tenants;
    min_window interval;
BEGIN
    SELECT * INTO t_row FROM tessera.tenants t WHERE t.id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'tenant % does not exist', p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    IF t_row.state IN ('OFFBOARDING', 'OFFBOARDED') THEN
        RETURN t_row.shred_after;
    END IF;
    IF t_row.state <> 'ACTIVE' AND t_row.state <> 'SUSPENDED' THEN
        RAISE EXCEPTION 'a % tenant cannot be offboarded', lower(t_row.state) USING ERRCODE = 'check_violation';
    END IF;
    SELECT p.min_export_window INTO min_window FROM tessera.lifecycle_policy p;
    IF p_window IS NULL OR p_window < coalesce(min_window, interval '0') THEN
        RAISE EXCEPTION 'export window % is shorter than the minimum %', p_window, min_window
            USING ERRCODE = 'invalid_parameter_value', HINT = 'lifecycle_policy.min_export_window';
    END IF;
    UPDATE tessera.tenants t SET state = 'OFFBOARDING', shred_after = now() + p_window, updated_at = now()
     WHERE t.id = p_tenant;
    INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
    VALUES (p_actor, 'tenant.offboard', p_tenant,
            coalesce(p_details, '{}'::jsonb) || jsonb_build_object('from', t_row.state, 'to', 'OFFBOARDING',
                                                                   'shredAfter', now() + p_window));
    RETURN now() + p_window;
END
$$;
COMMENT ON FUNCTION tenant_offboard(uuid, interval, text, jsonb)
    IS 'The only way the service starts offboarding: ACTIVE or SUSPENDED to OFFBOARDING, keys due no sooner than lifecycle_policy.min_export_window; recorded in platform_audit.';

-- Registers, replaces or clears (all NULL) a tenant's own identity provider, recorded in platform_audit
-- with the registration before and after; true if it changed. The service validates the URLs before it asks.
CREATE FUNCTION tenant_set_identity_provider(p_tenant uuid, p_issuer text, p_jwks_url text, p_audience text,
                                             p_actor text) RETURNS boolean
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t_row tessera.tenants;
BEGIN
    SELECT * INTO t_row FROM tessera.tenants t WHERE t.id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'tenant % does not exist', p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    IF t_row.state IN ('OFFBOARDING', 'OFFBOARDED') THEN
        RAISE EXCEPTION 'the identity provider of a % tenant cannot change', lower(t_row.state)
            USING ERRCODE = 'check_violation';
    END IF;
    IF p_issuer IS NULL AND (p_jwks_url IS NOT NULL OR p_audience IS NOT NULL) THEN
        RAISE EXCEPTION 'a JWKS URL or an audience needs an issuer' USING ERRCODE = 'check_violation';
    END IF;
    IF (t_row.oidc_issuer, t_row.oidc_jwks_url, t_row.oidc_audience) IS NOT DISTINCT FROM (p_issuer, p_jwks_url, p_audience) THEN
        RETURN false;
    END IF;
    UPDATE tessera.tenants t SET oidc_issuer = p_issuer, oidc_jwks_url = p_jwks_url, oidc_audience = p_audience,
                                 updated_at = now()
     WHERE t.id = p_tenant;
    INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
    VALUES (p_actor, 'tenant.identity-provider', p_tenant, jsonb_build_object(
            'from', jsonb_build_object('issuer', t_row.oidc_issuer, 'jwksUrl', t_row.oidc_jwks_url, 'audience', t_row.oidc_audience),
            'to',   jsonb_build_object('issuer', p_issuer, 'jwksUrl', p_jwks_url, 'audience', p_audience)));
    RETURN true;
END
$$;
COMMENT ON FUNCTION tenant_set_identity_provider(uuid, text, text, text, text)
    IS 'The only way the service changes a tenant''s identity provider registration; recorded in platform_audit.';

REVOKE ALL ON FUNCTION tenant_set_state(uuid, text, text), tenant_offboard(uuid, interval, text, jsonb),
                       tenant_set_identity_provider(uuid, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_set_state(uuid, text, text), tenant_offboard(uuid, interval, text, jsonb),
                          tenant_set_identity_provider(uuid, text, text, text, text) TO tessera_app;
