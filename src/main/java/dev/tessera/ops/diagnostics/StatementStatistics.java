package dev.tessera.ops.diagnostics;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgException;

/** The slowest statements from pg_stat_statements, or how to enable it where it is missing. */
@ApplicationScoped
public class StatementStatistics {

    static final String NOT_INSTALLED = "pg_stat_statements is not installed in this database. To enable it: add "
            + "pg_stat_statements to shared_preload_libraries in postgresql.conf and restart PostgreSQL, then run "
            + "CREATE EXTENSION pg_stat_statements; in this database as a superuser (see docs/operations.md).";
    static final String NOT_LOADED = "pg_stat_statements is installed in this database but the server has not loaded "
            + "it: add pg_stat_statements to shared_preload_libraries in postgresql.conf and restart PostgreSQL "
            + "(see docs/operations.md).";

    /** pg_stat_statements refuses to answer when it is not in shared_preload_libraries. */
    private static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";

    private final Pool pool;

    StatementStatistics(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code limit} statements of this database, slowest mean execution time first. */
    public Uni<SlowQueries> slowest(int limit) {
        return pool.query(MonitorQueries.STATEMENTS_SCHEMA).execute().flatMap(rows -> rows.size() == 0
                ? Uni.createFrom().item(new SlowQueries(false, NOT_INSTALLED, List.of()))
                : statements(limit));
    }

    private Uni<SlowQueries> statements(int limit) {
        return pool.query(MonitorQueries.SLOW_STATEMENTS).execute().map(set -> {
            List<SlowQueries.Statement> out = new ArrayList<>();
            for (Row r : set.next().next()) {
                if (out.size() == limit) {
                    break;
                }
                out.add(new SlowQueries.Statement(r.getString("query_id"), r.getString("query"), r.getLong("calls"),
                        r.getDouble("total_ms"), r.getDouble("mean_ms"), r.getDouble("max_ms"), r.getLong("rows")));
            }
            return new SlowQueries(true, null, out);
        }).onFailure(e -> e instanceof PgException p && OBJECT_NOT_IN_PREREQUISITE_STATE.equals(p.getSqlState()))
                .recoverWithItem(new SlowQueries(false, NOT_LOADED, List.of()));
    }
}
