package dev.tessera.tenancy.provisioning;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import dev.tessera.ops.DatabaseConfig;
import dev.tessera.ops.Migrations;

/**
 * Creates, migrates and removes dedicated tenant schemas, as tessera_owner over JDBC (blocking: call it
 * from a worker thread or from start-up, never from the event loop).
 */
@Singleton
public class TenantSchemas {

    private static final Pattern SCHEMA = Pattern.compile("tenant_[a-z0-9_]{1,55}");

    private final AgroalDataSource owner;
    private final SchemaRegistry registry;
    private final ProvisioningConfig config;
    private final DatabaseConfig database;

    TenantSchemas(@io.quarkus.agroal.DataSource("migrations") AgroalDataSource owner, SchemaRegistry registry,
            ProvisioningConfig config, DatabaseConfig database) {
        this.owner = owner;
        this.registry = registry;
        this.config = config;
        this.database = database;
    }

    /** The schema name of a new SCHEMA tenant: 64 random bits of its UUIDv7, in hex. */
    public static String schemaNameFor(UUID tenantId) {
        return "tenant_" + tenantId.toString().replace("-", "").substring(16);
    }

    /** After the shared migrations: bring every dedicated schema to the current version. */
    void onStart(@Observes @Priority(20) StartupEvent event) throws InterruptedException {
        if (database.migrateAtStart()) {
            migrateAll();
        }
    }

    /** Migrates every schema of an active or suspended SCHEMA tenant, a bounded number at a time. */
    public void migrateAll() throws InterruptedException {
        List<String> schemas = schemasToMigrate();
        if (schemas.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, config.migrationParallelism()));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String schema : schemas) {
                registry.record(new SchemaStatus(schema, SchemaStatus.State.MIGRATING, null, null));
                futures.add(pool.submit(() -> {
                    migrateRecording(schema);
                    int n = done.incrementAndGet();
                    if (n % config.progressEvery() == 0 || n == schemas.size()) {
                        Log.infof("Tenant schemas migrated: %d/%d", n, schemas.size());
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Log.errorf("Unexpected failure while migrating tenant schemas: %s", e.getCause().getMessage());
                }
            }
        } finally {
            pool.shutdown();
        }
        Log.infof("Tenant schemas: %d migrated in %d ms, %d failed", schemas.size(),
                (System.nanoTime() - start) / 1_000_000, registry.failed().size());
    }

    /** Creates and migrates one schema; the registry tells whether it succeeded. */
    public boolean migrateRecording(String schema) {
        requireSchemaName(schema);
        try {
            String version = Migrations.migrateTenantSchema(c -> c.dataSource(owner), schema);
            registry.record(new SchemaStatus(schema, SchemaStatus.State.CURRENT, version, null));
            return true;
        } catch (RuntimeException e) {
            // Other schemas go on; this one is refused (503) and named by the readiness check.
            Log.errorf("Migration of tenant schema %s failed: %s", schema, e.getMessage());
            registry.record(new SchemaStatus(schema, SchemaStatus.State.FAILED, null, "migration failed"));
            return false;
        }
    }

    /** Removes what a failed provisioning left: the schema and the tenant row. */
    public void discard(UUID tenantId, String schema) {
        requireSchemaName(schema);
        try (Connection c = owner.getConnection()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM tessera.tenants WHERE id = ? AND state = 'PROVISIONING'")) {
                p.setObject(1, tenantId);
                p.executeUpdate();
            }
            c.commit();
            // The schema is gone: its failure must not keep readiness DOWN.
            registry.forget(schema);
        } catch (SQLException e) {
            Log.errorf("Could not clean up failed provisioning of schema %s: %s", schema, e.getMessage());
        }
    }

    /** Current version of one schema, read live (for the admin API). */
    public String versionOf(String schema) {
        requireSchemaName(schema);
        return Migrations.tenantSchemaVersion(c -> c.dataSource(owner), schema);
    }

    public String latestVersion() {
        return Migrations.latestTenantVersion(c -> c.dataSource(owner));
    }

    private List<String> schemasToMigrate() {
        List<String> out = new ArrayList<>();
        try (Connection c = owner.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("""
                SELECT schema_name
                  FROM tessera.tenants
                 WHERE isolation = 'SCHEMA'
                   AND state IN ('ACTIVE', 'SUSPENDED', 'OFFBOARDING')
                 ORDER BY schema_name""")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list tenant schemas: " + e.getMessage(), e);
        }
        return out;
    }

    private static void requireSchemaName(String schema) {
        if (schema == null || !SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("Not a tenant schema name");
        }
    }
}
