package dev.tessera.ops.diagnostics;

/**
 * The catalog and statistics queries of the diagnostics.
 *
 * <p>Each constant is one simple-protocol query string that starts with {@code SET LOCAL ROLE pg_monitor}.
 * Several statements in one simple query run as one implicit transaction, so the role change lasts for
 * exactly these statements (also when one fails) and never leaks to the next user of the pooled
 * connection. tessera_app is NOINHERIT: without the SET ROLE it would see other sessions' rows as
 * {@code <insufficient privilege>}; with it, it holds pg_monitor's rights only, which read no table data.
 */
final class MonitorQueries {

    private MonitorQueries() {
    }

    static final String AS_MONITOR = "SET LOCAL ROLE pg_monitor;\n";

    /** Connections are counted for the whole server (max_connections is per server), the rest per database. */
    static final String LOAD = AS_MONITOR + """
            SELECT count(*) FILTER (WHERE backend_type = 'client backend')                      AS connections,
                   current_setting('max_connections')::int                                      AS max_connections,
                   coalesce(max(extract(epoch FROM now() - xact_start))
                            FILTER (WHERE datname = current_database() AND pid <> pg_backend_pid()), 0)::float8
                                                                                                AS longest_transaction_seconds
              FROM pg_stat_activity
            """;

    /** Five result sets after the SET: summary, longest query, longest transaction, lock waits, replicas. */
    static final String HEALTH = AS_MONITOR + """
            SELECT current_database()                                                          AS database,
                   pg_database_size(current_database())                                        AS size_bytes,
                   pg_size_pretty(pg_database_size(current_database()))                        AS size,
                   current_setting('max_connections')::int                                     AS max_connections,
                   count(*) FILTER (WHERE backend_type = 'client backend')                     AS connections,
                   count(*) FILTER (WHERE datname = current_database() AND state = 'active'
                                      AND pid <> pg_backend_pid())                             AS active,
                   count(*) FILTER (WHERE datname = current_database() AND state = 'active'
                                      AND wait_event_type = 'Lock')                            AS waiting
              FROM pg_stat_activity;
            SELECT pid, usename AS user_name, state, wait_event_type, wait_event,
                   extract(epoch FROM now() - query_start)::float8                             AS seconds
              FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND state = 'active' AND backend_type = 'client backend'
             ORDER BY query_start
             LIMIT 1;
            SELECT pid, usename AS user_name, state, wait_event_type, wait_event,
                   extract(epoch FROM now() - xact_start)::float8                              AS seconds
              FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND xact_start IS NOT NULL AND backend_type = 'client backend'
             ORDER BY xact_start
             LIMIT 1;
            SELECT pid, usename AS user_name, state, wait_event_type, wait_event,
                   extract(epoch FROM now() - query_start)::float8                             AS seconds
              FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND state = 'active' AND wait_event_type = 'Lock'
             ORDER BY query_start;
            SELECT application_name, client_addr::text                                         AS client_addr,
                   state, sync_state,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint                   AS lag_bytes,
                   extract(epoch FROM replay_lag)::float8                                      AS replay_lag_seconds
              FROM pg_stat_replication
             ORDER BY application_name
            """;

    /** Where pg_stat_statements is installed in this database; no row when it is not. */
    static final String STATEMENTS_SCHEMA = """
            SELECT extnamespace::regnamespace::text AS schema
              FROM pg_extension
             WHERE extname = 'pg_stat_statements'
            """;

    /**
     * The slowest statements of this database by mean time. The extension's schema is put on the
     * search_path for this transaction (set_config, not string concatenation), and at most 100 rows come
     * back; the endpoint trims them to the requested limit. Utility statements are stored verbatim (not
     * normalised), so role statements, which may carry a password, are left out.
     */
    static final String SLOW_STATEMENTS = AS_MONITOR + """
            SELECT set_config('search_path', (SELECT extnamespace::regnamespace::text
                                                FROM pg_extension
                                               WHERE extname = 'pg_stat_statements'), true);
            SELECT queryid::text                                                               AS query_id,
                   query,
                   calls,
                   total_exec_time::float8                                                     AS total_ms,
                   mean_exec_time::float8                                                      AS mean_ms,
                   max_exec_time::float8                                                       AS max_ms,
                   rows
              FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND query !~* '^\\s*(CREATE|ALTER)\\s+(ROLE|USER)\\M'
             ORDER BY mean_exec_time DESC
             LIMIT 100
            """;

    /** Dead tuples per table in every schema (tenant schemas included), worst first. */
    static final String BLOAT = AS_MONITOR + """
            SELECT schemaname                                                                  AS schema,
                   relname                                                                     AS table_name,
                   n_live_tup                                                                  AS live,
                   n_dead_tup                                                                  AS dead,
                   CASE WHEN n_live_tup + n_dead_tup = 0 THEN 0
                        ELSE n_dead_tup::float8 / (n_live_tup + n_dead_tup) END                AS dead_ratio,
                   greatest(last_vacuum, last_autovacuum)                                      AS last_vacuum
              FROM pg_stat_user_tables
             ORDER BY dead_ratio DESC, n_dead_tup DESC, schemaname, relname
            """;

    /** Every table and column of schema tessera with its type and COMMENT, in column order. */
    static final String DICTIONARY = """
            SELECT c.relname                                                                   AS table_name,
                   obj_description(c.oid, 'pg_class')                                          AS table_comment,
                   a.attname                                                                   AS column_name,
                   format_type(a.atttypid, a.atttypmod)                                        AS type,
                   NOT a.attnotnull                                                            AS nullable,
                   col_description(c.oid, a.attnum)                                            AS comment
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE n.nspname = 'tessera' AND c.relkind IN ('r', 'p')
             ORDER BY c.relname, a.attnum
            """;
}
