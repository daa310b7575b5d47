-- tenant_set_state as in V011, with a searched CASE instead of a simple one (CASE p_to WHEN ...).
-- Citus 13.2 deparses a simple CASE over a PL/pgSQL variable wrongly when it sends the platform_audit
-- insert to the reference table's placements (CASE 'ACTIVE'::text WHEN NULL::boolean ...: "operator
-- does not exist: text = boolean"), so activating a tenant failed on a Citus cluster (issue 26, found by
-- the Citus job). Same behaviour on plain PostgreSQL; CREATE OR REPLACE keeps the grants and the comment.

CREATE OR REPLACE FUNCTION tenant_set_state(p_tenant uuid, p_to text, p_actor text) RETURNS text
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
