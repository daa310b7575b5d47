package dev.tessera.testing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads PostgreSQL's plans in tests: {@code EXPLAIN (ANALYZE, FORMAT JSON)} as a list of plan nodes. */
public final class Plans {

    /** Both plans a cached prepared statement can run with: PostgreSQL settles on the generic one after five executions. */
    public static final List<String> MODES = List.of("force_generic_plan", "force_custom_plan");

    private Plans() {
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
