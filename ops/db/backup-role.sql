-- Tessera backup role: run ONCE per cluster, as a superuser, before the first backup.
--   psql "postgresql://postgres@HOST:5432/postgres" \
--        -v backup_password="$TESSERA_BACKUP_PASSWORD" -v database=tessera -f ops/db/backup-role.sql
-- tessera_backup may read everything and change nothing: pg_read_all_data gives SELECT on every table
-- and USAGE on every schema (also tenant schemas created later), and BYPASSRLS lets pg_dump read the
-- rows that FORCE ROW LEVEL SECURITY hides from any role with no tenant set (pg_dump refuses to dump a
-- table under RLS rather than write an incomplete backup). It owns nothing and cannot write, so it
-- cannot switch RLS off; keep its password as guarded as the owner's: it reads every tenant's data.
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE tessera_backup LOGIN PASSWORD %L', :'backup_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tessera_backup') \gexec
SELECT format('ALTER ROLE tessera_backup PASSWORD %L', :'backup_password') \gexec
ALTER ROLE tessera_backup LOGIN NOSUPERUSER BYPASSRLS NOCREATEROLE NOCREATEDB INHERIT;
GRANT pg_read_all_data TO tessera_backup;
SELECT format('GRANT CONNECT ON DATABASE %I TO tessera_backup', :'database') \gexec
