-- The lifecycle relay's scan: rows after its cursor in (txid, id) order. Built without blocking writers.
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_platform_audit_txid_id ON platform_audit (txid, id);
