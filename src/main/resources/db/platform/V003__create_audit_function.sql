-- The audit trigger function shared by every tenant table, in every schema (tessera and tenant_*).
-- It runs as its owner (SECURITY DEFINER) because tessera_app may read audit_log but never write it:
-- the only way a row gets there is this function, fired by a change to a tenant table.

CREATE FUNCTION audit_row() RETURNS trigger
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
    changed   text[];
    prev      bytea;
    at_time   timestamptz := clock_timestamp();
    actor     text  := coalesce(nullif(current_setting('app.user_id', true), ''), session_user);
    txid      bigint := txid_current();
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF old_row ->> 'deleted_at' IS NULL AND new_row ->> 'deleted_at' IS NOT NULL THEN
            action := 'SOFT_DELETE';
        ELSIF old_row ->> 'deleted_at' IS NOT NULL AND new_row ->> 'deleted_at' IS NULL THEN
            action := 'RESTORE';
        END IF;
        SELECT array_agg(k ORDER BY k) INTO changed
          FROM jsonb_object_keys(new_row) AS k
         WHERE new_row -> k IS DISTINCT FROM old_row -> k;
    END IF;
    -- One chain per tenant: serialise this tenant's audit appends until commit, so that two
    -- concurrent transactions cannot both link to the same predecessor.
    PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || TG_TABLE_SCHEMA || ':' || tenant::text, 0));
    EXECUTE format('SELECT hash FROM %I.audit_log WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA)
       INTO prev USING tenant;
    EXECUTE format($sql$
        INSERT INTO %I.audit_log (tenant_id, table_name, record_id, action, old_data, new_data, changed_columns,
                                  actor, txid, at, prev_hash, hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                %I.audit_hash($11, $2, $3, $4, $5, $6, $8, $9, $10))
        $sql$, TG_TABLE_SCHEMA, 'tessera')
    USING tenant, TG_TABLE_NAME, (row_data ->> 'public_id')::uuid, action, old_row, new_row, changed,
          actor, txid, at_time, prev;
    RETURN NULL;
END
$$;

-- The canonical content of an audit row, hashed with its predecessor's hash. jsonb's text form is
-- deterministic (keys in a fixed order), so the same row always hashes the same.
CREATE FUNCTION audit_hash(prev bytea, table_name text, record_id uuid, action text, old_data jsonb, new_data jsonb,
                           actor text, txid bigint, at timestamptz) RETURNS bytea
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT sha256(coalesce(prev, ''::bytea) || convert_to(jsonb_build_object(
        'table', table_name, 'record', record_id, 'action', action, 'old', old_data, 'new', new_data,
        'actor', actor, 'txid', txid, 'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8'))
$$;

COMMENT ON FUNCTION audit_row() IS 'Trigger: appends a hash-chained audit_log row for every change to a tenant table.';
COMMENT ON FUNCTION audit_hash(bytea, text, uuid, text, jsonb, jsonb, text, bigint, timestamptz)
    IS 'SHA-256 of the predecessor hash and the canonical content of an audit row (tamper evidence).';

REVOKE ALL ON FUNCTION audit_row() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_hash(bytea, text, uuid, text, jsonb, jsonb, text, bigint, timestamptz)
    TO tessera_app, tessera_readonly;

-- Legal hold: while set, the retention purge leaves the tenant's deleted rows alone.
ALTER TABLE tenants ADD COLUMN legal_hold boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN tenants.legal_hold IS 'While true, the retention purge does not hard-delete this tenant''s soft-deleted rows.';
GRANT UPDATE (legal_hold) ON tenants TO tessera_app;
