package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.tessera.customers.crypto.MasterKey;
import dev.tessera.testing.Db;
import dev.tessera.testing.PostgresTestResource;

/**
 * The operator's side of backups, as a test runs it: the backup role, ops/backup (data and --keys) as
 * tessera_backup, ops/restore into a fresh database, and reading keys and ciphertext underneath.
 */
final class BackupDrill {

    static final String BACKUP_PASSWORD = "tessera-backup-test";

    final String adminUrl;
    final String adminUser;
    final String adminPassword;
    final Path directory;
    final List<String> restored = new ArrayList<>();

    BackupDrill() throws Exception {
        var config = ConfigProvider.getConfig();
        adminUrl = config.getValue("tessera.test.admin-url", String.class);
        adminUser = config.getValue("tessera.test.admin-user", String.class);
        adminPassword = config.getValue("tessera.test.admin-password", String.class);
        OpsScript role = OpsScript.run(Map.of("PGPASSWORD", adminPassword), "psql", List.of("psql", "-X", "-q",
                "-d", libpqUrl(adminUrl, adminUser), "-v", "backup_password=" + BACKUP_PASSWORD, "-v", "database=" + database(),
                "-f", "ops/db/backup-role.sql"));
        assertThat(role.exitCode()).as(role.output()).isZero();
        directory = Files.createTempDirectory("tessera-drill");
    }

    static String database() {
        return Db.jdbcUrl().replaceFirst(".*/", "");
    }

    /** ops/backup [--keys] as tessera_backup; returns the file written. */
    Path backup(boolean keys) {
        List<String> args = new ArrayList<>(keys ? List.of("--keys") : List.of());
        args.addAll(List.of(libpqUrl(Db.jdbcUrl(), "tessera_backup"), directory.toString()));
        OpsScript run = OpsScript.ops(Map.of("PGPASSWORD", BACKUP_PASSWORD), "backup", args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.output()).isZero();
        return Path.of(run.lastLine());
    }

    /** ops/restore --create [--keys KEYS] DUMP into a new database; returns its JDBC URL. */
    String restore(Path dump, Path keys) {
        String name = "tessera_drill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = Db.jdbcUrl().replaceFirst("/[^/]*$", "/" + name);
        List<String> args = new ArrayList<>(List.of("--create", libpqUrl(adminUrl, adminUser)));
        if (keys != null) {
            args.addAll(List.of("--keys", keys.toString()));
        }
        args.addAll(List.of(dump.toString(), libpqUrl(url, "tessera_owner")));
        restored.add(name);
        OpsScript run = OpsScript.ops(Map.of("PGPASSWORD", PostgresTestResource.ROLE_PASSWORD, "ADMIN_PGPASSWORD", adminPassword),
                "restore", args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.output()).isZero();
        return url;
    }

    Connection superuser(String jdbcUrl) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", adminUser);
        p.setProperty("password", adminPassword);
        return DriverManager.getConnection(jdbcUrl, p);
    }

    /** Every data key the keystore of that database holds, unwrapped with the master key, as pgcrypto passphrases. */
    static List<String> everyDataKey(Connection su, MasterKey master) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (var rs = su.createStatement().executeQuery(
                "SELECT tenant_id, version, data_key_wrapped FROM tessera_keys.tenant_keys ORDER BY 1, 2")) {
            while (rs.next()) {
                String context = "tessera:" + rs.getString(1) + ":" + rs.getInt(2) + ":data";
                keys.add(HexFormat.of().formatHex(master.unwrap(rs.getBytes(3), context)));
            }
        }
        return keys;
    }

    /** The emails of a tenant's customers decrypted with one passphrase, or the database's refusal. */
    static List<String> decryptEmails(Connection su, String table, UUID tenant, String passphrase) {
        try {
            return Db.column(su, "SELECT pgp_sym_decrypt(pii_enc, ?)::jsonb ->> 'email' FROM " + table + " WHERE tenant_id = ? ORDER BY 1",
                    passphrase, tenant);
        } catch (SQLException e) {
            return List.of("refused: " + e.getMessage());
        }
    }

    void dropAll() throws Exception {
        var bootstrap = new DatabaseBootstrap(adminUrl, adminUser, adminPassword);
        for (String name : restored) {
            bootstrap.dropDatabase(name);
        }
        try (var files = Files.list(directory)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(directory);
    }

    /** jdbc:postgresql://host:port/db to the libpq URI postgresql://user@host:port/db that the scripts take. */
    static String libpqUrl(String jdbcUrl, String user) {
        return jdbcUrl.replaceFirst("^jdbc:postgresql://", "postgresql://" + user + "@").replaceFirst("\\?.*$", "");
    }
}
