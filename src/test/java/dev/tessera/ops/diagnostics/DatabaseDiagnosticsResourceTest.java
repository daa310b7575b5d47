package dev.tessera.ops.diagnostics;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/** {@code /admin/db}: what a platform administrator sees, and that nobody else sees it. */
@QuarkusTest
class DatabaseDiagnosticsResourceTest {

    private static final String ADMIN = TestTokens.platformAdmin();

    @Test
    void healthReportsSizeConnectionsActivityAndReplicas() {
        String database = Db.jdbcUrl().replaceFirst("^.*/", "");

        var response = as(ADMIN).get("/admin/db/health");

        response.then().statusCode(200)
                .body("database", equalTo(database))
                .body("sizeBytes", greaterThan(0))
                .body("size", notNullValue())
                .body("connections.inUse", greaterThan(0))
                .body("connections.max", greaterThan(0))
                .body("connections.warning", notNullValue())
                .body("queries.active", notNullValue())
                .body("queries.waiting", equalTo(0))
                .body("queries.waitingSessions", empty())
                .body("replicas", empty());
    }

    @ParameterizedTest
    @ValueSource(strings = { "/admin/db/health", "/admin/db/slow-queries", "/admin/db/bloat", "/admin/db/dictionary" })
    void aTenantAdminIsForbidden(String path) {
        String tenantAdmin = TestTokens.admin(TestTenants.active());

        var response = as(tenantAdmin).get(path);

        response.then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://tessera.dev/problems/forbidden"));
    }

    @Test
    void slowQueriesExplainHowToEnablePgStatStatements() throws Exception {
        // given: the test database has no pg_stat_statements (and the server does not preload it)

        var missing = as(ADMIN).get("/admin/db/slow-queries?limit=5");
        try (Connection c = Db.asSuperuser(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public");
        }
        var notLoaded = as(ADMIN).get("/admin/db/slow-queries");
        boolean preloaded;
        try (Connection c = Db.asSuperuser(); Statement s = c.createStatement()) {
            preloaded = Db.column(c, "SHOW shared_preload_libraries").get(0).contains("pg_stat_statements");
            s.execute("DROP EXTENSION pg_stat_statements");
        }

        missing.then().statusCode(200).body("available", equalTo(false))
                .body("message", containsString("CREATE EXTENSION pg_stat_statements"))
                .body("message", containsString("shared_preload_libraries"))
                .body("queries", empty());
        if (preloaded) {
            notLoaded.then().statusCode(200).body("available", equalTo(true)).body("queries.size()", greaterThan(0));
        } else {
            notLoaded.then().statusCode(200).body("available", equalTo(false))
                    .body("message", containsString("has not loaded it"));
        }
    }

    @Test
    void slowQueriesRejectsALimitOutOfRange() {
        var response = as(ADMIN).get("/admin/db/slow-queries?limit=0");

        response.then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void bloatCoversEveryTableOfEverySchemaWorstFirst() {
        TwoTenants.provision(IsolationMode.SCHEMA);

        List<Map<String, Object>> tables = as(ADMIN).get("/admin/db/bloat").then().statusCode(200)
                .extract().jsonPath().getList("$");

        assertThat(tables).anySatisfy(t -> assertThat(t).containsEntry("schema", "tessera").containsEntry("table", "products"));
        assertThat(tables).anySatisfy(t -> assertThat((String) t.get("schema")).startsWith("tenant_"));
        assertThat(tables).allSatisfy(t -> assertThat(t).containsKeys("liveTuples", "deadTuples", "deadRatio"));
        List<Double> ratios = tables.stream().map(t -> ((Number) t.get("deadRatio")).doubleValue()).toList();
        assertThat(ratios).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void dictionaryGivesTypesAndCommentsOfTheTemplateSchema() {
        var response = as(ADMIN).get("/admin/db/dictionary");

        response.then().statusCode(200)
                .body("schema", equalTo("tessera"))
                .body("tables.find { it.name == 'products' }.comment", notNullValue())
                .body("tables.find { it.name == 'products' }.columns.find { it.name == 'price' }.type",
                        equalTo("numeric(12,2)"))
                .body("tables.find { it.name == 'products' }.columns.find { it.name == 'price' }.comment",
                        equalTo("Unit price, exact, two decimals, never negative."))
                .body("tables.find { it.name == 'tenants' }.columns.size()", greaterThan(0));
    }

    @Test
    void everyTableAndColumnOfTesseraTheKeystoreAndEveryTenantSchemaHasAComment() throws Exception {
        TwoTenants.provision(IsolationMode.SCHEMA);
        // Flyway's history tables are Flyway's, not ours: their layout is not ours to document.
        String uncommented = """
                SELECT n.nspname || '.' || c.relname || coalesce('.' || a.attname, '')
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE (n.nspname IN ('tessera', 'tessera_keys') OR n.nspname LIKE 'tenant\\_%')
                   AND c.relkind IN ('r', 'p')
                   AND c.relname NOT IN ('flyway_schema_history', 'flyway_tenant_history')
                   AND (obj_description(c.oid, 'pg_class') IS NULL OR col_description(c.oid, a.attnum) IS NULL)
                 ORDER BY 1
                """;

        List<String> missing;
        List<String> tenantSchemas;
        try (Connection c = Db.asOwner()) {
            missing = Db.column(c, uncommented);
            tenantSchemas = Db.column(c, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'");
        }

        assertThat(tenantSchemas).isNotEmpty();
        assertThat(missing).as("tables and columns without COMMENT").isEmpty();
    }
}
