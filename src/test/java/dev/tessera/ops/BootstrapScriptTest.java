package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ops/db/bootstrap.sql run as the operations guide says, twice: the second run, with new passwords,
 * must leave the roles with the new ones (rotating a password is re-running the script). The roles are
 * cluster-wide and the shared test cluster's tessera_app serves every other test, so this runs in a
 * throwaway cluster on 127.0.0.1:55434 that checks passwords (scram) for everyone but the superuser.
 */
class BootstrapScriptTest {

    private static final int PORT = 55434;
    private static final Path BIN = Path.of(System.getenv().getOrDefault("TESSERA_PG_BIN", "/usr/lib/postgresql/15/bin"));
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private static Path dir;
    private static Path data;

    @BeforeAll
    static void startAThrowawayCluster() throws Exception {
        dir = Files.createTempDirectory("tessera-bootstrap-");
        data = dir.resolve("data");
        if (ROOT) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        runAsPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust", "--no-sync");
        Files.writeString(data.resolve("postgresql.conf"), """

                listen_addresses = '127.0.0.1'
                port = %d
                unix_socket_directories = '%s'
                fsync = off
                password_encryption = 'scram-sha-256'
                """.formatted(PORT, dir), java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(data.resolve("pg_hba.conf"), """
                host all postgres 127.0.0.1/32 trust
                host all all 127.0.0.1/32 scram-sha-256
                """);
        runAsPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "start");
    }

    @AfterAll
    static void stopTheClusterAndDeleteIt() throws Exception {
        try {
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
    void aSecondRunWithNewPasswordsSetsThem() throws Exception {
        bootstrap("owner-first", "app-first");
        assertThat(logsIn("tessera_app", "app-first")).isTrue();
        assertThat(logsIn("tessera_owner", "owner-first")).isTrue();

        bootstrap("owner-second", "app-second");

        assertThat(logsIn("tessera_app", "app-second")).isTrue();
        assertThat(logsIn("tessera_owner", "owner-second")).isTrue();
        assertThatThrownBy(() -> logsIn("tessera_app", "app-first")).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> logsIn("tessera_owner", "owner-first")).hasMessageContaining("password authentication failed");
    }

    @Test
    void aPasswordWithQuotesIsTakenLiterally() throws Exception {
        String password = "it's a \"pass\\word\"; DROP ROLE tessera_owner; --";

        bootstrap("owner-q", password);

        assertThat(logsIn("tessera_app", password)).isTrue();
        assertThat(logsIn("tessera_owner", "owner-q")).isTrue();
    }

    private static void bootstrap(String ownerPassword, String appPassword) {
        OpsScript r = OpsScript.run(Map.of(), "bootstrap", List.of("psql", "-X", "-q",
                "postgresql://postgres@127.0.0.1:" + PORT + "/postgres", "-v", "owner_password=" + ownerPassword,
                "-v", "app_password=" + appPassword, "-v", "database=tessera", "-f",
                Path.of("ops/db/bootstrap.sql").toAbsolutePath().toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static boolean logsIn(String role, String password) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PORT + "/tessera", role, password)) {
            return c.isValid(5);
        }
    }

    private static void runAsPostgres(String... cmd) throws Exception {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        run(full);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile())).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " failed:\n" + Files.readString(dir.resolve("commands.log")));
        }
    }
}
