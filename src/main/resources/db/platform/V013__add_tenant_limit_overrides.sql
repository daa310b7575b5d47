-- Plans that mean something (issue 22): each tenant's plan (free, standard, enterprise) sets its request
-- rates, write rate and share of the database connections (tessera.plans.* in the service's
-- configuration); an operator may override any of them for one tenant. The overrides live on the tenant
-- row, so that the tenant cache every instance keeps (a few seconds) carries them to every replica
-- without a query per request, and they change only through tenant_set_limits, which records the change
-- in platform_audit in the same transaction (like the lifecycle functions of V011): tessera_app gets no
-- UPDATE on the column.
-- A constant default: PostgreSQL adds the column without rewriting the table; the CHECK reads the
-- default once per existing row (the tenant directory is small).

ALTER TABLE tenants ADD COLUMN limits jsonb NOT NULL DEFAULT '{}'::jsonb
    CONSTRAINT ck_tenants_limits CHECK (jsonb_typeof(limits) = 'object');

COMMENT ON COLUMN tenants.limits IS 'Per-tenant overrides of the plan''s limits (rate, burst, subjectRate, subjectBurst, writeRate, writeBurst, connectionShare, maxProducts, maxCustomers); {} follows the plan. Changed only by tenant_set_limits (recorded in platform_audit).';

-- Replaces the tenant's overrides as a whole ({} returns it to its plan); true if they changed. The
-- service validates names and ranges before it asks; an offboarding or offboarded tenant keeps what it has.
CREATE FUNCTION tenant_set_limits(p_tenant uuid, p_limits jsonb, p_actor text) RETURNS boolean
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
        RAISE EXCEPTION 'the limits of a % tenant cannot change', lower(t_row.state)
            USING ERRCODE = 'check_violation';
    END IF;
    IF p_limits IS NULL OR jsonb_typeof(p_limits) <> 'object' THEN
        RAISE EXCEPTION 'limits must be a JSON object' USING ERRCODE = 'check_violation';
    END IF;
    IF t_row.limits = p_limits THEN
        RETURN false;
    END IF;
    UPDATE tessera.tenants t SET limits = p_limits, updated_at = now() WHERE t.id = p_tenant;
    INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
    VALUES (p_actor, 'tenant.limits', p_tenant, jsonb_build_object('from', t_row.limits, 'to', p_limits));
    RETURN true;
END
$$;
COMMENT ON FUNCTION tenant_set_limits(uuid, jsonb, text)
    IS 'The only way the service changes a tenant''s limit overrides; recorded in platform_audit.';

REVOKE ALL ON FUNCTION tenant_set_limits(uuid, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_set_limits(uuid, jsonb, text) TO tessera_app;
