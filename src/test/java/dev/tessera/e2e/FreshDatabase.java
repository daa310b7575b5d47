package dev.tessera.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A database made for one end-to-end run exactly as production makes it: {@code ops/db/bootstrap.sql}
 * run by {@code psql} as the superuser (roles, database owned by tessera_owner, log redaction), then
 * dropped, connections and all, when the run ends.
 */
final class FreshDatabase implements AutoCloseable {

    /** Password bootstrap.sql gives the roles when it creates them (the same as dev mode and the test suite). */
    static final String ROLE_PASSWORD = "tessera-dev";

    final String name;

    private FreshDatabase(String name) {
        this.name = name;
    }

    static FreshDatabase create(String prefix) {
        FreshDatabase db = new FreshDatabase(prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        psql("-v", "owner_password=" + ROLE_PASSWORD, "-v", "app_password=" + ROLE_PASSWORD, "-v", "database=" + db.name,
                "-f", Path.of("ops/db/bootstrap.sql").toAbsolutePath().toString());
        return db;
    }

    /** Runs one statement in this database as the superuser and returns the first column of each row. */
    List<String> query(String sql) {
        return psqlIn(name, "-c", sql);
    }

    @Override
    public void close() {
        psql("-c", "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }

    private static List<String> psql(String... args) {
        return psqlIn("postgres", args);
    }

    private static List<String> psqlIn(String database, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("psql", "-h", host(), "-p", port(), "-U", adminUser(),
                "-d", database, "-qAt", "-v", "ON_ERROR_STOP=1"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putIfAbsent("PGPASSWORD", "postgres");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("psql " + String.join(" ", args) + " failed:\n" + out);
            }
            return out.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new IllegalStateException("psql is needed for the end-to-end tests", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String host() {
        return E2eSettings.get("tessera.e2e.pg-host", "127.0.0.1");
    }

    static String port() {
        return E2eSettings.get("tessera.e2e.pg-port", "5432");
    }

    private static String adminUser() {
        String u = System.getenv("PGUSER");
        return u == null || u.isBlank() ? "postgres" : u.toLowerCase(Locale.ROOT);
    }
}
