-- Tessera database bootstrap: run as a superuser before the first deployment; safe to run again (it
-- repairs the roles' attributes and sets the passwords it is given).
--   psql "postgresql://postgres@HOST:5432/postgres" \
--        -v owner_password="$TESSERA_DB_OWNER_PASSWORD" -v app_password="$TESSERA_DB_APP_PASSWORD" \
--        -v database=tessera -f ops/db/bootstrap.sql
-- It creates the three roles and the database; everything inside the database (schemas, tables, RLS
-- policies, grants) is then created by the service's Flyway migrations, logged in as tessera_owner.
-- Dev mode and the tests run the same statements through dev.tessera.ops.DatabaseBootstrap.
\set ON_ERROR_STOP on

SELECT 'CREATE ROLE tessera_owner LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tessera_owner') \gexec
SELECT 'CREATE ROLE tessera_app LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tessera_app') \gexec
-- The passwords are set on every run, not only when a role is created: re-running the script with new
-- passwords is how they are rotated (then update the service's Secret and restart it).
SELECT format('ALTER ROLE tessera_owner PASSWORD %L', :'owner_password') \gexec
SELECT format('ALTER ROLE tessera_app PASSWORD %L', :'app_password') \gexec
SELECT 'CREATE ROLE tessera_readonly NOLOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tessera_readonly') \gexec

-- The owner migrates; it is not a superuser and cannot bypass RLS (FORCE RLS binds it too).
ALTER ROLE tessera_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB;
-- The runtime login: no superuser, no BYPASSRLS, no ownership, no inherited privileges.
ALTER ROLE tessera_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT;
ALTER ROLE tessera_readonly NOLOGIN NOSUPERUSER NOBYPASSRLS;
-- Bind parameters carry data keys and PII: the server must never log their values (checked at start-up).
ALTER ROLE tessera_app SET log_parameter_max_length = 0;
ALTER ROLE tessera_app SET log_parameter_max_length_on_error = 0;
-- Tenant reads run as one statement in their own implicit transaction (docs/design/transaction-door.md):
-- a timeout set inside that statement does not time it, so the role's own limit does. Keep it equal to
-- tessera.tenancy.statement-timeout (TESSERA_STATEMENT_TIMEOUT), which tenant transactions set locally.
ALTER ROLE tessera_app SET statement_timeout = '5s';
-- The admin diagnostics (/admin/db) read other sessions' activity, database sizes and statement
-- statistics. pg_monitor gives read access to statistics and settings, NOT to table data. As tessera_app
-- is NOINHERIT, the membership is used only by a diagnostic query that runs SET LOCAL ROLE pg_monitor,
-- and that query then holds pg_monitor's rights alone (no DML on any table).
GRANT pg_monitor TO tessera_app;

SELECT format('CREATE DATABASE %I OWNER tessera_owner', :'database')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO tessera_app, tessera_readonly', :'database') \gexec
