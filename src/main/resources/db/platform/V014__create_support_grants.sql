-- Support access (break-glass), audited for the tenant (issue 24; docs/design/support-access.md).
--
-- A platform support user asks for access to one tenant, with a reason, a scope and a duration. The
-- grant starts at once, or when one of the tenant's admins approves it if the tenant requires approval
-- (tenants.support_approval_required). While it runs, requests of that user that name the grant act for
-- the tenant; every one of them is recorded in the tenant's own audit trail by the tenant function
-- support_access() (tenant V017), which also refuses a grant that is not running by the database's
-- clock, whatever the service believes, and makes a read-only grant's transaction read-only.
--
-- The support side (no tenant) requests and reads its own grants through owner functions; the tenant's
-- admins see and decide on the tenant's grants in their tenant transaction, under RLS. Every step of a
-- grant's life is in platform_audit.

ALTER TABLE tenants ADD COLUMN support_approval_required boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN tenants.support_approval_required IS 'Whether support access to this tenant waits for one of its admins to approve it; set by the tenant''s admins.';

CREATE TABLE support_grants (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    support_user text        NOT NULL,
    reason       text        NOT NULL,
    access       text        NOT NULL DEFAULT 'read-only',
    pii          boolean     NOT NULL DEFAULT false,
    duration     interval    NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    starts_at    timestamptz,
    ends_at      timestamptz,
    decided_by   text,
    denied_at    timestamptz,
    revoked_at   timestamptz,
    revoked_by   text,
    CONSTRAINT ck_support_grants_reason   CHECK (char_length(reason) BETWEEN 1 AND 500),
    CONSTRAINT ck_support_grants_access   CHECK (access IN ('read-only', 'read-write')),
    CONSTRAINT ck_support_grants_duration CHECK (duration > interval '0' AND duration <= interval '7 days'),
    CONSTRAINT ck_support_grants_window   CHECK ((starts_at IS NULL) = (ends_at IS NULL)),
    CONSTRAINT ck_support_grants_decided  CHECK (starts_at IS NULL OR denied_at IS NULL)
);
CREATE INDEX ix_support_grants_tenant_id_id ON support_grants (tenant_id, id);
CREATE INDEX ix_support_grants_support_user ON support_grants (support_user, id);

COMMENT ON TABLE  support_grants              IS 'Time-boxed access of a platform support user to one tenant, requested with a reason; audited in the tenant''s trail and in platform_audit.';
COMMENT ON COLUMN support_grants.id           IS 'Grant id (UUIDv7), named by the support user''s requests (header Support-Grant).';
COMMENT ON COLUMN support_grants.tenant_id    IS 'The one tenant the grant gives access to.';
COMMENT ON COLUMN support_grants.support_user IS 'Subject of the platform-support token that requested the grant; only that user can use it.';
COMMENT ON COLUMN support_grants.reason       IS 'Why access is needed (a ticket, 1-500 characters), shown to the tenant''s admins.';
COMMENT ON COLUMN support_grants.access       IS 'read-only (the default: the transaction is read-only in the database) or read-write.';
COMMENT ON COLUMN support_grants.pii          IS 'Whether the grant reads PII in clear (pii-reader); false unless asked for.';
COMMENT ON COLUMN support_grants.duration     IS 'How long the grant runs once it starts (at most tessera.support.max-duration, and never over 7 days).';
COMMENT ON COLUMN support_grants.requested_at IS 'When the support user asked.';
COMMENT ON COLUMN support_grants.starts_at    IS 'When the grant started (at once, or at approval); NULL while it waits or after a denial.';
COMMENT ON COLUMN support_grants.ends_at      IS 'starts_at + duration: no access from then on, enforced by support_access() in the database.';
COMMENT ON COLUMN support_grants.decided_by   IS 'The tenant admin who approved or denied it (NULL if it needed no approval).';
COMMENT ON COLUMN support_grants.denied_at    IS 'When a tenant admin denied it.';
COMMENT ON COLUMN support_grants.revoked_at   IS 'When a tenant admin ended it early.';
COMMENT ON COLUMN support_grants.revoked_by   IS 'The tenant admin who ended it.';

ALTER TABLE support_grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_grants FORCE ROW LEVEL SECURITY;
-- Not named tenant_isolation: that name marks the tenant tables a Citus cluster distributes by tenant_id
-- (ops/citus/distribute.sql); this platform table is a reference table there.
CREATE POLICY own_tenant ON support_grants TO tessera_app
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY owner_functions ON support_grants TO tessera_owner USING (true) WITH CHECK (true);

GRANT SELECT ON support_grants TO tessera_app;
-- The tenant's admins decide (approve, deny) and revoke, in their tenant transaction.
GRANT UPDATE (starts_at, ends_at, decided_by, denied_at, revoked_at, revoked_by) ON support_grants TO tessera_app;

-- The support side: a new grant for an ACTIVE tenant, started at once unless the tenant requires
-- approval. Recorded in platform_audit. Refused (check_violation) for a tenant that is not ACTIVE.
CREATE FUNCTION support_grant_request(p_id uuid, p_tenant uuid, p_user text, p_reason text, p_access text,
                                      p_pii boolean, p_duration interval)
    RETURNS TABLE (id uuid, tenant_id uuid, support_user text, reason text, access text, pii boolean, duration interval,
                   requested_at timestamptz, starts_at timestamptz, ends_at timestamptz, decided_by text,
                   denied_at timestamptz, revoked_at timestamptz, revoked_by text)
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t_row tessera.tenants;
BEGIN
    SELECT * INTO t_row FROM tessera.tenants t WHERE t.id = p_tenant;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'tenant % does not exist', p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    IF t_row.state <> 'ACTIVE' THEN
        RAISE EXCEPTION 'a % tenant gets no support access', lower(t_row.state) USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO tessera.support_grants (id, tenant_id, support_user, reason, access, pii, duration, starts_at, ends_at)
    VALUES (p_id, p_tenant, p_user, p_reason, p_access, p_pii, p_duration,
            CASE WHEN t_row.support_approval_required THEN NULL ELSE now() END,
            CASE WHEN t_row.support_approval_required THEN NULL ELSE now() + p_duration END);
    INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
    VALUES (p_user, 'support.request', p_tenant,
            jsonb_build_object('grant', p_id, 'reason', p_reason, 'access', p_access, 'pii', p_pii,
                               'duration', p_duration::text, 'approvalRequired', t_row.support_approval_required));
    RETURN QUERY SELECT g.id, g.tenant_id, g.support_user, g.reason, g.access, g.pii, g.duration, g.requested_at, g.starts_at,
           g.ends_at, g.decided_by, g.denied_at, g.revoked_at, g.revoked_by
      FROM tessera.support_grants g WHERE g.id = p_id;
END
$$;
REVOKE ALL ON FUNCTION support_grant_request(uuid, uuid, text, text, text, boolean, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_grant_request(uuid, uuid, text, text, text, boolean, interval) TO tessera_app;

-- The support side: one of the user's own grants (nothing for another user's).
-- Neither function returns the table's row type: Citus distributes the platform functions before it
-- knows the tables (ops/citus/distribute.sql), and refuses a function that depends on one.
CREATE FUNCTION support_grant_of(p_id uuid, p_user text)
    RETURNS TABLE (id uuid, tenant_id uuid, support_user text, reason text, access text, pii boolean, duration interval,
                   requested_at timestamptz, starts_at timestamptz, ends_at timestamptz, decided_by text,
                   denied_at timestamptz, revoked_at timestamptz, revoked_by text)
    LANGUAGE sql
    STABLE
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT g.id, g.tenant_id, g.support_user, g.reason, g.access, g.pii, g.duration, g.requested_at, g.starts_at,
           g.ends_at, g.decided_by, g.denied_at, g.revoked_at, g.revoked_by
      FROM tessera.support_grants g WHERE g.id = p_id AND g.support_user = p_user
$$;
REVOKE ALL ON FUNCTION support_grant_of(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_grant_of(uuid, text) TO tessera_app;

-- The tenant's admins: whether support access waits for their approval. Recorded in platform_audit.
CREATE FUNCTION tenant_set_support_approval(p_tenant uuid, p_required boolean, p_actor text) RETURNS boolean
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    before boolean;
BEGIN
    IF p_tenant IS DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid THEN
        RAISE EXCEPTION 'only a transaction of tenant % may change its support policy', p_tenant
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT t.support_approval_required INTO before FROM tessera.tenants t WHERE t.id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'tenant % does not exist', p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    IF before IS DISTINCT FROM p_required THEN
        UPDATE tessera.tenants t SET support_approval_required = p_required, updated_at = now() WHERE t.id = p_tenant;
        INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
        VALUES (p_actor, 'support.policy', p_tenant, jsonb_build_object('approvalRequired', p_required));
    END IF;
    RETURN p_required;
END
$$;
REVOKE ALL ON FUNCTION tenant_set_support_approval(uuid, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_set_support_approval(uuid, boolean, text) TO tessera_app;
