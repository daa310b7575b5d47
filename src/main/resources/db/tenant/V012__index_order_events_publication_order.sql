-- The relay's scan: a tenant's events after its cursor in (txid, position) order, and the backlog it
-- reports as lag. Built without blocking the writers of es_order_events.
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_es_order_events_tenant_id_txid_position ON es_order_events (tenant_id, txid, position);
