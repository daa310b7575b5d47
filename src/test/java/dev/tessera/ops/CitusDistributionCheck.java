package dev.tessera.ops;

import static dev.tessera.testing.Api.as;
import static dev.tessera.testing.Api.productJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
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
            for (String planCacheMode : List.of("force_generic_plan", "force_custom_plan")) {
                String plan = readProductPlan(t.idA().toString(), schema, id, planCacheMode);

                assertThat(taskCounts(plan)).as("%s, %s: tasks of the product read in %s", mode, planCacheMode, plan)
                        .containsExactly(1);
            }
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

    /**
     * The plan of the query inside {@code tessera.read_product}, taken from the function's own source
     * (auto_explain cannot print a Citus plan of a PL/pgSQL statement: "cache lookup failed for type 1"),
     * prepared with its two arguments as parameters, as PL/pgSQL runs it, and explained as tessera_app in
     * the tenant's context.
     */
    private static String readProductPlan(String tenant, String schema, String id, String planCacheMode) throws SQLException {
        try (Connection app = Db.asApp(); Statement s = app.createStatement()) {
            String source = Db.column(app, "SELECT prosrc FROM pg_proc WHERE oid = 'tessera.read_product(text, text, text, uuid)'::regprocedure")
                    .get(0);
            Matcher query = Pattern.compile("RETURN QUERY\\s+(SELECT.*?);", Pattern.DOTALL).matcher(source);
            assertThat(query.find()).as("the query of read_product in %s", source).isTrue();
            String statement = query.group(1).replace("v_tenant", "$1").replace("p_id", "$2");
            app.setAutoCommit(false);
            Db.column(app, "SELECT tessera.enter_tenant(?, 'citus-check', ?)", tenant, schema);
            s.execute("SET LOCAL plan_cache_mode = " + planCacheMode);
            s.execute("PREPARE read_by_id(uuid, uuid) AS " + statement);
            String plan = "";
            for (int i = 0; i < 6; i++) {
                plan = Db.column(app, "EXPLAIN (FORMAT JSON) EXECUTE read_by_id('%s', '%s')".formatted(tenant, id)).get(0);
            }
            app.rollback();
            return plan;
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
