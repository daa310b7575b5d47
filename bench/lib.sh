# Shared by the bench scripts (sourced, not run): the throwaway database, the packaged service, tokens
# and seed data. Source it from the repository root after `set -euo pipefail`; it needs PORT and DB set,
# and PGPASSWORD exported for the superuser postgres on 127.0.0.1:5432.
PSQL=(psql -h 127.0.0.1 -U postgres -qAt -v ON_ERROR_STOP=1)
pid=""

# Drops database $DB if it exists and creates it with the roles, as ops/db/bootstrap.sql does in production.
bench_db_create() {
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  "${PSQL[@]}" -d postgres -v owner_password=tessera-dev -v app_password=tessera-dev -v database=$DB -f ops/db/bootstrap.sql >/dev/null
}

bench_db_drop() { "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; }

# The service's settings for database $DB and port $PORT, with a fresh master key.
bench_service_env() {
  export TESSERA_DB_REACTIVE_URL="postgresql://127.0.0.1:5432/$DB" TESSERA_DB_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB"
  export TESSERA_DB_APP_PASSWORD=tessera-dev TESSERA_DB_OWNER_PASSWORD=tessera-dev QUARKUS_HTTP_PORT=$PORT
  export TESSERA_MASTER_KEY=$(openssl rand -base64 32)
  export TESSERA_API_KEY_PEPPER=$(openssl rand -base64 32)
}

# Starts the packaged service (test profile: it accepts dev/token's key; Flyway migrates $DB) and waits
# until /q/health/ready answers; sets pid and start_ms (JVM start to ready, polled every BENCH_POLL s).
#   start_service LOG [java options...]
start_service() {
  local log=$1 t0; shift
  t0=$(date +%s%N)
  java ${BENCH_JAVA_OPTS:-} "$@" -Dquarkus.profile=test -D%test.quarkus.hibernate-orm.schema-management.strategy=none \
       -Dquarkus.log.level=WARN -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }; sleep "${BENCH_POLL:-0.2}"; done
  start_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; pid=""; }

api() { curl -fs -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }

# Provisions tenant SLUG (SHARED or SCHEMA) through the admin API and prints its id. Needs $admin, a
# platform-admin token (dev/token - platform-admin bench 7200).
provision() { # slug [isolation]
  api "$admin" -d "{\"slug\":\"$1\",\"name\":\"Bench $1\",\"isolation\":\"${2:-SHARED}\"}" "http://127.0.0.1:$PORT/admin/tenants" >/dev/null
  "${PSQL[@]}" -d $DB -c "SELECT id FROM tessera.tenants WHERE slug = '$1'"
}

# Seeds products straight into the tenant's table (fast), under the tenant's context so RLS and audit
# accept them; the table is tessera.products or the tenant's own schema's. Then ANALYZE.
seed_products() { # tenant-id count
  local schema
  schema=$("${PSQL[@]}" -d $DB -c "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = '$1'")
  "${PSQL[@]}" -d $DB <<SQL >/dev/null
BEGIN;
SELECT set_config('app.tenant_id', '$1', true), set_config('app.user_id', 'bench-seed', true);
INSERT INTO $schema.products (public_id, sku, name, price, currency)
SELECT gen_random_uuid(), 'SKU-' || g, 'Product ' || g, (g % 1000) + 0.99, 'EUR' FROM generate_series(1, $2) g;
COMMIT;
ANALYZE;
SQL
}

# Fails with a clear message when a port is taken (another helper's service, a stale run).
port_free() { # port
  ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" || { echo "port $1 is in use on 127.0.0.1: set another" >&2; exit 1; }
}
