package dev.tessera.customers.crypto;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Refuses to start with a master key other than the one that wrapped the existing tenant keys, and
 * unless PostgreSQL is told not to log tessera_app's bind parameters (they carry keys and PII).
 * Start-up only (main thread, before anything is served): blocking here is safe.
 */
@Singleton
public class CryptoStartupChecks {

    static final String LOG_SETTINGS = """
            SELECT current_setting('log_parameter_max_length')          AS max_length,
                   current_setting('log_parameter_max_length_on_error') AS max_length_on_error
            """;

    private final MasterKey master;
    private final AgroalDataSource owner;
    private final Pool pool;
    private final CryptoConfig config;

    CryptoStartupChecks(MasterKey master, @io.quarkus.agroal.DataSource("migrations") AgroalDataSource owner, Pool pool,
            CryptoConfig config) {
        this.master = master;
        this.owner = owner;
        this.pool = pool;
        this.config = config;
    }

    void onStart(@Observes @Priority(15) StartupEvent event) throws Exception {
        checkMasterKey();
        if (config.requireLogRedaction()) {
            checkLogRedaction();
        }
    }

    void checkMasterKey() throws SQLException {
        byte[] expected = master.checkValue();
        try (Connection c = owner.getConnection()) {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO tessera.master_key_check (check_value) VALUES (?) ON CONFLICT (id) DO NOTHING")) {
                p.setBytes(1, expected);
                p.executeUpdate();
            }
            byte[] stored;
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT check_value FROM tessera.master_key_check")) {
                rs.next();
                stored = rs.getBytes(1);
            }
            if (!MessageDigest.isEqual(expected, stored)) {
                throw new IllegalStateException("Refusing to start: TESSERA_MASTER_KEY is not the master key that "
                        + "wrapped this database's tenant keys; customer PII would be unreadable.");
            }
        }
    }

    void checkLogRedaction() throws Exception {
        var row = pool.query(LOG_SETTINGS).execute().subscribeAsCompletionStage().get(30, TimeUnit.SECONDS)
                .iterator().next();
        if (!"0".equals(row.getString("max_length")) || !"0".equals(row.getString("max_length_on_error"))) {
            throw new IllegalStateException("Refusing to start: PostgreSQL may log the bind parameters of this role, "
                    + "which carry data keys and PII. Run as a superuser: ALTER ROLE tessera_app SET "
                    + "log_parameter_max_length = 0; ALTER ROLE tessera_app SET log_parameter_max_length_on_error = 0; "
                    + "(see ops/db/bootstrap.sql)");
        }
    }
}
