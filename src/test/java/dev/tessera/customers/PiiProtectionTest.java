package dev.tessera.customers;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.tessera.customers.crypto.CryptoConfig;
import dev.tessera.customers.crypto.MasterKey;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/** PII and keys never appear in clear at rest, in a dump, or in PostgreSQL's log; key mistakes fail loudly. */
@QuarkusTest
class PiiProtectionTest {

    @Inject
    MasterKey master;

    @Test
    void aDumpOfTheDatabaseHoldsNoPlaintextPii() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        String marker = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String email = marker + "@example.org";
        for (String token : List.of(t.adminA(), t.adminB())) {
            as(token).body(CustomerResourceContract.body("Name", email, "+49 30 " + marker.length() + "123456",
                    "TAX-" + marker)).post("/api/customers").then().statusCode(201);
        }

        String dump = pgDump();

        assertThat(dump).contains("customers").doesNotContain(marker).doesNotContain("TAX-" + marker);
    }

    @Test
    void postgresLogsNeitherKeysNorPiiEvenWithStatementLoggingOn() throws Exception {
        Path log = serverLog();
        long before = Files.size(log);
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        String marker = "lg" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection su = Db.asSuperuser()) {
            Db.column(su, "ALTER SYSTEM SET log_statement = 'all'");
            Db.column(su, "SELECT pg_reload_conf()");
        }
        try {
            Thread.sleep(500);
            String id = as(t.adminA()).body(CustomerResourceContract.body("Logged", marker + "@example.org", null,
                    "TAX-" + marker)).post("/api/customers").then().statusCode(201).extract().path("id");
            as(t.adminA()).get("/api/customers/" + id).then().statusCode(200);
            as(t.adminA()).queryParam("email", marker + "@example.org").get("/api/customers").then().statusCode(200);
        } finally {
            try (Connection su = Db.asSuperuser()) {
                Db.column(su, "ALTER SYSTEM RESET log_statement");
                Db.column(su, "SELECT pg_reload_conf()");
            }
        }
        Thread.sleep(300);

        String written = readFrom(log, before);
        assertThat(written).as("statement logging was on").contains("pgp_sym_encrypt");
        assertThat(written).doesNotContain(marker);
        for (String key : dataKeysOf(t.idA())) {
            assertThat(written).doesNotContain(key);
        }
        assertThat(pgStatStatements()).noneMatch(q -> q.contains(marker));
    }

    @Test
    void aMissingOrMalformedMasterKeyRefusesToStart() {
        assertThatThrownBy(() -> newMasterKey(null)).hasMessageContaining("no master key");
        assertThatThrownBy(() -> newMasterKey("not base64!")).hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> newMasterKey("c2hvcnQ=")).hasMessageContaining("32 bytes");
    }

    @Test
    void anotherMasterKeyCannotUnwrapTheTenantKeys() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SHARED);
        as(t.adminA()).body(CustomerResourceContract.body("K", "k." + UUID.randomUUID() + "@example.org", null, null))
                .post("/api/customers").then().statusCode(201);
        MasterKey other = newMasterKey("b3RoZXItbWFzdGVyLWtleS0zMi1ieXRlcy0hISEhISE=");

        byte[] wrapped = wrappedDataKey(t.idA());

        assertThatThrownBy(() -> other.unwrap(wrapped, "tessera:" + t.idA() + ":1:data"))
                .hasMessage("A tenant key could not be unwrapped with the configured master key");
        assertThat(other.checkValue()).isNotEqualTo(master.checkValue());
        try (Connection owner = Db.asOwner()) {
            assertThat(Db.column(owner, "SELECT encode(check_value, 'hex') FROM tessera.master_key_check"))
                    .containsExactly(HexFormat.of().formatHex(master.checkValue()));
        }
    }

    private List<String> dataKeysOf(UUID tenant) throws Exception {
        byte[] wrapped = wrappedDataKey(tenant);
        return List.of(HexFormat.of().formatHex(master.unwrap(wrapped, "tessera:" + tenant + ":1:data")));
    }

    private static byte[] wrappedDataKey(UUID tenant) throws Exception {
        try (Connection su = Db.asSuperuser(); var p = su.prepareStatement(
                "SELECT data_key_wrapped FROM tessera_keys.tenant_keys WHERE tenant_id = ? AND version = 1")) {
            p.setObject(1, tenant);
            try (var rs = p.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private static MasterKey newMasterKey(String value) {
        CryptoConfig config = new CryptoConfig() {
            public Optional<String> masterKey() {
                return Optional.ofNullable(value);
            }

            public java.time.Duration keyCacheTtl() {
                return java.time.Duration.ofMinutes(5);
            }

            public boolean requireLogRedaction() {
                return true;
            }
        };
        try {
            var ctor = MasterKey.class.getDeclaredConstructor(CryptoConfig.class);
            ctor.setAccessible(true);
            return ctor.newInstance(config);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw (RuntimeException) e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pgDump() throws Exception {
        var c = ConfigProvider.getConfig();
        String url = c.getValue("tessera.test.jdbc-url", String.class).replaceFirst("^jdbc:", "");
        ProcessBuilder pb = new ProcessBuilder("pg_dump", "--dbname=" + url, "--username="
                + c.getValue("tessera.test.admin-user", String.class), "--no-password", "--format=plain");
        pb.environment().put("PGPASSWORD", c.getValue("tessera.test.admin-password", String.class));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out.length() > 500 ? out.substring(0, 500) : out).isZero();
        return out;
    }

    /** PostgreSQL's server log: TESSERA_TEST_PG_LOG, or the file the server names, or Debian's default. */
    private static Path serverLog() throws Exception {
        String configured = System.getenv("TESSERA_TEST_PG_LOG");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try (Connection su = Db.asSuperuser()) {
            String current = Db.column(su, "SELECT pg_current_logfile()").get(0);
            if (current != null) {
                String dataDir = Db.column(su, "SHOW data_directory").get(0);
                Path p = Path.of(current).isAbsolute() ? Path.of(current) : Path.of(dataDir, current);
                if (Files.isReadable(p)) {
                    return p;
                }
            }
            String major = Db.column(su, "SELECT current_setting('server_version_num')::int / 10000").get(0);
            Path debian = Path.of("/var/log/postgresql/postgresql-" + major + "-main.log");
            assertThat(Files.isReadable(debian)).as("PostgreSQL's log must be readable (set TESSERA_TEST_PG_LOG)")
                    .isTrue();
            return debian;
        }
    }

    private static String readFrom(Path log, long offset) throws Exception {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset));
    }

    private static List<String> pgStatStatements() throws Exception {
        try (Connection su = Db.asSuperuser()) {
            if (Db.column(su, "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'").isEmpty()) {
                return List.of();
            }
            return Db.column(su, "SELECT query FROM pg_stat_statements");
        }
    }
}
