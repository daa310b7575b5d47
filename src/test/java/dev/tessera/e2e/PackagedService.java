package dev.tessera.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, prod profile) started as its own
 * process on 127.0.0.1, configured only through the environment variables of the README, and stopped
 * (with a shutdown hook as a second line) when the test class ends.
 */
final class PackagedService implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Thread hook;
    final String baseUrl;

    private PackagedService(Process process, Path log, String baseUrl) {
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
        this.hook = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts the jar against {@code db}; {@code reactiveHostPort} is where the runtime pool connects
     * (PostgreSQL itself, or PgBouncer), while Flyway always goes straight to PostgreSQL.
     */
    static PackagedService start(String name, FreshDatabase db, String reactiveHostPort, int port, Map<String, String> extraEnv) {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first (./mvnw package)");
        }
        Map<String, String> env = new HashMap<>();
        env.put("TESSERA_OIDC_SERVER_URL", E2eSettings.realmUrl());
        env.put("TESSERA_MASTER_KEY", randomMasterKey());
        env.put("TESSERA_API_KEY_PEPPER", randomMasterKey());
        env.put("TESSERA_DB_REACTIVE_URL", "postgresql://" + reactiveHostPort + "/" + db.name);
        env.put("TESSERA_DB_JDBC_URL", "jdbc:postgresql://" + FreshDatabase.host() + ":" + FreshDatabase.port() + "/" + db.name);
        env.put("TESSERA_DB_APP_PASSWORD", FreshDatabase.ROLE_PASSWORD);
        env.put("TESSERA_DB_OWNER_PASSWORD", FreshDatabase.ROLE_PASSWORD);
        // The prod profile requires TLS to PostgreSQL (verify-full); the local test server and PgBouncer
        // speak plain TCP on loopback, so this run opts out explicitly. (PostgresTlsTest covers TLS.)
        env.put("TESSERA_DB_SSL_MODE", "disable");
        env.put("TESSERA_DB_CA_FILE", "/etc/ssl/certs/ca-certificates.crt");
        // The tenant realm lives on the local Keycloak (loopback, plain http): the operator allows that host
        // explicitly, as docs/operations.md says for an IdP inside one's own network.
        java.net.URI tenantRealm = java.net.URI.create(E2eSettings.tenantIdpRealmUrl());
        env.put("TESSERA_IDP_ALLOWED_HOSTS", tenantRealm.getHost() + ":" + tenantRealm.getPort());
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.putAll(extraEnv);
        try {
            Path logFile = Path.of("target/e2e/" + name + ".log");
            Files.createDirectories(logFile.getParent());
            ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", jar.toAbsolutePath().toString()))
                    .redirectErrorStream(true).redirectOutput(logFile.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("TESSERA_") || k.startsWith("QUARKUS_"));
            pb.environment().putAll(env);
            PackagedService s = new PackagedService(pb.start(), logFile, "http://127.0.0.1:" + port);
            s.awaitReady(Duration.ofSeconds(120));
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the packaged service", e);
        }
    }

    private void awaitReady(Duration limit) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Instant until = Instant.now().plus(limit);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException("The service was not ready within " + limit + ":\n" + tail());
    }

    /** The last lines of the service's log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook does the same
        }
    }

    private static String randomMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
