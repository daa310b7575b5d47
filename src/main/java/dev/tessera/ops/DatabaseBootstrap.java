package dev.tessera.ops;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Creates the three Tessera roles and a database owned by tessera_owner, connected as a superuser.
 *
 * <p>This is the one step that Flyway cannot do: Flyway logs in as tessera_owner, so that role must
 * exist first, and role passwords do not belong in migrations. Production runs the same statements
 * once from {@code ops/db/bootstrap.sql}; dev mode and the tests run them through this class.
 */
public final class DatabaseBootstrap {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String adminUrl;
    private final Properties adminLogin;

    public DatabaseBootstrap(String adminUrl, String adminUser, String adminPassword) {
        this.adminUrl = adminUrl;
        this.adminLogin = new Properties();
        adminLogin.setProperty("user", adminUser);
        if (adminPassword != null && !adminPassword.isEmpty()) {
            adminLogin.setProperty("password", adminPassword);
        }
    }

    /** Creates or updates the roles; their attributes are reset every time so that drift is repaired. */
    public void ensureRoles(String rolePassword) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, adminLogin)) {
            ensureRole(c, "tessera_owner", "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB", rolePassword);
            ensureRole(c, "tessera_app", "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT", rolePassword);
            ensureRole(c, "tessera_readonly", "NOLOGIN NOSUPERUSER NOBYPASSRLS", null);
            try (Statement s = c.createStatement()) {
                // Bind parameters carry data keys and PII: never let the server log their values.
                s.execute("ALTER ROLE tessera_app SET log_parameter_max_length = 0");
                s.execute("ALTER ROLE tessera_app SET log_parameter_max_length_on_error = 0");
                // One-statement tenant reads are timed by the role's limit, not by a setting made inside them.
                s.execute("ALTER ROLE tessera_app SET statement_timeout = '5s'");
                // The admin diagnostics (/admin/db) read other sessions' activity, sizes and statement
                // statistics. pg_monitor grants read access to statistics and settings, never to table
                // data. tessera_app is NOINHERIT, so the membership does nothing until a diagnostic
                // query runs SET LOCAL ROLE pg_monitor; that query then has pg_monitor's rights only.
                s.execute("GRANT pg_monitor TO tessera_app");
            }
        }
    }

    /** Creates the database owned by tessera_owner if it does not exist; returns whether it was created. */
    public boolean ensureDatabase(String database) throws SQLException {
        requireIdentifier(database);
        try (Connection c = DriverManager.getConnection(adminUrl, adminLogin)) {
            if (exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                return false;
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database + " OWNER tessera_owner");
                s.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
                s.execute("GRANT CONNECT ON DATABASE " + database + " TO tessera_app, tessera_readonly");
            }
            return true;
        }
    }

    /** Drops a database, closing its connections first (tests drop their throwaway database). */
    public void dropDatabase(String database) throws SQLException {
        requireIdentifier(database);
        try (Connection c = DriverManager.getConnection(adminUrl, adminLogin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void ensureRole(Connection c, String role, String attributes, String password) throws SQLException {
        boolean exists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role);
        try (Statement s = c.createStatement()) {
            // Role names and attributes are constants of this class; only the password is variable
            // and it is passed through quote_literal on the server, never concatenated here.
            s.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + " " + attributes);
        }
        if (password != null) {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text)")) {
                p.setString(1, role);
                p.setString(2, password);
                String alter;
                try (var rs = p.executeQuery()) {
                    rs.next();
                    alter = rs.getString(1);
                }
                try (Statement s = c.createStatement()) {
                    s.execute(alter);
                }
            }
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, value);
            try (var rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void requireIdentifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain lowercase identifier: " + name);
        }
    }
}
