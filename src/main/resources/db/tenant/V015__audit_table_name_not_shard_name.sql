-- audit_change as in V013, recording the table's own name. On a Citus cluster (docs/design/scale-out.md)
-- the trigger fires on the shard, where TG_TABLE_NAME is the shard's name (products_102354): the audit
-- trail then said products_102354 and GET /api/audit?table=products found nothing (issue 26, found by
-- the Citus job). The audited tables are named here; any other keeps TG_TABLE_NAME. The name is part of
-- the row's hash, so it must be the same on every node. Same result on plain PostgreSQL.

CREATE OR REPLACE FUNCTION audit_change() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old_full  jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
    new_full  jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
    old_row   jsonb := old_full - coalesce(TG_ARGV, '{}');
    new_row   jsonb := new_full - coalesce(TG_ARGV, '{}');
    row_data  jsonb := coalesce(new_row, old_row);
    record_id uuid  := (row_data ->> 'public_id')::uuid;
    -- On Citus the trigger fires on a shard (products_102043): record the table, not the shard.
    tbl       text  := CASE WHEN TG_TABLE_NAME LIKE 'products\_%' THEN 'products'
                            WHEN TG_TABLE_NAME LIKE 'customers\_%' THEN 'customers'
                            ELSE TG_TABLE_NAME END;
    action    text  := TG_OP;
    changed   text[];
    at_time   timestamptz := clock_timestamp();
    actor     text  := coalesce(nullif(current_setting('app.user_id', true), ''), session_user);
    txid      bigint := txid_current();
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF old_row ->> 'erased_at' IS NULL AND new_row ->> 'erased_at' IS NOT NULL THEN
            action := 'ERASE';
        ELSIF old_row ->> 'deleted_at' IS NULL AND new_row ->> 'deleted_at' IS NOT NULL THEN
            action := 'SOFT_DELETE';
        ELSIF old_row ->> 'deleted_at' IS NOT NULL AND new_row ->> 'deleted_at' IS NULL THEN
            action := 'RESTORE';
        END IF;
        -- Hidden columns still count as changed (by name, never by value).
        SELECT array_agg(k ORDER BY k) INTO changed
          FROM jsonb_object_keys(new_full) AS k
         WHERE new_full -> k IS DISTINCT FROM old_full -> k;
    END IF;
    INSERT INTO "${flyway:defaultSchema}".audit_log
           (tenant_id, table_name, record_id, action, old_data, new_data, changed_columns, actor, txid, at, row_hash)
    VALUES ((row_data ->> 'tenant_id')::uuid, tbl, record_id, action, old_row, new_row, changed, actor, txid,
            at_time, tessera.audit_hash(NULL, tbl, record_id, action, old_row, new_row, actor, txid, at_time));
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit_change() IS 'Trigger: records every change to a tenant table in audit_log with its content hash, without the columns its arguments name (PII); audit_seal() links it into the chain after commit.';
REVOKE ALL ON FUNCTION audit_change() FROM PUBLIC;
