package dev.tessera.ops;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Prepares the database before the service takes traffic: dev bootstrap, migrations, role self-check.
 *
 * <p>It runs on the main thread during start-up, where blocking is allowed and nothing is served yet.
 */
@Singleton
public class DatabaseStartup {

    private final DatabaseConfig config;
    private final AgroalDataSource migrations;
    private final Pool pool;
    private volatile boolean migrated;

    DatabaseStartup(DatabaseConfig config, @io.quarkus.agroal.DataSource("migrations") AgroalDataSource migrations,
            Pool pool) {
        this.config = config;
        this.migrations = migrations;
        this.pool = pool;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) throws Exception {
        if (config.bootstrap().enabled()) {
            bootstrap();
        }
        if (config.migrateAtStart()) {
            migrate();
        }
        if (config.roleCheck()) {
            // Start-up only (main thread, before the HTTP server serves): waiting here is safe.
            new RuntimeRoleCheck().verify(pool).subscribeAsCompletionStage().get(30, TimeUnit.SECONDS);
        }
    }

    /** Whether this instance has applied (or verified) the migrations; read by the readiness check. */
    public boolean migrated() {
        return migrated;
    }

    private void bootstrap() throws SQLException {
        DatabaseConfig.Bootstrap b = config.bootstrap();
        String adminUrl = b.adminUrl().orElseThrow(
                () -> new IllegalStateException("tessera.db.bootstrap.admin-url is required when the bootstrap is enabled"));
        DatabaseBootstrap bootstrap = new DatabaseBootstrap(adminUrl, b.adminUser(), b.adminPassword().orElse(null));
        bootstrap.ensureRoles(b.rolePassword());
        if (bootstrap.ensureDatabase(b.database())) {
            Log.infof("Created database %s owned by tessera_owner", b.database());
        }
    }

    /** Applies the platform scripts, then the tenant scripts into the shared schema. */
    public void migrate() {
        Migrations.Applied applied = Migrations.migrate(c -> c.dataSource(migrations),
                config.extraPlatformLocations().orElse(List.of()));
        Log.infof("Migrations applied: %d platform, %d tenant", applied.platform(), applied.tenant());
        migrated = true;
    }
}
