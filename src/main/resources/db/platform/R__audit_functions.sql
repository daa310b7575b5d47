-- The audit trigger function shared by every tenant table, in every schema (tessera and tenant_*).
-- Repeatable: the current definition replaces the one V003 created.
-- It runs as its owner (SECURITY DEFINER) because tessera_app may read audit_log but never write it.
-- Columns ending in _enc (ciphertext of PII) and the columns named as trigger arguments (clear PII)
-- are left out of old_data/new_data: the audit trail never holds PII, so erasure needs no rewrite of
-- the (hash-chained, append-only) history. Their names still appear in changed_columns.

CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old_row   jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
    new_row   jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
    row_data  jsonb := coalesce(new_row, old_row);
    tenant    uuid  := (row_data ->> 'tenant_id')::uuid;
    action    text  := TG_OP;
    hidden    text[];
    changed   text[];
    prev      bytea;
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
        SELECT array_agg(k ORDER BY k) INTO changed
          FROM jsonb_object_keys(new_row) AS k
         WHERE new_row -> k IS DISTINCT FROM old_row -> k;
    END IF;
    SELECT coalesce(array_agg(k), '{}') INTO hidden
      FROM jsonb_object_keys(row_data) AS k
     WHERE k LIKE '%\_enc' OR k LIKE '%\_hmac' OR k = ANY (TG_ARGV);
    old_row := old_row - hidden;
    new_row := new_row - hidden;
    -- One chain per tenant: serialise this tenant's audit appends until commit, so that two
    -- concurrent transactions cannot both link to the same predecessor.
    PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || TG_TABLE_SCHEMA || ':' || tenant::text, 0));
    EXECUTE format('SELECT hash FROM %I.audit_log WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA)
       INTO prev USING tenant;
    EXECUTE format($sql$
        INSERT INTO %I.audit_log (tenant_id, table_name, record_id, action, old_data, new_data, changed_columns,
                                  actor, txid, at, prev_hash, hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                tessera.audit_hash($11, $2, $3, $4, $5, $6, $8, $9, $10))
        $sql$, TG_TABLE_SCHEMA)
    USING tenant, TG_TABLE_NAME, (row_data ->> 'public_id')::uuid, action, old_row, new_row, changed,
          actor, txid, at_time, prev;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION audit_row() IS 'Trigger: appends a hash-chained audit_log row for every change to a tenant table, without PII columns.';
REVOKE ALL ON FUNCTION audit_row() FROM PUBLIC;

-- The content hash of an audit row (V003's definition, the same bytes), written so that PostgreSQL
-- inlines it into the statement that calls it: one plain SQL SELECT, STABLE, and no SET clause (a
-- function with SET search_path is never inlined, and each call then plans its query again: about 40
-- microseconds of CPU per audited write, more than the product insert itself). Without that clause
-- every name is qualified, so the caller's search_path cannot change its meaning.
CREATE OR REPLACE FUNCTION audit_hash(prev bytea, table_name text, record_id uuid, action text, old_data jsonb,
                                      new_data jsonb, actor text, txid bigint, at timestamptz) RETURNS bytea
    LANGUAGE sql STABLE
AS $$
    SELECT pg_catalog.sha256(coalesce(prev, ''::bytea) OPERATOR(pg_catalog.||) pg_catalog.convert_to(pg_catalog.jsonb_build_object(
        'table', table_name, 'record', record_id, 'action', action, 'old', old_data, 'new', new_data,
        'actor', actor, 'txid', txid, 'at', pg_catalog.to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8'))
$$;
COMMENT ON FUNCTION audit_hash(bytea, text, uuid, text, jsonb, jsonb, text, bigint, timestamptz)
    IS 'SHA-256 of the predecessor hash (if any) and the canonical content of an audit row; inlinable (no SET clause, every name qualified).';
