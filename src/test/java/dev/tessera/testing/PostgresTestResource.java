package dev.tessera.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import dev.tessera.ops.DatabaseBootstrap;
import dev.tessera.ops.Migrations;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Supplies a fresh PostgreSQL database for a test run, prepared exactly as production expects it:
 * the three roles, a database owned by tessera_owner, and (through the service's own start-up) the
 * real Flyway migrations. The database is dropped afterwards.
 *
 * <p>Where the server comes from, in this order: an explicit {@code TESSERA_TEST_ADMIN_URL}
 * (a JDBC URL to any database of a server, with a superuser); a Testcontainers PostgreSQL when a
 * Docker engine answers; otherwise the local server on 127.0.0.1:5432 as {@code postgres}
 * (password from {@code PGPASSWORD}, ignored where the server trusts local connections).
 * With {@code TESSERA_TEST_CITUS_WORKERS} as well, that server is a Citus coordinator and the database is
 * made a Citus cluster and distributed by the operators' script ({@link CitusCluster}).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Password the test run gives to tessera_owner and tessera_app: the same as dev mode, so that both can run at once on one server. */
    public static final String ROLE_PASSWORD = "tessera-dev";

    private PostgreSQLContainer container;
    private DatabaseBootstrap bootstrap;
    private CitusCluster citus;
    private String database;

    @Override
    public Map<String, String> start() {
        String adminUrl;
        String adminUser;
        String adminPassword;
        String explicit = System.getenv("TESSERA_TEST_ADMIN_URL");
        if (explicit != null && !explicit.isBlank()) {
            adminUrl = explicit;
            adminUser = env("TESSERA_TEST_ADMIN_USER", "postgres");
            adminPassword = env("TESSERA_TEST_ADMIN_PASSWORD", env("PGPASSWORD", "postgres"));
        } else if (dockerAvailable()) {
            container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            adminUrl = container.getJdbcUrl();
            adminUser = container.getUsername();
            adminPassword = container.getPassword();
        } else {
            adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres";
            adminUser = env("PGUSER", "postgres");
            adminPassword = env("PGPASSWORD", "postgres");
        }
        database = "tessera_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        bootstrap = new DatabaseBootstrap(adminUrl, adminUser, adminPassword);
        String hostPort = adminUrl.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
        // On a Citus cluster (.ci/citus): the database on every node, Citus in it, before the migrations.
        citus = CitusCluster.fromEnvironment(hostPort, adminUser, adminPassword);
        try {
            bootstrap.ensureRoles(ROLE_PASSWORD);
            bootstrap.ensureDatabase(database);
            if (citus != null) {
                citus.prepare(database, ROLE_PASSWORD);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot prepare the test database at " + adminUrl + ": " + e.getMessage(), e);
        }
        String jdbcUrl = "jdbc:postgresql://" + hostPort + "/" + database;
        // Migrated before Quarkus starts, as the owner, so that Hibernate's schema validation sees the
        // real tables; the service's own start-up then finds nothing left to apply.
        Migrations.migrate(c -> c.dataSource(jdbcUrl, "tessera_owner", ROLE_PASSWORD), List.of());
        if (citus != null) {
            citus.distribute(database);
        }
        Map<String, String> config = new HashMap<>(Map.ofEntries(
                Map.entry("quarkus.datasource.reactive.url", "postgresql://" + hostPort + "/" + database),
                Map.entry("quarkus.datasource.username", "tessera_app"),
                Map.entry("quarkus.datasource.password", ROLE_PASSWORD),
                Map.entry("quarkus.datasource.migrations.jdbc.url", jdbcUrl),
                Map.entry("quarkus.datasource.migrations.username", "tessera_owner"),
                Map.entry("quarkus.datasource.migrations.password", ROLE_PASSWORD),
                Map.entry("tessera.test.admin-url", adminUrl.replaceFirst("/[^/?]*(\\?.*)?$", "/" + database)),
                Map.entry("tessera.test.admin-user", adminUser),
                Map.entry("tessera.test.admin-password", adminPassword),
                Map.entry("tessera.test.jdbc-url", jdbcUrl)));
        if (citus != null) {
            // Citus forwards SET LOCAL to a worker only inside a transaction block (docs/design/scale-out.md).
            config.put("tessera.tenancy.read-transaction-block", "true");
            config.put("tessera.tenancy.context", "set-local");
        }
        return config;
    }

    @Override
    public void stop() {
        try {
            if (bootstrap != null && database != null) {
                bootstrap.dropDatabase(database);
                if (citus != null) {
                    citus.drop(database);
                }
            }
        } catch (java.sql.SQLException e) {
            System.err.println("Could not drop test database " + database + ": " + e.getMessage());
        } finally {
            if (container != null) {
                container.stop();
            }
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
