package dev.tessera.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The Flyway runs of Tessera: platform scripts ({@code db/platform}) into schema tessera, then tenant
 * scripts ({@code db/tenant}) into the shared schema, each with its own history table.
 *
 * <p>Tenant scripts are kept apart because the same files are later applied to every dedicated
 * tenant schema, where the platform tables must not appear.
 */
public final class Migrations {

    public static final String SHARED_SCHEMA = "tessera";

    /**
     * Flyway's lock on PostgreSQL as a session advisory lock, not one held in an open transaction on a
     * second connection: CREATE INDEX CONCURRENTLY waits for every open transaction of the database, so
     * with the transactional lock it would wait for Flyway itself, for ever (FlywayScriptConfigTest).
     */
    public static final java.util.Map<String, String> SESSION_LOCK = java.util.Map.of(
            "flyway.postgresql.transactional.lock", "false");

    private Migrations() {
    }

    /** Result of one migration run, for the log. */
    public record Applied(int platform, int tenant) {
    }

    /** Migrates using a data source configured by {@code target} (a data source, or URL and credentials). */
    public static Applied migrate(Consumer<FluentConfiguration> target, List<String> extraPlatformLocations) {
        List<String> platform = new ArrayList<>(List.of("classpath:db/platform"));
        extraPlatformLocations.forEach(l -> platform.add("classpath:" + l));
        int p = flyway(target, "flyway_schema_history", platform).migrate().migrationsExecuted;
        int t = flyway(target, "flyway_tenant_history", List.of("classpath:db/tenant")).migrate().migrationsExecuted;
        return new Applied(p, t);
    }

    /**
     * Creates (if needed) and migrates one dedicated tenant schema with the tenant scripts; returns the
     * schema's version afterwards. Flyway locks the schema's history table, so concurrent calls are safe.
     */
    public static String migrateTenantSchema(Consumer<FluentConfiguration> target, String schema) {
        FluentConfiguration c = Flyway.configure()
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table("flyway_tenant_history")
                .locations("classpath:db/tenant")
                .configuration(SESSION_LOCK);
        target.accept(c);
        var result = c.load().migrate();
        // targetSchemaVersion is null when nothing was applied: the schema was already current.
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }

    /** The current tenant-script version of a schema, or null if none was applied. */
    public static String tenantSchemaVersion(Consumer<FluentConfiguration> target, String schema) {
        FluentConfiguration c = Flyway.configure().schemas(schema).defaultSchema(schema).createSchemas(false)
                .table("flyway_tenant_history").locations("classpath:db/tenant");
        target.accept(c);
        var current = c.load().info().current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    /** The newest tenant-script version this build ships. */
    public static String latestTenantVersion(Consumer<FluentConfiguration> target) {
        FluentConfiguration c = Flyway.configure().schemas(SHARED_SCHEMA).defaultSchema(SHARED_SCHEMA)
                .table("flyway_tenant_history").locations("classpath:db/tenant");
        target.accept(c);
        var all = c.load().info().all();
        return all.length == 0 ? null : all[all.length - 1].getVersion().getVersion();
    }

    private static Flyway flyway(Consumer<FluentConfiguration> target, String historyTable, List<String> locations) {
        FluentConfiguration c = Flyway.configure()
                .schemas(SHARED_SCHEMA)
                .defaultSchema(SHARED_SCHEMA)
                .createSchemas(true)
                .table(historyTable)
                // Both histories live in schema tessera: the second one baselines below V001.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .locations(locations.toArray(String[]::new))
                .configuration(SESSION_LOCK);
        target.accept(c);
        return c.load();
    }
}
