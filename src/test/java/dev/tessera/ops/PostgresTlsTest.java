package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;

/**
 * TLS to PostgreSQL for real: a throwaway cluster on 127.0.0.1:55433 with a certificate from a throwaway CA,
 * accepting TLS connections only ({@code hostssl}), and the client settings that the %prod profile uses.
 *
 * <p>The reactive client is configured with the Vert.x options that Quarkus builds from
 * {@code quarkus.datasource.reactive.postgresql.ssl-mode}, {@code trust-certificate-pem.certs} and
 * {@code hostname-verification-algorithm}; the JDBC check uses the driver properties of the migrations
 * data source. A Quarkus test would need the whole schema migrated into this cluster for nothing more.
 */
class PostgresTlsTest {

    private static final int PORT = 55433;
    private static final Path BIN = Path.of(System.getenv().getOrDefault("TESSERA_PG_BIN", "/usr/lib/postgresql/15/bin"));
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private static Path dir;
    private static Path data;
    private static Vertx vertx;

    @BeforeAll
    static void startATlsOnlyCluster() throws Exception {
        dir = Files.createTempDirectory("tessera-tls-");
        data = dir.resolve("data");
        certificates();
        if (ROOT) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        runAsPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust", "--no-sync");
        Files.writeString(data.resolve("postgresql.conf"), """

                listen_addresses = '127.0.0.1'
                port = %d
                unix_socket_directories = '%s'
                ssl = on
                ssl_cert_file = '%s'
                ssl_key_file = '%s'
                fsync = off
                """.formatted(PORT, dir, dir.resolve("server.crt"), dir.resolve("server.key")),
                java.nio.file.StandardOpenOption.APPEND);
        // TLS connections from 127.0.0.1 only: no "host" line, so a clear-text connection has no entry.
        Files.writeString(data.resolve("pg_hba.conf"), "hostssl all all 127.0.0.1/32 trust\n");
        runAsPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "start");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopTheClusterAndDeleteIt() throws Exception {
        try {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            if (data != null && Files.exists(data.resolve("postmaster.pid"))) {
                runAsPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            if (dir != null) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void verifyFullWithTheRightCaConnectsOverTls() throws Exception {
        PgConnectOptions options = options(SslMode.VERIFY_FULL, dir.resolve("ca.crt"));

        boolean ssl = sslOfOwnSession(options);

        assertThat(ssl).isTrue();
    }

    @Test
    void theJdbcPoolOfTheMigrationsConnectsWithVerifyFullToo() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "verify-full");
        p.setProperty("sslrootcert", dir.resolve("ca.crt").toString());

        List<String> ssl;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PORT + "/postgres", p)) {
            ssl = dev.tessera.testing.Db.column(c, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        }

        assertThat(ssl).containsExactly("t");
    }

    @Test
    void aClearTextConnectionIsRefused() {
        PgConnectOptions options = options(SslMode.DISABLE, null);

        assertThatThrownBy(() -> sslOfOwnSession(options)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("no pg_hba.conf entry").hasMessageContaining("no encryption");
    }

    @Test
    void verifyFullRejectsAServerCertificateFromAnotherCa() {
        PgConnectOptions options = options(SslMode.VERIFY_FULL, dir.resolve("other-ca.crt"));

        // The same server and options as the first test, but the trusted CA: the handshake must fail.
        assertThatThrownBy(() -> sslOfOwnSession(options)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("SSL handshake failed");
    }

    private static PgConnectOptions options(SslMode mode, Path ca) {
        PgConnectOptions o = new PgConnectOptions().setHost("127.0.0.1").setPort(PORT).setDatabase("postgres")
                .setUser("postgres").setSslMode(mode).setConnectTimeout(10_000);
        if (ca != null) {
            // What %prod sets: trust-certificate-pem.certs and hostname-verification-algorithm=HTTPS.
            o.setPemTrustOptions(new PemTrustOptions().addCertPath(ca.toString())).setHostnameVerificationAlgorithm("HTTPS");
        }
        return o;
    }

    private static boolean sslOfOwnSession(PgConnectOptions options) throws Exception {
        PgConnection c = PgConnection.connect(vertx, options).toCompletionStage().toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        try {
            return c.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute()
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS)
                    .iterator().next().getBoolean("ssl");
        } finally {
            c.close();
        }
    }

    /** A CA and a server certificate for 127.0.0.1 and localhost signed by it, and an unrelated CA. */
    private static void certificates() throws Exception {
        Files.writeString(dir.resolve("server.ext"), """
                subjectAltName = IP:127.0.0.1, DNS:localhost
                basicConstraints = CA:FALSE
                keyUsage = digitalSignature, keyEncipherment
                extendedKeyUsage = serverAuth
                """);
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Tessera test CA",
                "-keyout", "ca.key", "-out", "ca.crt");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Some other CA",
                "-keyout", "other-ca.key", "-out", "other-ca.crt");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out",
                "server.csr");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1",
                "-extfile", "server.ext", "-out", "server.crt");
        // PostgreSQL refuses a private key that others can read.
        Files.setPosixFilePermissions(dir.resolve("server.key"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void runAsPostgres(String... cmd) throws Exception {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            // PostgreSQL refuses to run as root.
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        run(full);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        // Appended to one log in the temp dir (readable by postgres after the chown, deleted with the dir).
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile()))
                .start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("Failed (" + p.exitValue() + "): " + cmd + "\n"
                    + Files.readString(dir.resolve("commands.log")));
        }
    }
}
