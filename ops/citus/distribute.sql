-- Distributes a migrated Tessera database over a Citus cluster (docs/design/scale-out.md).
--
-- Run with psql on the COORDINATOR, as a superuser, in Tessera's database, after the migrations and
-- after the workers were added (citus_set_coordinator_host, citus_add_node):
--
--     psql -X -v ON_ERROR_STOP=1 -d tessera -f ops/citus/distribute.sql
--
-- Safe to run again: whatever is already distributed is left as it is. The Citus job runs it on every
-- throwaway test database (PostgresTestResource with TESSERA_TEST_CITUS_WORKERS), so every line here
-- is exercised by CI.
--
-- What it does:
--   1. Database settings Tessera needs on Citus (new sessions only, so restart the service afterwards).
--   2. Objects that exist only on the coordinator reach the workers: pgcrypto, the functions that the
--      tenant tables' triggers call on the workers.
--   3. Platform tables (tenant directory, platform audit, lifecycle policy, ...): reference tables,
--      a copy on every node.
--   4. SHARED tenant tables (every table of schemas tessera and tessera_keys with the tenant_isolation
--      policy): distributed by tenant_id, all co-located, so one tenant's rows of every table live in
--      shards on the same worker and a transaction of one tenant touches one worker.
--   5. Existing SCHEMA tenants: distributed schemas (one single-shard group per schema).
-- Flyway's history tables stay local to the coordinator: only the coordinator migrates.
\set ON_ERROR_STOP on
\pset footer off

-- 1. Settings of this database.
-- Citus forwards to the workers only a literal SET LOCAL, and only with propagate_set_commands =
-- 'local'; Tessera sets its tenant context with SET LOCAL (tessera.enter_tenant), so RLS on the
-- workers' shards sees app.tenant_id. Without it every read of a distributed table returns no row.
ALTER DATABASE :"DBNAME" SET citus.propagate_set_commands = 'local';
-- Tenant migrations that run later create triggers (the audit trail) on distributed tables.
ALTER DATABASE :"DBNAME" SET citus.enable_unsafe_triggers = on;
-- Every schema created from now on is a distributed schema: a new SCHEMA tenant provisioned through
-- the coordinator becomes one single-shard group, placed on a worker by Citus.
ALTER DATABASE :"DBNAME" SET citus.enable_schema_based_sharding = on;
-- This session: distributing tables that already have triggers.
SET citus.enable_unsafe_triggers = on;

-- 2. What the workers need. pgcrypto: pgp_sym_decrypt runs where the customer rows are.
-- (Created on the coordinator after CREATE EXTENSION citus, Citus has created it on the workers already;
-- a metadata worker refuses CREATE EXTENSION unless DDL propagation is off for the command.)
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM run_command_on_workers(
            $c$SELECT count(*) FROM pg_extension WHERE extname = 'pgcrypto'$c$) LOOP
        IF NOT r.success THEN
            RAISE EXCEPTION 'worker %:%: %', r.nodename, r.nodeport, r.result;
        END IF;
        IF r.result = '0' THEN
            PERFORM 1 FROM run_command_on_workers(
                'SET citus.enable_ddl_propagation TO off; CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public') w
             WHERE NOT w.success AND w.nodename = r.nodename AND w.nodeport = r.nodeport;
            IF FOUND THEN
                RAISE EXCEPTION 'could not create pgcrypto on worker %:%', r.nodename, r.nodeport;
            END IF;
        END IF;
    END LOOP;
END
$$;
-- Trigger functions call other functions (audit_change calls tessera.audit_hash) that Citus cannot see
-- as dependencies; functions created before CREATE EXTENSION citus were never propagated. Make every
-- function of Tessera's schemas a distributed object (without a distribution argument: it is only
-- created on every node and kept in step by later CREATE OR REPLACE).
SELECT format('SELECT create_distributed_function(%L)', p.oid::regprocedure)
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN ('tessera', 'tessera_keys')
   AND p.prokind = 'f'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
   AND NOT EXISTS (SELECT 1 FROM pg_dist_object o WHERE o.classid = 'pg_proc'::regclass AND o.objid = p.oid)
 ORDER BY p.oid \gexec

-- Foreign keys to the tenant directory are dropped while the tables change kind and recreated at the
-- end: with them in place, making tenants a reference table would first turn every referencing table
-- into a Citus local table, and Citus cannot convert a table with an identity column a second time.
CREATE TEMP TABLE tessera_citus_fks AS
SELECT c.conrelid::regclass AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
  FROM pg_constraint c
  JOIN pg_class r ON r.oid = c.conrelid
  JOIN pg_namespace n ON n.oid = r.relnamespace
 WHERE c.contype = 'f'
   AND n.nspname IN ('tessera', 'tessera_keys')
   AND NOT EXISTS (SELECT 1 FROM pg_dist_partition d WHERE d.logicalrelid = c.conrelid);
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, conname) FROM tessera_citus_fks \gexec

-- The tables of Tessera's two schemas: tenant tables (with the tenant_isolation policy) and the rest,
-- except Flyway's history tables.
CREATE TEMP VIEW tessera_citus_tables AS
SELECT c.oid::regclass AS tbl,
       EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation') AS tenant_table
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('tessera', 'tessera_keys')
   AND c.relkind IN ('r', 'p')
   AND c.relname NOT LIKE 'flyway%'
   AND NOT EXISTS (SELECT 1 FROM pg_dist_partition d WHERE d.logicalrelid = c.oid);

-- 3. Platform tables: reference tables.
SELECT format('SELECT create_reference_table(%L)', tbl) FROM tessera_citus_tables WHERE NOT tenant_table ORDER BY tbl::oid \gexec

-- 4. SHARED tenant tables: distributed by tenant_id and co-located with tessera.products.
SELECT 'SELECT create_distributed_table(''tessera.products'', ''tenant_id'', colocate_with => ''none'')'
 WHERE EXISTS (SELECT 1 FROM tessera_citus_tables WHERE tbl = 'tessera.products'::regclass) \gexec
SELECT format('SELECT create_distributed_table(%L, %L, colocate_with => %L)', tbl, 'tenant_id', 'tessera.products')
  FROM tessera_citus_tables WHERE tenant_table ORDER BY tbl::oid \gexec

SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, conname, def) FROM tessera_citus_fks \gexec

-- Column-level INSERT (tessera_app may insert a tenant only without its state, dates or shredding
-- date, platform V011) cannot hold on the shards: Citus sends the shard an INSERT that names every
-- column, the defaults filled in, and tessera_app's insert of a tenant fails there with "permission
-- denied for table tenants_102008". The rule stays on the table the service addresses (the coordinator
-- checks it before routing); on that table's placements the grantee gets INSERT on the whole row. A
-- statement that names a shard table directly bypasses the rule (docs/design/scale-out.md, limits).
DO $$
DECLARE
    g record;
    r record;
BEGIN
    FOR g IN
        SELECT DISTINCT c.oid::regclass AS tbl, format('GRANT INSERT ON %%s TO %I', pg_get_userbyid(a.grantee)) AS grant_sql
          FROM pg_class c
          JOIN pg_attribute att ON att.attrelid = c.oid AND att.attnum > 0 AND NOT att.attisdropped AND att.attacl IS NOT NULL
         CROSS JOIN LATERAL aclexplode(att.attacl) a
         WHERE c.oid IN (SELECT logicalrelid FROM pg_dist_partition)
           AND a.privilege_type = 'INSERT'
           AND a.grantee <> c.relowner
           AND NOT has_table_privilege(a.grantee, c.oid, 'INSERT')
    LOOP
        FOR r IN SELECT * FROM run_command_on_placements(g.tbl, g.grant_sql) LOOP
            IF NOT r.success THEN
                RAISE EXCEPTION '% on %:% (shard %): %', g.grant_sql, r.nodename, r.nodeport, r.shardid, r.result;
            END IF;
        END LOOP;
    END LOOP;
END
$$;

-- 5. SCHEMA tenants that existed before: each schema becomes a distributed schema.
SELECT format('SELECT citus_schema_distribute(%L)', t.schema_name)
  FROM tessera.tenants t
  JOIN pg_namespace n ON n.nspname = t.schema_name
 WHERE NOT EXISTS (SELECT 1 FROM pg_dist_schema s WHERE s.schemaid = n.oid)
 ORDER BY t.schema_name \gexec

-- What is where now.
SELECT table_name, citus_table_type, distribution_column, colocation_id, shard_count
  FROM citus_tables
 ORDER BY citus_table_type, table_name::text;
