-- The wrapped data keys move out of schema tessera into a keystore schema of their own, so that the
-- data backups can leave them out: a key inside a data dump would come back with every restore of that
-- dump, and destroying it on offboarding (crypto-shredding) would then destroy nothing. ops/backup
-- dumps the structure of tessera_keys with the data but never its rows; the rows have their own backup
-- (ops/backup --keys), which leaves out tenants that are being offboarded.
--
-- ALTER TABLE ... SET SCHEMA is a catalog change only (no rewrite, no scan): RLS, the policy, grants,
-- comments, the primary and the foreign key move with the table.

CREATE SCHEMA tessera_keys;
COMMENT ON SCHEMA tessera_keys IS 'Keystore: wrapped per-tenant keys. Its rows are left out of the data backups and backed up on their own.';
REVOKE ALL ON SCHEMA tessera_keys FROM PUBLIC;
GRANT USAGE ON SCHEMA tessera_keys TO tessera_app;

ALTER TABLE tenant_keys SET SCHEMA tessera_keys;

-- While a rolling update runs, the previous release still reads and writes tessera.tenant_keys: a
-- view with the old name keeps it working. security_invoker: the caller's grants and the table's RLS
-- apply, exactly as on the table. It holds no rows, so no key enters a data dump through it.
-- Drop it in the release after this one.
CREATE VIEW tenant_keys WITH (security_invoker = true) AS
SELECT tenant_id, version, data_key_wrapped, hmac_key_wrapped, created_at, retired_at
  FROM tessera_keys.tenant_keys;
COMMENT ON VIEW tenant_keys IS 'Deprecated: the keys moved to tessera_keys.tenant_keys; kept for the previous release during a rolling update.';
GRANT SELECT, INSERT ON tenant_keys TO tessera_app;
GRANT UPDATE (retired_at) ON tenant_keys TO tessera_app;
