-- Audit trail of this schema's tenant tables, written only by tessera.audit_row() (SECURITY DEFINER).

CREATE TABLE audit_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id       uuid        NOT NULL DEFAULT nullif(current_setting('app.tenant_id', true), '')::uuid,
    table_name      text        NOT NULL,
    record_id       uuid,
    action          text        NOT NULL,
    old_data        jsonb,
    new_data        jsonb,
    changed_columns text[],
    actor           text        NOT NULL,
    txid            bigint      NOT NULL,
    at              timestamptz NOT NULL,
    prev_hash       bytea,
    hash            bytea       NOT NULL,
    CONSTRAINT pk_audit_log        PRIMARY KEY (tenant_id, id),
    CONSTRAINT ck_audit_log_action CHECK (action IN ('INSERT', 'UPDATE', 'DELETE', 'SOFT_DELETE', 'RESTORE'))
);
CREATE INDEX ix_audit_log_tenant_id_table_name_record_id ON audit_log (tenant_id, table_name, record_id);
CREATE INDEX ix_audit_log_tenant_id_at ON audit_log (tenant_id, at);

COMMENT ON TABLE  audit_log                 IS 'Append-only, hash-chained history of every change to the tenant tables of this schema.';
COMMENT ON COLUMN audit_log.id              IS 'Order of recording; the chain follows it per tenant.';
COMMENT ON COLUMN audit_log.tenant_id       IS 'Tenant whose row changed; RLS-isolated like every tenant table.';
COMMENT ON COLUMN audit_log.table_name      IS 'Table that changed.';
COMMENT ON COLUMN audit_log.record_id       IS 'Public id of the changed row.';
COMMENT ON COLUMN audit_log.action          IS 'INSERT, UPDATE, DELETE (retention purge), SOFT_DELETE or RESTORE.';
COMMENT ON COLUMN audit_log.old_data        IS 'The row before the change (UPDATE, DELETE).';
COMMENT ON COLUMN audit_log.new_data        IS 'The row after the change (INSERT, UPDATE).';
COMMENT ON COLUMN audit_log.changed_columns IS 'Columns whose value changed (UPDATE).';
COMMENT ON COLUMN audit_log.actor           IS 'Token subject from app.user_id, or the database user for changes outside the service.';
COMMENT ON COLUMN audit_log.txid            IS 'Transaction id of the change.';
COMMENT ON COLUMN audit_log.at              IS 'When the change was recorded.';
COMMENT ON COLUMN audit_log.prev_hash       IS 'Hash of the tenant''s previous audit row (NULL for the first).';
COMMENT ON COLUMN audit_log.hash            IS 'tessera.audit_hash(prev_hash, content): breaks if any earlier row is altered or removed.';

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
    USING      (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Read-only for the service: rows come only from the trigger function.
GRANT SELECT ON audit_log TO tessera_app, tessera_readonly;

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION tessera.audit_row();

-- The retention purge hard-deletes rows soft-deleted long ago (recorded by the trigger as DELETE).
GRANT DELETE ON products TO tessera_app;
