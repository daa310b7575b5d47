package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.tessera.testing.PostgresTestResource;

/**
 * Flyway 12 (open-source edition) honours a per-script {@code .sql.conf} with {@code executeInTransaction=false},
 * which is how docs/migrations.md runs CREATE INDEX CONCURRENTLY; without the file the same script fails.
 *
 * <p>It also shows the trap found here: by default Flyway holds its PostgreSQL lock in an open transaction on
 * a second connection, and CREATE INDEX CONCURRENTLY waits for every open transaction of the database, so the
 * migration hangs for ever unless {@code flyway.postgresql.transactional.lock=false}.
 */
class FlywayScriptConfigTest {

    private DatabaseBootstrap bootstrap;
    private String database;
    private String url;

    @BeforeEach
    void createThrowawayDatabase() throws Exception {
        String adminUrl = env("TESSERA_TEST_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        bootstrap = new DatabaseBootstrap(adminUrl, env("TESSERA_TEST_ADMIN_USER", "postgres"), env("PGPASSWORD", "postgres"));
        bootstrap.ensureRoles(PostgresTestResource.ROLE_PASSWORD);
        database = "tessera_flyway_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        bootstrap.ensureDatabase(database);
        url = adminUrl.replaceFirst("/[^/?]*(\\?.*)?$", "/" + database);
    }

    @AfterEach
    void dropThrowawayDatabase() throws Exception {
        // FORCE also ends a migration that still waits.
        bootstrap.dropDatabase(database);
    }

    @Test
    @Timeout(60)
    void aScriptConfigRunsCreateIndexConcurrentlyOutsideATransaction() throws Exception {
        Flyway flyway = flyway("with-conf", false);

        int applied = flyway.migrate().migrationsExecuted;

        assertThat(applied).isEqualTo(2);
        try (Connection c = DriverManager.getConnection(url, "tessera_owner", PostgresTestResource.ROLE_PASSWORD);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT indisvalid FROM pg_index WHERE indexrelid = 'flyway_check.ix_widgets_name'::regclass")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).as("index built and valid").isTrue();
        }
    }

    @Test
    @Timeout(60)
    void withoutTheScriptConfigTheSameScriptIsRefused() {
        Flyway flyway = flyway("without-conf", false);

        assertThatThrownBy(flyway::migrate).hasMessageContaining("non-transactional");
    }

    @Test
    @Timeout(60)
    void withFlywaysDefaultTransactionalLockCreateIndexConcurrentlyWaitsForFlywayItself() throws Exception {
        Flyway flyway = flyway("with-conf", true);

        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<?> migration = executor.submit(() -> flyway.migrate());
        boolean stuck = waitsForAVirtualXid(Duration.ofSeconds(20));
        bootstrap.dropDatabase(database);

        try {
            assertThat(stuck).as("CREATE INDEX CONCURRENTLY waiting (virtualxid) for Flyway's lock transaction").isTrue();
            assertThatThrownBy(() -> migration.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            executor.shutdownNow();
        }
    }

    private boolean waitsForAVirtualXid(Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        try (Connection c = DriverManager.getConnection(url, "tessera_owner", PostgresTestResource.ROLE_PASSWORD)) {
            while (System.nanoTime() < deadline) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                        SELECT count(*) FROM pg_stat_activity
                         WHERE datname = current_database() AND wait_event = 'virtualxid'
                           AND query LIKE '%CREATE INDEX CONCURRENTLY%'""")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        Thread.sleep(3_000);
                        return true;
                    }
                }
                Thread.sleep(200);
            }
        }
        return false;
    }

    private Flyway flyway(String location, boolean transactionalLock) {
        return Flyway.configure()
                .dataSource(url, "tessera_owner", PostgresTestResource.ROLE_PASSWORD)
                .schemas("flyway_check").createSchemas(true)
                .locations("classpath:db/script-config/" + location)
                // false: exactly what Tessera's own migrations use (Migrations.SESSION_LOCK).
                .configuration(transactionalLock ? Map.of("flyway.postgresql.transactional.lock", "true")
                        : Migrations.SESSION_LOCK)
                .load();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
