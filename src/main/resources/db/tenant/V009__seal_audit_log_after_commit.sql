-- The audit trail without a write ceiling (docs/design/audit-trail.md).
--
-- Until now the trigger linked each audit row to its predecessor inside the writing transaction,
-- under a per-tenant advisory lock held through COMMIT: one tenant's audited writes ran one at a
-- time, about 1,000 per second whatever the hardware. From here on:
--   * the trigger records the row and its own content hash (row_hash), nothing else: no lock, no
--     read of another row, no dynamic SQL; a write never waits for another transaction's audit row;
--   * audit_seal(n), run by the service's sealer after commit, links committed rows into the
--     tenant's chain in batches, in (txid, id) order, and records each batch in audit_seal.
-- Rows written by the old trigger keep their prev_hash/hash chain (row_hash NULL) and verify as
-- before; the first sealed batch links to the last of them.
-- The function and table names in this schema are resolved through ${flyway:defaultSchema}, so
-- every schema (tessera and each tenant_*) gets functions bound to its own tables.

ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL;
ALTER TABLE audit_log ADD COLUMN row_hash bytea;
-- A row is either of the old chain (hash) or waits for / is covered by a seal (row_hash). Enforced
-- for new rows; not validated, because every existing row holds by construction (hash NOT NULL until
-- now, row_hash new), and a VALIDATE here would scan the whole log under this script's lock.
ALTER TABLE audit_log ADD CONSTRAINT ck_audit_log_one_hash CHECK ((hash IS NULL) <> (row_hash IS NULL)) NOT VALID;

COMMENT ON COLUMN audit_log.prev_hash IS 'Rows recorded before tenant V009 only: hash of the tenant''s previous row (NULL for the first).';
COMMENT ON COLUMN audit_log.hash      IS 'Rows recorded before tenant V009 only: tessera.audit_hash(prev_hash, content).';
COMMENT ON COLUMN audit_log.row_hash  IS 'tessera.audit_hash(NULL, content), computed at insert; a seal in audit_seal links it into the tenant''s chain.';
COMMENT ON COLUMN audit_log.txid      IS 'Transaction id of the change (txid_current(), with epoch): with id, the order of the sealed chain.';

-- The sealer's state per tenant: where the sealed chain ends. Locked FOR UPDATE SKIP LOCKED by the
-- one sealer that works on the tenant at a time.
CREATE TABLE audit_seal_state (
    tenant_id  uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid,
    batch_no   bigint      NOT NULL,
    to_txid    bigint      NOT NULL,
    to_id      bigint      NOT NULL,
    hash       bytea,
    horizon    bigint      NOT NULL,
    sealed_at  timestamptz NOT NULL,
    CONSTRAINT pk_audit_seal_state PRIMARY KEY (tenant_id)
);
COMMENT ON TABLE  audit_seal_state           IS 'Where each tenant''s sealed audit chain ends; one row per tenant, written only by audit_seal().';
COMMENT ON COLUMN audit_seal_state.tenant_id IS 'Tenant whose chain this is; RLS-isolated like every tenant table.';
COMMENT ON COLUMN audit_seal_state.batch_no  IS 'Number of the last sealed batch (0: none yet).';
COMMENT ON COLUMN audit_seal_state.to_txid   IS 'txid of the last sealed row (0: none yet).';
COMMENT ON COLUMN audit_seal_state.to_id     IS 'id of the last sealed row (0: none yet).';
COMMENT ON COLUMN audit_seal_state.hash      IS 'Hash of the last sealed batch: the head of the chain.';
COMMENT ON COLUMN audit_seal_state.horizon   IS 'Next transaction id when the state was created: the first batch waits until every older transaction has ended, so that rows of the old trigger still in flight are final before the chain links to them.';
COMMENT ON COLUMN audit_seal_state.sealed_at IS 'When the state last changed.';

-- One row per sealed batch: the rows in (from, to] in (txid, id) order, their count and digests.
CREATE TABLE audit_seal (
    tenant_id         uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid,
    batch_no          bigint      NOT NULL,
    from_txid         bigint      NOT NULL,
    from_id           bigint      NOT NULL,
    to_txid           bigint      NOT NULL,
    to_id             bigint      NOT NULL,
    row_count         integer     NOT NULL,
    prev_hash         bytea,
    hash              bytea       NOT NULL,
    set_hash          bytea       NOT NULL,
    legacy_through_id bigint,
    sealed_at         timestamptz NOT NULL,
    CONSTRAINT pk_audit_seal PRIMARY KEY (tenant_id, batch_no),
    CONSTRAINT ck_audit_seal_range CHECK ((to_txid, to_id) > (from_txid, from_id) AND row_count > 0)
);
COMMENT ON TABLE  audit_seal                   IS 'The sealed audit chain: one row per batch of committed audit_log rows, written only by audit_seal().';
COMMENT ON COLUMN audit_seal.tenant_id         IS 'Tenant whose chain this batch belongs to; RLS-isolated like every tenant table.';
COMMENT ON COLUMN audit_seal.batch_no          IS 'Position in the tenant''s chain, from 1; the primary key makes a fork impossible.';
COMMENT ON COLUMN audit_seal.from_txid         IS 'The batch holds the rows after (from_txid, from_id) ...';
COMMENT ON COLUMN audit_seal.from_id           IS '... (the previous batch''s end, or (0, 0)) ...';
COMMENT ON COLUMN audit_seal.to_txid           IS '... up to and including (to_txid, to_id), in (txid, id) order.';
COMMENT ON COLUMN audit_seal.to_id             IS 'See to_txid.';
COMMENT ON COLUMN audit_seal.row_count         IS 'Number of rows in the batch.';
COMMENT ON COLUMN audit_seal.prev_hash         IS 'Hash of the previous batch; for batch 1 the hash of the last row of the old trigger''s chain (NULL if none).';
COMMENT ON COLUMN audit_seal.hash              IS 'sha256(prev_hash || the row_hash of each row in (txid, id) order).';
COMMENT ON COLUMN audit_seal.set_hash          IS 'sha256(the row hashes sorted by value): tells reordered rows from replaced ones.';
COMMENT ON COLUMN audit_seal.legacy_through_id IS 'Batch 1 only: id of the last row of the old trigger''s chain that prev_hash links to.';
COMMENT ON COLUMN audit_seal.sealed_at         IS 'When the batch was sealed.';

ALTER TABLE audit_seal_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_seal_state FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_seal_state
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE audit_seal ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_seal FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_seal
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Read-only for the service, like audit_log: rows come only from audit_seal().
GRANT SELECT ON audit_seal_state, audit_seal TO tessera_app, tessera_readonly;

-- The trigger of this schema's tenant tables. SECURITY DEFINER because tessera_app may read
-- audit_log but never write it. Columns ending in _enc or _hmac and the columns named as trigger
-- arguments (clear PII) are left out of old_data/new_data; their names still appear in
-- changed_columns. Static SQL against this schema's table: its plan is prepared once per session.
CREATE FUNCTION audit_change() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old_row   jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
    new_row   jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
    row_data  jsonb := coalesce(new_row, old_row);
    record_id uuid  := (row_data ->> 'public_id')::uuid;
    action    text  := TG_OP;
    hidden    text[];
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
        SELECT array_agg(k ORDER BY k) INTO changed
          FROM jsonb_object_keys(new_row) AS k
         WHERE new_row -> k IS DISTINCT FROM old_row -> k;
    END IF;
    SELECT coalesce(array_agg(k), '{}') INTO hidden
      FROM jsonb_object_keys(row_data) AS k
     WHERE k LIKE '%\_enc' OR k LIKE '%\_hmac' OR k = ANY (TG_ARGV);
    old_row := old_row - hidden;
    new_row := new_row - hidden;
    INSERT INTO "${flyway:defaultSchema}".audit_log
           (tenant_id, table_name, record_id, action, old_data, new_data, changed_columns, actor, txid, at, row_hash)
    VALUES ((row_data ->> 'tenant_id')::uuid, TG_TABLE_NAME, record_id, action, old_row, new_row, changed, actor, txid,
            at_time, tessera.audit_hash(NULL, TG_TABLE_NAME, record_id, action, old_row, new_row, actor, txid, at_time));
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit_change() IS 'Trigger: records every change to a tenant table in audit_log with its content hash, without PII columns; audit_seal() links it into the chain after commit.';
REVOKE ALL ON FUNCTION audit_change() FROM PUBLIC;

DROP TRIGGER audit ON products;
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION audit_change();
DROP TRIGGER audit ON customers;
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION audit_change('display_name');

-- Seals up to max_rows committed audit rows of the current tenant (app.tenant_id) as one batch, and
-- returns how many it sealed (-1: another sealer holds the tenant; 0: nothing to seal yet) and the
-- time of the oldest row still unsealed afterwards (NULL: none).
--
-- The rule that cannot skip a row: ids and txids are assigned while transactions run, and they
-- commit in any order, so "everything up to the highest id" would pass over a row that commits
-- later. Only rows whose txid is below the xmin of the current snapshot are sealed: every
-- transaction below xmin has ended, so all of its rows are visible now and no other row with such a
-- txid can ever appear. Taking them in (txid, id) order, the batch's last (txid, id) is a cursor
-- below which no row can arrive later. See docs/design/audit-trail.md for the proof.
CREATE FUNCTION audit_seal(max_rows integer, OUT sealed integer, OUT oldest_unsealed timestamptz)
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant      uuid   := nullif(current_setting('app.tenant_id', true), '')::uuid;
    -- Taken before the rows are read: any later snapshot sees every row of a transaction below it.
    xmin_now    bigint := pg_snapshot_xmin(pg_current_snapshot())::text::bigint;
    state       "${flyway:defaultSchema}".audit_seal_state;
    legacy_id   bigint;
    prev        bytea;
    n           integer;
    last_txid   bigint;
    last_id     bigint;
    ordered     bytea;
    sorted      bytea;
BEGIN
    sealed := 0;
    IF tenant IS NULL THEN
        RAISE EXCEPTION 'audit_seal: no tenant context' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF max_rows IS NULL OR max_rows < 1 THEN
        RAISE EXCEPTION 'audit_seal: max_rows must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Nothing to seal (the common case of a sealer's visit): answer without taking the lock, which
    -- would cost a transaction id and a WAL flush.
    SELECT * INTO state FROM "${flyway:defaultSchema}".audit_seal_state WHERE tenant_id = tenant;
    IF FOUND AND state.batch_no > 0 AND NOT EXISTS (
            SELECT 1 FROM "${flyway:defaultSchema}".audit_log a
             WHERE a.tenant_id = tenant AND a.row_hash IS NOT NULL
               AND (a.txid, a.id) > (state.to_txid, state.to_id) AND a.txid < xmin_now) THEN
        SELECT min(a.at) INTO oldest_unsealed FROM "${flyway:defaultSchema}".audit_log a
         WHERE a.tenant_id = tenant AND a.row_hash IS NOT NULL AND (a.txid, a.id) > (state.to_txid, state.to_id);
        RETURN;
    END IF;
    SELECT * INTO state FROM "${flyway:defaultSchema}".audit_seal_state
     WHERE tenant_id = tenant FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM "${flyway:defaultSchema}".audit_seal_state WHERE tenant_id = tenant) THEN
            sealed := -1;                      -- another sealer is at work on this tenant
            RETURN;
        END IF;
        INSERT INTO "${flyway:defaultSchema}".audit_seal_state
               (tenant_id, batch_no, to_txid, to_id, hash, horizon, sealed_at)
        VALUES (tenant, 0, 0, 0, NULL, pg_snapshot_xmax(pg_current_snapshot())::text::bigint, clock_timestamp())
        ON CONFLICT (tenant_id) DO NOTHING;
        SELECT * INTO state FROM "${flyway:defaultSchema}".audit_seal_state
         WHERE tenant_id = tenant FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            sealed := -1;
            RETURN;
        END IF;
    END IF;

    IF state.batch_no = 0 THEN
        IF xmin_now < state.horizon THEN
            -- A transaction that may still add a row to the old chain is running: wait for it.
            SELECT min(a.at) INTO oldest_unsealed FROM "${flyway:defaultSchema}".audit_log a
             WHERE a.tenant_id = tenant AND a.row_hash IS NOT NULL;
            RETURN;
        END IF;
        SELECT a.id, a.hash INTO legacy_id, prev FROM "${flyway:defaultSchema}".audit_log a
         WHERE a.tenant_id = tenant AND a.row_hash IS NULL ORDER BY a.id DESC LIMIT 1;
    ELSE
        prev := state.hash;
    END IF;

    WITH batch AS MATERIALIZED (
        SELECT a.txid, a.id, a.row_hash
          FROM "${flyway:defaultSchema}".audit_log a
         WHERE a.tenant_id = tenant
           AND a.row_hash IS NOT NULL
           AND (a.txid, a.id) > (state.to_txid, state.to_id)
           AND a.txid < xmin_now
         ORDER BY a.txid, a.id
         LIMIT max_rows
    )
    SELECT count(*),
           string_agg(b.row_hash, ''::bytea ORDER BY b.txid, b.id),
           string_agg(b.row_hash, ''::bytea ORDER BY b.row_hash),
           (SELECT b2.txid FROM batch b2 ORDER BY b2.txid DESC, b2.id DESC LIMIT 1),
           (SELECT b2.id   FROM batch b2 ORDER BY b2.txid DESC, b2.id DESC LIMIT 1)
      INTO n, ordered, sorted, last_txid, last_id
      FROM batch b;

    IF n > 0 THEN
        -- The state first, then the batch: the whole is one transaction, so a sealer killed between
        -- the two leaves neither (tested by killing it while the batch insert waits on a lock).
        UPDATE "${flyway:defaultSchema}".audit_seal_state
           SET batch_no = state.batch_no + 1, to_txid = last_txid, to_id = last_id,
               hash = sha256(coalesce(prev, ''::bytea) || ordered), sealed_at = clock_timestamp()
         WHERE tenant_id = tenant;
        INSERT INTO "${flyway:defaultSchema}".audit_seal
               (tenant_id, batch_no, from_txid, from_id, to_txid, to_id, row_count, prev_hash, hash, set_hash,
                legacy_through_id, sealed_at)
        VALUES (tenant, state.batch_no + 1, state.to_txid, state.to_id, last_txid, last_id, n, prev,
                sha256(coalesce(prev, ''::bytea) || ordered), sha256(sorted),
                CASE WHEN state.batch_no = 0 THEN legacy_id END, clock_timestamp());
        sealed := n;
        state.to_txid := last_txid;
        state.to_id := last_id;
    END IF;

    SELECT min(a.at) INTO oldest_unsealed FROM "${flyway:defaultSchema}".audit_log a
     WHERE a.tenant_id = tenant AND a.row_hash IS NOT NULL AND (a.txid, a.id) > (state.to_txid, state.to_id);
END
$$;
COMMENT ON FUNCTION audit_seal(integer) IS 'Links up to max_rows committed audit rows of the current tenant into its chain as one batch (the sealer, after commit).';
REVOKE ALL ON FUNCTION audit_seal(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_seal(integer) TO tessera_app;
