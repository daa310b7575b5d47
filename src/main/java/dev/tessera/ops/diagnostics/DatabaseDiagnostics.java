package dev.tessera.ops.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * Reads the state of the database for platform administrators and for the readiness warning.
 *
 * <p>Every query reads catalogs and statistics only, as pg_monitor (see {@link MonitorQueries}); none runs
 * in a tenant transaction or touches tenant rows.
 */
@ApplicationScoped
public class DatabaseDiagnostics {

    private final Pool pool;

    DatabaseDiagnostics(Pool pool) {
        this.pool = pool;
    }

    /** Connection use of the server and the age of the oldest open transaction of this database. */
    public Uni<DbLoad> load() {
        return pool.query(MonitorQueries.LOAD).execute().map(rows -> {
            Row r = rows.next().iterator().next();
            return new DbLoad(r.getLong("connections"), r.getInteger("max_connections"),
                    r.getDouble("longest_transaction_seconds"));
        });
    }

    /** Size, connections, active and waiting queries, the longest query and transaction, replicas. */
    public Uni<DbHealth> health() {
        return pool.query(MonitorQueries.HEALTH).execute().map(DatabaseDiagnostics::health);
    }

    /** Dead tuples per table in every schema, worst first. */
    public Uni<List<TableBloat>> bloat() {
        return pool.query(MonitorQueries.BLOAT).execute().map(rows -> {
            List<TableBloat> out = new ArrayList<>();
            for (Row r : rows.next()) {
                out.add(new TableBloat(r.getString("schema"), r.getString("table_name"), r.getLong("live"),
                        r.getLong("dead"), r.getDouble("dead_ratio"), r.getOffsetDateTime("last_vacuum")));
            }
            return out;
        });
    }

    /** Tables and columns of schema tessera with types and comments. */
    public Uni<DataDictionary> dictionary() {
        return pool.query(MonitorQueries.DICTIONARY).execute().map(rows -> {
            Map<String, DataDictionary.Table> tables = new LinkedHashMap<>();
            for (Row r : rows) {
                tables.computeIfAbsent(r.getString("table_name"),
                        name -> new DataDictionary.Table(name, r.getString("table_comment"), new ArrayList<>()))
                        .columns().add(new DataDictionary.Column(r.getString("column_name"), r.getString("type"),
                                r.getBoolean("nullable"), r.getString("comment")));
            }
            return new DataDictionary("tessera", "Schema tessera holds the platform tables and the tenant tables "
                    + "built by the same db/tenant scripts as every tenant_* schema, so it describes those too.",
                    List.copyOf(tables.values()));
        });
    }

    private static DbHealth health(RowSet<Row> set) {
        RowSet<Row> summarySet = set.next();
        Row s = summarySet.iterator().next();
        RowSet<Row> longestQuery = summarySet.next();
        RowSet<Row> longestTransaction = longestQuery.next();
        RowSet<Row> waiting = longestTransaction.next();
        RowSet<Row> replicas = waiting.next();
        long inUse = s.getLong("connections");
        int max = s.getInteger("max_connections");
        List<DbHealth.Session> waitingSessions = new ArrayList<>();
        waiting.forEach(r -> waitingSessions.add(session(r)));
        List<DbHealth.Replica> replicaList = new ArrayList<>();
        replicas.forEach(r -> replicaList.add(new DbHealth.Replica(r.getString("application_name"),
                r.getString("client_addr"), r.getString("state"), r.getString("sync_state"), r.getLong("lag_bytes"),
                r.getDouble("replay_lag_seconds"))));
        return new DbHealth(s.getString("database"), s.getLong("size_bytes"), s.getString("size"),
                new DbHealth.Connections(inUse, max, Math.round(1000.0 * inUse / max) / 10.0,
                        DbLoad.connectionsHigh(inUse, max)),
                new DbHealth.Queries(s.getLong("active"), s.getLong("waiting"), waitingSessions),
                first(longestQuery), first(longestTransaction), replicaList);
    }

    private static DbHealth.Session first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? session(it.next()) : null;
    }

    private static DbHealth.Session session(Row r) {
        return new DbHealth.Session(r.getInteger("pid"), r.getString("user_name"), r.getString("state"),
                r.getString("wait_event_type"), r.getString("wait_event"), r.getDouble("seconds"));
    }
}
