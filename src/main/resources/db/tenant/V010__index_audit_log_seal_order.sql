-- The sealer's scan: a tenant's rows after the sealed cursor in (txid, id) order, and the unsealed
-- tail that GET /api/audit/verify reports. Built without blocking the writers of audit_log.
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_audit_log_tenant_id_txid_id ON audit_log (tenant_id, txid, id);
