package dev.tessera.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;

/** Direct JDBC access to the test database as a chosen role, for tests that look under the API. */
public final class Db {

    private Db() {
    }

    public static Connection asSuperuser() throws SQLException {
        var c = ConfigProvider.getConfig();
        return connect(c.getValue("tessera.test.admin-url", String.class), c.getValue("tessera.test.admin-user", String.class),
                c.getValue("tessera.test.admin-password", String.class));
    }

    /** The superuser on the server's {@code postgres} database: for statements PostgreSQL refuses on the current database. */
    public static Connection asSuperuserOnMaintenanceDb() throws SQLException {
        var c = ConfigProvider.getConfig();
        return connect(c.getValue("tessera.test.admin-url", String.class).replaceFirst("/[^/?]*(\\?.*)?$", "/postgres$1"),
                c.getValue("tessera.test.admin-user", String.class), c.getValue("tessera.test.admin-password", String.class));
    }

    /** The name of the test database. */
    public static String databaseName() {
        return jdbcUrl().replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
    }

    public static Connection asOwner() throws SQLException {
        return connect(jdbcUrl(), "tessera_owner", PostgresTestResource.ROLE_PASSWORD);
    }

    public static Connection asApp() throws SQLException {
        return connect(jdbcUrl(), "tessera_app", PostgresTestResource.ROLE_PASSWORD);
    }

    public static String jdbcUrl() {
        return ConfigProvider.getConfig().getValue("tessera.test.jdbc-url", String.class);
    }

    /** Runs one statement and returns the first column of every row as text. */
    public static List<String> column(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            if (p.execute()) {
                try (var rs = p.getResultSet()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }
}
