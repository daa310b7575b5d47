-- Lets the retention purge find long-deleted rows without scanning live ones.
-- (A plain CREATE INDEX: the table is young here; later indexes on big tables go CONCURRENTLY.)
CREATE INDEX ix_products_tenant_id_deleted_at ON products (tenant_id, deleted_at) WHERE deleted_at IS NOT NULL;
