package dev.tessera.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.tessera.ops.DatabaseBootstrap;

/**
 * Makes the test run's throwaway database a Citus cluster of its own, when {@code TESSERA_TEST_CITUS_WORKERS}
 * names the workers ({@code host:port,host:port}; the coordinator is the server of
 * {@code TESSERA_TEST_ADMIN_URL}). In Citus every database is a cluster of its own: the database, the
 * roles and the extension must exist on each node, and the coordinator registers the workers in it.
 *
 * <p>Order matters: Citus is created before the migrations run, so that the functions and the pgcrypto
 * extension they create are propagated to the workers; the operators' script {@code ops/citus/distribute.sql}
 * then distributes the migrated tables, run with psql exactly as docs/design/scale-out.md tells an operator.
 * Set by {@code .ci/citus} (through {@code .ci/citus-up}); never silently ignored: a worker that cannot be
 * prepared fails the test run.
 */
final class CitusCluster {

    static final String WORKERS_ENV = "TESSERA_TEST_CITUS_WORKERS";
    private static final Path DISTRIBUTE_SCRIPT = Path.of("ops/citus/distribute.sql");

    private final String coordinatorHostPort;
    private final List<String> workers;
    private final String adminUser;
    private final String adminPassword;

    private CitusCluster(String coordinatorHostPort, List<String> workers, String adminUser, String adminPassword) {
        this.coordinatorHostPort = coordinatorHostPort;
        this.workers = workers;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
    }

    /** The cluster named by {@code TESSERA_TEST_CITUS_WORKERS}, or null when the tests run on plain PostgreSQL. */
    static CitusCluster fromEnvironment(String coordinatorHostPort, String adminUser, String adminPassword) {
        String list = System.getenv(WORKERS_ENV);
        if (list == null || list.isBlank()) {
            return null;
        }
        List<String> workers = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new CitusCluster(coordinatorHostPort, workers, adminUser, adminPassword);
    }

    /** Roles and the database on every worker, Citus in the database on every node, the workers registered. */
    void prepare(String database, String rolePassword) throws SQLException {
        for (String worker : workers) {
            DatabaseBootstrap node = new DatabaseBootstrap(url(worker, "postgres"), adminUser, adminPassword);
            node.ensureRoles(rolePassword);
            node.ensureDatabase(database);
            execute(worker, database, "CREATE EXTENSION IF NOT EXISTS citus");
        }
        execute(coordinatorHostPort, database, "CREATE EXTENSION IF NOT EXISTS citus");
        String[] coordinator = coordinatorHostPort.split(":");
        try (Connection c = connect(coordinatorHostPort, database)) {
            call(c, "SELECT citus_set_coordinator_host(?, ?)", coordinator[0], Integer.parseInt(coordinator[1]));
            for (String worker : workers) {
                String[] hp = worker.split(":");
                call(c, "SELECT citus_add_node(?, ?)", hp[0], Integer.parseInt(hp[1]));
            }
        }
    }

    /** Runs {@code ops/citus/distribute.sql} with psql on the coordinator, as the superuser; fails on any error. */
    void distribute(String database) {
        String[] hp = coordinatorHostPort.split(":");
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", hp[0], "-p", hp[1],
                "-U", adminUser, "-d", database, "-f", DISTRIBUTE_SCRIPT.toString()));
        try {
            Path log = Files.createTempFile("tessera-citus-distribute", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (adminPassword != null && !adminPassword.isEmpty()) {
                pb.environment().put("PGPASSWORD", adminPassword);
            }
            Process p = pb.start();
            boolean ok = p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
            p.destroyForcibly();
            String output = Files.readString(log);
            Files.deleteIfExists(log);
            if (!ok) {
                throw new IllegalStateException(DISTRIBUTE_SCRIPT + " failed on " + database + ":\n" + output);
            }
            System.out.println("Citus: " + database + " distributed by " + DISTRIBUTE_SCRIPT + "\n" + output);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot run psql for " + DISTRIBUTE_SCRIPT + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Drops the database on every worker (the coordinator's is dropped by the caller). */
    void drop(String database) {
        for (String worker : workers) {
            try {
                new DatabaseBootstrap(url(worker, "postgres"), adminUser, adminPassword).dropDatabase(database);
            } catch (SQLException e) {
                System.err.println("Could not drop test database " + database + " on " + worker + ": " + e.getMessage());
            }
        }
    }

    private void execute(String hostPort, String database, String sql) throws SQLException {
        try (Connection c = connect(hostPort, database); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void call(Connection c, String sql, String host, int port) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, host);
            p.setInt(2, port);
            p.execute();
        }
    }

    private Connection connect(String hostPort, String database) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", adminUser);
        if (adminPassword != null && !adminPassword.isEmpty()) {
            login.setProperty("password", adminPassword);
        }
        return DriverManager.getConnection(url(hostPort, database), login);
    }

    private static String url(String hostPort, String database) {
        return "jdbc:postgresql://" + hostPort + "/" + database;
    }
}
