package dev.tessera.ops;

import static dev.tessera.testing.Api.as;
import static dev.tessera.testing.Api.productJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What the Citus job (.ci/citus) proves besides the isolation contracts: the test database really is a
 * distributed Citus database as {@code ops/citus/distribute.sql} leaves it, and a product read by id is
 * router-planned to one task (one shard on one worker), in both isolation modes.
 *
 * <p>Not a {@code *Test}: the main suite runs on plain PostgreSQL, where every check here must fail. Only the
 * Citus job names it ({@code -Dtest=...CitusDistributionCheck}), against a coordinator.
 */
@QuarkusTest
class CitusDistributionCheck {

    private static final Pattern TASK_COUNT = Pattern.compile("\"Task Count\": (\\d+)");

    @Test
    void theDatabaseIsDistributedOverTwoWorkers() throws SQLException {
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT count(*) FROM citus_get_active_worker_nodes()")).containsExactly("2");
            assertThat(Db.column(su, "SELECT citus_table_type FROM citus_tables WHERE table_name = 'tessera.tenants'::regclass"))
                    .containsExactly("reference");
            // Every tenant table of the shared schema, by tenant_id, in one co-location group.
            List<String> local = Db.column(su, """
                    SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname IN ('tessera', 'tessera_keys') AND c.relkind = 'r' AND c.relname NOT LIKE 'flyway%'
                       AND c.oid NOT IN (SELECT table_name::oid FROM citus_tables)""");
            assertThat(local).as("tables left on the coordinator only").isEmpty();
            assertThat(Db.column(su, """
                    SELECT count(DISTINCT colocation_id) || ' ' || min(distribution_column) || ' ' || max(distribution_column)
                      FROM citus_tables t JOIN pg_class c ON c.oid = t.table_name::oid JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE t.citus_table_type = 'distributed' AND n.nspname IN ('tessera', 'tessera_keys')"""))
                    .containsExactly("1 tenant_id tenant_id");
            assertThat(Db.column(su, "SELECT current_setting('citus.propagate_set_commands')")).containsExactly("local");
        }
    }

    @Test
    void aSchemaTenantIsADistributedSchema() throws SQLException {
        UUID tenant = TwoTenants.create(IsolationMode.SCHEMA, IsolationMode.SCHEMA).idA();

        try (Connection su = Db.asSuperuser()) {
            String schema = Db.column(su, "SELECT schema_name FROM tessera.tenants WHERE id = ?", tenant).get(0);
            assertThat(Db.column(su, "SELECT count(*) FROM pg_dist_schema WHERE schemaid = ?::regnamespace", schema))
                    .containsExactly("1");
            assertThat(Db.column(su, "SELECT shard_count FROM citus_tables WHERE table_name = (? || '.products')::regclass", schema))
                    .containsExactly("1");
        }
    }

    @Test
    void aProductReadByIdIsOneTaskInBothModes() throws SQLException {
        for (IsolationMode mode : IsolationMode.values()) {
            TwoTenants t = TwoTenants.create(mode, mode);
            String id = as(t.memberA()).body(productJson("Routed mug")).post("/api/products").then().statusCode(201)
                    .extract().path("id");
            as(t.memberA()).get("/api/products/" + id).then().statusCode(200);

            String schema = mode == IsolationMode.SHARED ? "tessera" : schemaOf(t.idA());
            String plan = innerPlan("tessera.read_product('%s', 'citus-check', '%s', '%s')".formatted(t.idA(), schema, id),
                    "FROM products p");

            assertThat(taskCounts(plan)).as("%s: tasks of the product read in %s", mode, plan).containsExactly(1);
        }
    }

    @Test
    void withoutTheExplicitTenantAReadGoesToEveryShard() throws SQLException {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SHARED);
        int shards;
        try (Connection su = Db.asSuperuser()) {
            shards = Integer.parseInt(Db.column(su, "SELECT shard_count FROM citus_tables WHERE table_name = 'tessera.products'::regclass").get(0));
        }

        // The same read filtered only by RLS: the check above would fail for a read that lost its tenant_id.
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT tessera.enter_tenant(?, 'citus-check', 'tessera')", t.idA().toString());
            String plan = Db.column(app, "EXPLAIN (FORMAT JSON) SELECT * FROM products WHERE public_id = ?", UUID.randomUUID()).get(0);
            app.rollback();

            assertThat(shards).isGreaterThan(1);
            assertThat(taskCounts(plan)).containsExactly(shards);
        }
    }

    /** The plan of the statement inside a read function, logged by auto_explain (EXPLAIN shows no inner plans). */
    private static String innerPlan(String call, String fragment) throws SQLException {
        try (Connection su = Db.asSuperuser(); Statement s = su.createStatement()) {
            su.setAutoCommit(false);
            s.execute("LOAD 'auto_explain'");
            s.execute("SET LOCAL auto_explain.log_min_duration = 0");
            s.execute("SET LOCAL auto_explain.log_nested_statements = on");
            s.execute("SET LOCAL auto_explain.log_format = json");
            s.execute("SET LOCAL ROLE tessera_app");
            s.execute("SET LOCAL client_min_messages = log");
            s.clearWarnings();
            s.execute("SELECT count(*) FROM " + call);
            List<String> logged = new ArrayList<>();
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                logged.add(w.getMessage());
            }
            su.rollback();
            return logged.stream().filter(m -> m.contains(fragment)).findFirst()
                    .orElseThrow(() -> new AssertionError("no plan of '" + fragment + "' logged: " + logged));
        }
    }

    private static List<Integer> taskCounts(String plan) {
        List<Integer> counts = new ArrayList<>();
        Matcher m = TASK_COUNT.matcher(plan);
        while (m.find()) {
            counts.add(Integer.parseInt(m.group(1)));
        }
        return counts;
    }

    private static String schemaOf(UUID tenant) throws SQLException {
        try (Connection su = Db.asSuperuser()) {
            return Db.column(su, "SELECT schema_name FROM tessera.tenants WHERE id = ?", tenant).get(0);
        }
    }
}
