package dev.tessera.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.tessera.shared.sql.CustomPlans;
import dev.tessera.tenancy.IsolationMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads PostgreSQL's plans in tests: {@code EXPLAIN (ANALYZE, FORMAT JSON)} as a list of plan nodes. */
public final class Plans {

    /** Both plans a cached prepared statement can run with: PostgreSQL settles on the generic one after five executions. */
    public static final List<String> MODES = List.of("force_generic_plan", "force_custom_plan");

    /** Work on a connection, which may throw. */
    @FunctionalInterface
    public interface SqlWork {
        void run(Connection c) throws Exception;
    }

    private Plans() {
    }

    /** {@link #inTenantRolledBack} in a tenant provisioned for it alone, in the given isolation mode. */
    public static void inNewTenantRolledBack(IsolationMode mode, SqlWork work) throws Exception {
        inTenantRolledBack(TestTenants.idOf(TwoTenants.provision(mode)), work);
    }

    /**
     * Runs {@code work} as the superuser in a transaction of the tenant (context set, its schema first on
     * the search path), and rolls it back: rows seeded there to give the planner a table worth an index
     * leave nothing behind.
     */
    public static void inTenantRolledBack(UUID tenant, SqlWork work) throws Exception {
        try (Connection su = Db.asSuperuser()) {
            su.setAutoCommit(false);
            try {
                String schema = Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?",
                        tenant).get(0);
                Db.column(su, """
                        SELECT set_config('app.tenant_id', ?, true), set_config('app.user_id', 'plan-test', true),
                               set_config('search_path', ? || ', public', true)""", tenant.toString(), schema);
                work.run(su);
            } finally {
                su.rollback();
            }
        }
    }

    /** Runs an INSERT that seeds rows for the planner (on the rolled-back connection of {@link #inTenantRolledBack}). */
    public static void seed(Connection c, String insert, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(insert)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    /**
     * The value of {@code column} halfway through the tenant's rows of {@code table} in its order: a cursor
     * deep into a list. Named by tenant, since the superuser is not held by RLS.
     */
    public static String middle(Connection c, String table, String column) throws SQLException {
        return Db.column(c, """
                SELECT %1$s FROM %2$s WHERE tenant_id = current_setting('app.tenant_id')::uuid ORDER BY %1$s
                OFFSET (SELECT count(*) / 2 FROM %2$s WHERE tenant_id = current_setting('app.tenant_id')::uuid) LIMIT 1"""
                .formatted(column, table)).get(0);
    }

    /**
     * The plan of a list statement as the service runs it: as tessera_app, after {@link CustomPlans}, once
     * the statement has run with {@code firstPage} (the common call: no cursor, no filter) more often than
     * PostgreSQL makes custom plans for before it may settle on a generic one. Whether it then does is a
     * cost estimate (it did for the rebuild's statement, not for these in our data), so the transaction
     * starts from the worst case, {@code force_generic_plan}, as an operator's setting or the estimate
     * could make it: the list must be planned for its arguments all the same. {@code table} is analysed
     * first (inside the caller's transaction, so seeded rows count); the arguments are SQL literals.
     */
    public static List<JsonObject> asServiceList(Connection c, String table, String sql, String firstPage, String args)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE " + table);
            s.execute("SET LOCAL ROLE tessera_app");
            s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            s.execute(CustomPlans.FOR_THIS_TRANSACTION);
            s.execute("PREPARE service_list AS " + sql);
            for (int i = 0; i < 6; i++) {
                s.execute("EXECUTE service_list(" + firstPage + ")");
            }
            List<JsonObject> nodes = nodes(explain(s, "EXECUTE service_list(" + args + ")"));
            s.execute("DEALLOCATE service_list");
            s.execute("RESET ROLE");
            return nodes;
        }
    }

    /**
     * The plan of the query inside a tenant read function (R__tenant_reads.sql) as the service runs it: as
     * tessera_app, one call per statement, after {@code firstPage} has run more often than PostgreSQL
     * makes custom plans for, starting from {@code force_generic_plan} (the worst case, see
     * {@link #asServiceList}). EXPLAIN does not show a function's inner plans, so auto_explain logs them to
     * this connection (client_min_messages = log), for this transaction only. {@code query} picks the
     * function's statement from what is logged (a fragment of its text); the calls are SQL
     * ({@code tessera.list_products(...)}) with literal arguments.
     */
    public static List<JsonObject> asServiceRead(Connection c, String table, String firstPage, String call, String query)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE " + table);
            s.execute("LOAD 'auto_explain'");
            s.execute("SET LOCAL auto_explain.log_min_duration = 0");
            s.execute("SET LOCAL auto_explain.log_nested_statements = on");
            s.execute("SET LOCAL auto_explain.log_analyze = on");
            s.execute("SET LOCAL auto_explain.log_format = json");
            s.execute("SET LOCAL ROLE tessera_app");
            s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            for (int i = 0; i < 6; i++) {
                s.execute("SELECT count(*) FROM " + firstPage);
            }
            s.execute("SET LOCAL client_min_messages = log");
            s.clearWarnings();
            s.execute("SELECT count(*) FROM " + call);
            List<String> logged = new ArrayList<>();
            for (java.sql.SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                logged.add(w.getMessage());
            }
            s.execute("SET LOCAL client_min_messages = notice");
            s.execute("RESET ROLE");
            String plan = logged.stream().filter(m -> m.contains(query)).findFirst()
                    .orElseThrow(() -> new AssertionError("no plan of '" + query + "' logged: " + logged));
            return nodes(new JsonObject(plan.substring(plan.indexOf('{'))));
        }
    }

    /** Runs {@code sql} (an {@code EXECUTE}, say) under {@code EXPLAIN ANALYZE} and returns the root of its plan. */
    public static JsonObject explain(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
            rs.next();
            return new JsonArray(rs.getString(1)).getJsonObject(0);
        }
    }

    /** Every node of the plan, the root first. */
    public static List<JsonObject> nodes(JsonObject root) {
        List<JsonObject> into = new ArrayList<>();
        collect(root.getJsonObject("Plan"), into);
        return into;
    }

    /** The node that reads {@code relation}. */
    public static JsonObject scanOf(List<JsonObject> nodes, String relation) {
        return nodes.stream().filter(n -> relation.equals(n.getString("Relation Name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no scan of " + relation + " in " + nodes));
    }

    /** Rows a node read only to drop them (a filter that is not an index condition). */
    public static int rowsDropped(JsonObject node) {
        return node.getInteger("Rows Removed by Filter", 0) + node.getInteger("Rows Removed by Join Filter", 0);
    }

    private static void collect(JsonObject node, List<JsonObject> into) {
        into.add(node);
        JsonArray children = node.getJsonArray("Plans");
        if (children != null) {
            children.forEach(c -> collect((JsonObject) c, into));
        }
    }
}
