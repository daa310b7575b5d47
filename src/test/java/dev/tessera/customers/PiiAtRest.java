package dev.tessera.customers;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import dev.tessera.customers.crypto.MasterKey;
import dev.tessera.testing.Db;

/**
 * Test fixture for the customers table as stored: a tenant's keys unwrapped with the master key, rows
 * written in the format of before tenant V007 (one pgcrypto message per field) through the owner's
 * connection in the tenant's context, and the storage facts of a row.
 */
final class PiiAtRest {

    static final String OPTIONS = "cipher-algo=aes256, s2k-mode=1";

    private final MasterKey master;
    private final UUID tenant;
    private final String table;

    PiiAtRest(MasterKey master, UUID tenant) throws SQLException {
        this.master = master;
        this.tenant = tenant;
        try (Connection su = Db.asSuperuser()) {
            this.table = Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", tenant)
                    .get(0) + ".customers";
        }
    }

    String table() {
        return table;
    }

    /** The pgcrypto passphrase of one of the tenant's data key versions (hex of the key). */
    String dataKey(int version) throws SQLException {
        return HexFormat.of().formatHex(master.unwrap(wrapped(version, "data"), context(version, "data")));
    }

    /** Inserts a customer the way the release before V007 wrote it: four messages under version 1. */
    void insertOldFormat(UUID id, String name, String email, String phone, String taxId, String address)
            throws SQLException {
        byte[] hmacKey = master.unwrap(wrapped(1, "hmac"), context(1, "hmac"));
        try (Connection owner = Db.asOwner()) {
            owner.setAutoCommit(false);
            Db.column(owner, "SELECT set_config('app.tenant_id', ?, true), set_config('app.user_id', 'test-old-release', true)",
                    tenant.toString());
            Db.column(owner, "INSERT INTO " + table + " (public_id, display_name, email_enc, phone_enc, tax_id_enc, "
                    + "address_enc, email_hmac, key_version) VALUES (?, ?, pgp_sym_encrypt(?, ?, '" + OPTIONS + "'), "
                    + "pgp_sym_encrypt(?, ?, '" + OPTIONS + "'), pgp_sym_encrypt(?, ?, '" + OPTIONS + "'), "
                    + "pgp_sym_encrypt(?, ?, '" + OPTIONS + "'), hmac(convert_to(lower(?), 'UTF8'), ?, 'sha256'), 1)",
                    id, name, email, dataKey(1), phone, dataKey(1), taxId, dataKey(1), address, dataKey(1), email, hmacKey);
            owner.commit();
        }
    }

    /** Runs an update of the tenant's customers as the owner in the tenant's context (RLS applies). */
    void asOwner(String sql, Object... args) throws SQLException {
        try (Connection owner = Db.asOwner()) {
            owner.setAutoCommit(false);
            Db.column(owner, "SELECT set_config('app.tenant_id', ?, true), set_config('app.user_id', 'test', true)",
                    tenant.toString());
            Db.column(owner, sql.replace("customers", table), args);
            owner.commit();
        }
    }

    /** How a row is stored: "v<key_version> new|old|none", by which ciphertext columns it holds. */
    String format(String id) throws SQLException {
        try (Connection su = Db.asSuperuser()) {
            return Db.column(su, "SELECT 'v' || key_version || ' ' || CASE WHEN pii_enc IS NOT NULL "
                    + "AND num_nonnulls(email_enc, phone_enc, tax_id_enc, address_enc) = 0 THEN 'new' "
                    + "WHEN pii_enc IS NULL AND num_nonnulls(email_enc, phone_enc, tax_id_enc, address_enc) > 0 THEN 'old' "
                    + "WHEN num_nonnulls(pii_enc, email_enc, phone_enc, tax_id_enc, address_enc, email_hmac) = 0 THEN 'none' "
                    + "ELSE 'mixed' END FROM " + table + " WHERE public_id = ?::uuid", id).get(0);
        }
    }

    List<String> formats() throws SQLException {
        try (Connection su = Db.asSuperuser()) {
            return Db.column(su, "SELECT DISTINCT 'v' || key_version || ' ' || (pii_enc IS NOT NULL) FROM " + table
                    + " WHERE tenant_id = ? AND erased_at IS NULL ORDER BY 1", tenant);
        }
    }

    private byte[] wrapped(int version, String purpose) throws SQLException {
        try (Connection su = Db.asSuperuser(); var p = su.prepareStatement("SELECT " + purpose
                + "_key_wrapped FROM tessera_keys.tenant_keys WHERE tenant_id = ? AND version = ?")) {
            p.setObject(1, tenant);
            p.setInt(2, version);
            try (var rs = p.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private String context(int version, String purpose) {
        return "tessera:" + tenant + ":" + version + ":" + purpose;
    }
}
