package dev.tessera.ops;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.PostgresTestResource;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/**
 * ops/backup and ops/restore round-trip a database with a SHARED and a SCHEMA tenant: the restored copy
 * has the same rows per tenant, and the same isolation: RLS enabled and forced, the same policies,
 * owners and grants, so that tessera_app sees nothing without a tenant and only its rows with one. The
 * data dump holds no key; the keystore backup (ops/backup --keys) restored with it makes the customers'
 * PII readable again under the master key.
 */
@QuarkusTest
class BackupRestoreTest {

    static final String BACKUP_PASSWORD = "tessera-backup-test";

    /** Set up once for the class (a backup and a restore take seconds); dropped in {@link #dropRestoredDatabase()}. */
    static RoundTrip trip;

    @jakarta.inject.Inject
    dev.tessera.customers.crypto.MasterKey master;

    record RoundTrip(TwoTenants tenants, String schemaOfB, List<String> productsOfA, List<String> productsOfB,
            Map<String, String> emails, Path keys, Path directory,
            OpsScript backup, OpsScript restore, String restoredDatabase, String restoredJdbcUrl, String adminUrl, String adminUser,
            String adminPassword) {
    }

    @BeforeEach
    void twoTenantsInBothModesBackedUpAndRestoredIntoAFreshDatabase() throws Exception {
        if (trip == null) {
            trip = roundTrip();
        }
    }

    @AfterAll
    static void dropRestoredDatabase() throws Exception {
        if (trip != null) {
            new DatabaseBootstrap(trip.adminUrl(), trip.adminUser(), trip.adminPassword()).dropDatabase(trip.restoredDatabase());
            try (var files = Files.list(trip.directory())) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(trip.directory());
            trip = null;
        }
    }

    @Test
    void backupWritesAVerifiedCustomFormatDumpNamedByUtcTimeAndKeepsTheNewestN() throws Exception {
        String database = Db.jdbcUrl().replaceFirst(".*/", "");

        List<String> kept;
        try (var files = Files.list(trip.directory())) {
            kept = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".dump")).sorted().toList();
        }
        OpsScript list = OpsScript.run(Map.of(), "pg_restore", List.of("pg_restore", "--list", trip.backup().lastLine()));

        assertThat(trip.backup().exitCode()).as(trip.backup().output()).isZero();
        assertThat(Path.of(trip.backup().lastLine()).getFileName().toString()).matches(database + "-\\d{8}T\\d{6}Z\\.dump");
        assertThat(kept).containsExactly(database + "-20000102T000000Z.dump", Path.of(trip.backup().lastLine()).getFileName().toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.output()).contains("TABLE DATA tessera products").contains("TABLE DATA " + trip.schemaOfB() + " products")
                .contains("POLICY tessera products tenant_isolation").contains("ROW SECURITY tessera products")
                .contains("TABLE tessera_keys tenant_keys").doesNotContain("TABLE DATA tessera_keys tenant_keys");
    }

    @Test
    void theKeystoreIsBackedUpApartAndRestoredSoThatTheCustomersOfBothTenantsDecrypt() throws Exception {
        List<String> decrypted = new ArrayList<>();

        try (Connection copy = restoredAsSuperuser()) {
            List<String> keys = BackupDrill.everyDataKey(copy, master);
            for (var e : trip.emails().entrySet()) {
                for (String key : keys) {
                    decrypted.addAll(BackupDrill.decryptEmails(copy, e.getKey(), trip.tenants().idA(), key).stream()
                            .filter(v -> !v.startsWith("refused")).toList());
                    decrypted.addAll(BackupDrill.decryptEmails(copy, e.getKey(), trip.tenants().idB(), key).stream()
                            .filter(v -> !v.startsWith("refused")).toList());
                }
            }
        }

        assertThat(Files.readString(trip.keys())).contains(trip.tenants().idA().toString(), trip.tenants().idB().toString());
        assertThat(decrypted).containsExactlyInAnyOrderElementsOf(trip.emails().values());
    }

    @Test
    void restoredDatabaseHasTheSameRowsPerTenantInEveryTable() throws Exception {
        Map<String, Long> original;
        Map<String, Long> restored;

        try (Connection su = Db.asSuperuser(); Connection copy = restoredAsSuperuser()) {
            original = rowsPerTenant(su);
            restored = rowsPerTenant(copy);
        }

        assertThat(trip.restore().exitCode()).as(trip.restore().output()).isZero();
        assertThat(restored).isEqualTo(original);
        assertThat(restored).containsEntry("tessera.products/" + trip.tenants().idA(), 3L)
                .containsEntry(trip.schemaOfB() + ".products/" + trip.tenants().idB(), 2L)
                .doesNotContainKey("tessera.products/" + trip.tenants().idB());
    }

    @Test
    void rowLevelSecurityIsStillEnabledAndForcedOnEveryTenantTable() throws Exception {
        String tables = """
                SELECT n.nspname || '.' || c.relname || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND c.relname = 'products' AND (n.nspname = 'tessera' OR n.nspname LIKE 'tenant\\_%')
                 ORDER BY 1""";
        String policies = "SELECT schemaname || '.' || tablename || ' ' || policyname || ' ' || cmd || ' ' || qual || ' ' || with_check"
                + " FROM pg_policies ORDER BY 1";

        List<String> restoredTables;
        List<String> restoredPolicies;
        List<String> originalPolicies;
        try (Connection su = Db.asSuperuser(); Connection copy = restoredAsSuperuser()) {
            restoredTables = Db.column(copy, tables);
            restoredPolicies = Db.column(copy, policies);
            originalPolicies = Db.column(su, policies);
        }

        assertThat(restoredTables).contains("tessera.products rls=true force=true", trip.schemaOfB() + ".products rls=true force=true")
                .allSatisfy(t -> assertThat(t).endsWith("rls=true force=true"));
        assertThat(restoredPolicies).isEqualTo(originalPolicies)
                .contains("tessera.products tenant_isolation ALL (tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)"
                        + " (tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)");
    }

    @Test
    void ownersAndGrantsAreThoseOfTheOriginal() throws Exception {
        String acl = """
                SELECT n.nspname || '.' || c.relname || ' ' || pg_get_userbyid(c.relowner) || ' ' || coalesce(c.relacl::text, '-')
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'tessera' OR n.nspname LIKE 'tenant\\_%'
                UNION ALL
                SELECT 'schema ' || nspname || ' ' || pg_get_userbyid(nspowner) || ' ' || coalesce(nspacl::text, '-')
                  FROM pg_namespace WHERE nspname IN ('public', 'tessera') OR nspname LIKE 'tenant\\_%'
                 ORDER BY 1""";
        String privileges = """
                SELECT has_table_privilege('tessera_app', 'tessera.products', 'SELECT, INSERT, UPDATE'),
                       has_table_privilege('tessera_app', 'tessera.products', 'DELETE'),
                       has_table_privilege('tessera_app', 'tessera.products', 'TRUNCATE'),
                       has_table_privilege('tessera_app', ? || '.products', 'SELECT, INSERT, UPDATE'),
                       has_table_privilege('tessera_app', ? || '.products', 'DELETE'),
                       has_table_privilege('tessera_app', 'tessera.tenants', 'SELECT'),
                       has_table_privilege('tessera_app', 'tessera.platform_audit', 'UPDATE'),
                       has_schema_privilege('tessera_app', ?, 'USAGE'),
                       has_schema_privilege('tessera_app', 'tessera', 'CREATE'),
                       has_database_privilege('tessera_app', current_database(), 'CONNECT'),
                       (SELECT count(*) FROM pg_class WHERE relowner = 'tessera_app'::regrole)""";

        List<String> original;
        List<String> restored;
        List<String> app;
        try (Connection su = Db.asSuperuser(); Connection copy = restoredAsSuperuser()) {
            original = Db.column(su, acl);
            restored = Db.column(copy, acl);
            app = row(copy, privileges, trip.schemaOfB(), trip.schemaOfB(), trip.schemaOfB());
        }

        assertThat(restored).isEqualTo(original).anySatisfy(l -> assertThat(l).startsWith("tessera.products tessera_owner "));
        // DELETE on products is the retention purge's (RLS confines it to one tenant); TRUNCATE never.
        assertThat(app).containsExactly("t", "t", "f", "t", "t", "t", "f", "t", "f", "t", "0");
    }

    @Test
    void asTheAppRoleTheRestoredTablesShowNoRowsWithoutATenantAndOnlyTheTenantsRowsWithOne() throws Exception {
        String shared = "SELECT public_id::text FROM tessera.products ORDER BY 1";
        String schemaOfB = "SELECT public_id::text FROM " + trip.schemaOfB() + ".products ORDER BY 1";

        List<List<String>> none;
        List<List<String>> asA;
        List<List<String>> asB;
        try (Connection app = restoredAs("tessera_app")) {
            app.setAutoCommit(false);
            none = List.of(Db.column(app, shared), Db.column(app, schemaOfB));
            app.commit();
            asA = asTenant(app, trip.tenants().idA().toString(), shared, schemaOfB);
            asB = asTenant(app, trip.tenants().idB().toString(), shared, schemaOfB);
        }

        assertThat(none).containsExactly(List.of(), List.of());
        assertThat(asA).containsExactly(trip.productsOfA().stream().sorted().toList(), List.of());
        assertThat(asB).containsExactly(List.of(), trip.productsOfB().stream().sorted().toList());
    }

    @Test
    void theServiceMigrationsFindNothingToApplyOnTheRestoredDatabase() {
        java.util.function.Consumer<org.flywaydb.core.api.configuration.FluentConfiguration> owner =
                c -> c.dataSource(trip.restoredJdbcUrl(), "tessera_owner", PostgresTestResource.ROLE_PASSWORD);

        Migrations.Applied applied = Migrations.migrate(owner, List.of());
        String schemaVersion = Migrations.tenantSchemaVersion(owner, trip.schemaOfB());

        assertThat(applied).isEqualTo(new Migrations.Applied(0, 0));
        assertThat(schemaVersion).isNotNull().isEqualTo(Migrations.latestTenantVersion(owner));
    }

    @Test
    void restoreRefusesADatabaseThatIsNotEmpty() {
        OpsScript refused = OpsScript.ops(Map.of("PGPASSWORD", PostgresTestResource.ROLE_PASSWORD), "restore",
                trip.backup().lastLine(), libpqUrl(Db.jdbcUrl(), "tessera_owner"));

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains("not empty").doesNotContain("pg_restore:");
    }

    private static RoundTrip roundTrip() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        List<String> ofA = new ArrayList<>();
        List<String> ofB = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ofA.add(as(t.memberA()).body(Api.productJson("A" + i)).post("/api/products").then().statusCode(201).extract().path("id"));
        }
        for (int i = 0; i < 2; i++) {
            ofB.add(as(t.memberB()).body(Api.productJson("B" + i)).post("/api/products").then().statusCode(201).extract().path("id"));
        }
        // A soft-deleted row is still data: it must survive the round trip.
        as(t.memberA()).delete("/api/products/" + ofA.get(2)).then().statusCode(204);
        String schemaOfB;
        try (Connection owner = Db.asOwner()) {
            schemaOfB = Db.column(owner, "SELECT schema_name FROM tessera.tenants WHERE id = ?", t.idB()).get(0);
        }
        Map<String, String> emails = new TreeMap<>(Map.of("tessera.customers", "a." + t.slugA() + "@example.com",
                schemaOfB + ".customers", "b." + t.slugB() + "@example.com"));
        as(t.adminA()).body("{\"displayName\":\"A\",\"email\":\"" + emails.get("tessera.customers") + "\"}")
                .post("/api/customers").then().statusCode(201);
        as(t.adminB()).body("{\"displayName\":\"B\",\"email\":\"" + emails.get(schemaOfB + ".customers") + "\"}")
                .post("/api/customers").then().statusCode(201);

        var config = ConfigProvider.getConfig();
        String adminUrl = config.getValue("tessera.test.admin-url", String.class);
        String adminUser = config.getValue("tessera.test.admin-user", String.class);
        String adminPassword = config.getValue("tessera.test.admin-password", String.class);
        String database = Db.jdbcUrl().replaceFirst(".*/", "");
        OpsScript role = OpsScript.run(Map.of("PGPASSWORD", adminPassword), "psql", List.of("psql", "-X", "-q",
                "-d", libpqUrl(adminUrl, adminUser), "-v", "backup_password=" + BACKUP_PASSWORD, "-v", "database=" + database,
                "-f", "ops/db/backup-role.sql"));
        assertThat(role.exitCode()).as(role.output()).isZero();

        Path directory = Files.createTempDirectory("tessera-backups");
        Files.createFile(directory.resolve(database + "-20000101T000000Z.dump"));
        Files.createFile(directory.resolve(database + "-20000102T000000Z.dump"));
        OpsScript backup = OpsScript.ops(Map.of("PGPASSWORD", BACKUP_PASSWORD), "backup", "--keep", "2",
                libpqUrl(Db.jdbcUrl(), "tessera_backup"), directory.toString());
        assertThat(backup.exitCode()).as(backup.output()).isZero();
        OpsScript keys = OpsScript.ops(Map.of("PGPASSWORD", BACKUP_PASSWORD), "backup", "--keys",
                libpqUrl(Db.jdbcUrl(), "tessera_backup"), directory.toString());
        assertThat(keys.exitCode()).as(keys.output()).isZero();

        String restored = "tessera_restored_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String restoredJdbcUrl = Db.jdbcUrl().replaceFirst("/[^/]*$", "/" + restored);
        OpsScript restore = OpsScript.ops(Map.of("PGPASSWORD", PostgresTestResource.ROLE_PASSWORD, "ADMIN_PGPASSWORD", adminPassword),
                "restore", "--create", libpqUrl(adminUrl, adminUser), "--keys", keys.lastLine(), backup.lastLine(),
                libpqUrl(restoredJdbcUrl, "tessera_owner"));
        return new RoundTrip(t, schemaOfB, ofA, ofB, emails, Path.of(keys.lastLine()), directory, backup, restore, restored, restoredJdbcUrl, adminUrl, adminUser,
                adminPassword);
    }

    /** jdbc:postgresql://host:port/db to the libpq URI postgresql://user@host:port/db that the scripts take. */
    private static String libpqUrl(String jdbcUrl, String user) {
        return jdbcUrl.replaceFirst("^jdbc:postgresql://", "postgresql://" + user + "@").replaceFirst("\\?.*$", "");
    }

    private static Connection restoredAsSuperuser() throws SQLException {
        return connect(trip.restoredJdbcUrl(), trip.adminUser(), trip.adminPassword());
    }

    private static Connection restoredAs(String role) throws SQLException {
        return connect(trip.restoredJdbcUrl(), role, PostgresTestResource.ROLE_PASSWORD);
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    /** Rows per tenant of every table with a tenant_id column, keyed "schema.table/tenant". */
    private static Map<String, Long> rowsPerTenant(Connection su) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : Db.column(su, """
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
                 WHERE c.relkind = 'r' AND (n.nspname = 'tessera' OR n.nspname LIKE 'tenant\\_%')
                   -- Cursors that background work moves after commit (the audit sealer, the event relays):
                   -- the live database may have moved on since the dump; the rows they follow are compared.
                   AND c.relname NOT IN ('audit_seal', 'audit_seal_state', 'es_publication_state')""")) {
            for (String line : Db.column(su, "SELECT coalesce(tenant_id::text, '-') || ' ' || count(*) FROM " + table + " GROUP BY tenant_id")) {
                String[] parts = line.split(" ");
                counts.put(table + "/" + parts[0], Long.parseLong(parts[1]));
            }
        }
        return counts;
    }

    private static List<String> row(Connection c, String sql, Object... args) throws SQLException {
        try (var p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (var rs = p.executeQuery()) {
                rs.next();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                }
                return values;
            }
        }
    }

    private static List<List<String>> asTenant(Connection app, String tenant, String... queries) throws SQLException {
        Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", tenant);
        List<List<String>> results = new ArrayList<>();
        for (String q : queries) {
            results.add(Db.column(app, q));
        }
        app.commit();
        return results;
    }
}
