-- Support access in the tenant's own audit trail (issue 24; docs/design/support-access.md).
--
-- Every transaction a support user's request runs under a grant first calls support_access(): it
-- checks the grant against this transaction's tenant and actor and the database's clock (started,
-- not ended, not revoked or denied), records the request in audit_log (action SUPPORT_ACCESS, table
-- support_grants, record the grant, the request line in new_data, chained and sealed like any other
-- row), and, for a read-only grant, makes the rest of the transaction read-only: whatever the service
-- does next, a write fails in PostgreSQL (25006). A grant that is not running: SQLSTATE TS403.

ALTER TABLE audit_log DROP CONSTRAINT ck_audit_log_action;
ALTER TABLE audit_log ADD CONSTRAINT ck_audit_log_action
    CHECK (action IN ('INSERT', 'UPDATE', 'DELETE', 'SOFT_DELETE', 'RESTORE', 'ERASE', 'SUPPORT_ACCESS')) NOT VALID;
ALTER TABLE audit_log VALIDATE CONSTRAINT ck_audit_log_action;
COMMENT ON COLUMN audit_log.action IS 'INSERT, UPDATE, DELETE (retention purge), SOFT_DELETE, RESTORE, ERASE, or SUPPORT_ACCESS (a request of a support user under a grant).';

CREATE FUNCTION support_access(p_grant uuid, p_request text) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant  uuid   := nullif(current_setting('app.tenant_id', true), '')::uuid;
    actor   text   := coalesce(nullif(current_setting('app.user_id', true), ''), session_user);
    g       tessera.support_grants;
    details jsonb;
    at_time timestamptz := clock_timestamp();
    txid    bigint := txid_current();
BEGIN
    SELECT * INTO g FROM tessera.support_grants s WHERE s.id = p_grant;
    IF NOT FOUND OR g.tenant_id IS DISTINCT FROM tenant
            OR actor IS DISTINCT FROM 'support:' || g.support_user || '/grant:' || g.id THEN
        RAISE EXCEPTION 'support grant % does not belong to this transaction', p_grant USING ERRCODE = 'TS403';
    END IF;
    IF g.starts_at IS NULL OR g.revoked_at IS NOT NULL OR at_time < g.starts_at OR at_time >= g.ends_at THEN
        RAISE EXCEPTION 'support grant % is not running', p_grant USING ERRCODE = 'TS403';
    END IF;
    details := jsonb_build_object('request', p_request, 'access', g.access, 'pii', g.pii, 'reason', g.reason);
    INSERT INTO "${flyway:defaultSchema}".audit_log
           (tenant_id, table_name, record_id, action, old_data, new_data, changed_columns, actor, txid, at, row_hash)
    VALUES (tenant, 'support_grants', g.id, 'SUPPORT_ACCESS', NULL, details, NULL, actor, txid, at_time,
            tessera.audit_hash(NULL, 'support_grants', g.id, 'SUPPORT_ACCESS', NULL, details, actor, txid, at_time));
    IF g.access = 'read-only' THEN
        PERFORM set_config('transaction_read_only', 'on', true);
    END IF;
END
$$;
COMMENT ON FUNCTION support_access(uuid, text) IS 'Called first in every transaction under a support grant: refuses a grant that is not running (TS403), records the request in audit_log, makes a read-only grant''s transaction read-only.';
REVOKE ALL ON FUNCTION support_access(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_access(uuid, text) TO tessera_app;
