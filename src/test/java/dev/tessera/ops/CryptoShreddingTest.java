package dev.tessera.ops;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tessera.customers.KeyShredding;
import dev.tessera.customers.crypto.MasterKey;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Crypto-shredding, as the issue states it: dump the data, offboard tenant A, let its keys be destroyed,
 * restore the dump into a fresh database: A's ciphertext is there and nobody can decrypt it (no key the
 * live or the restored keystore holds opens it; the key A had before still does, so the check is real),
 * while tenant B, untouched, still decrypts. Run with A in each isolation mode.
 */
@QuarkusTest
class CryptoShreddingTest {

    static BackupDrill drill;

    @Inject
    KeyShredding shredding;

    @Inject
    MasterKey master;

    @BeforeAll
    static void backupRole() throws Exception {
        drill = new BackupDrill();
    }

    @AfterAll
    static void dropRestoredDatabases() throws Exception {
        drill.dropAll();
    }

    @Test
    void aShreddedSharedTenantCannotBeDecryptedFromABackupTakenBeforeNorLive() throws Throwable {
        shredAndRestore(IsolationMode.SHARED, IsolationMode.SCHEMA);
    }

    @Test
    void aShreddedSchemaTenantCannotBeDecryptedFromABackupTakenBeforeNorLive() throws Throwable {
        shredAndRestore(IsolationMode.SCHEMA, IsolationMode.SHARED);
    }

    private void shredAndRestore(IsolationMode modeA, IsolationMode modeB) throws Throwable {
        // given two tenants with customers, and a data backup taken while both are live
        TwoTenants t = TwoTenants.create(modeA, modeB);
        String nameTag = "Shredname" + UUID.randomUUID().toString().substring(0, 8);
        List<String> emailsA = customers(t.adminA(), 3, nameTag);
        List<String> emailsB = customers(t.adminB(), 2, "Kept");
        Path dump = drill.backup(false);
        String tableA = customersTable(t.idA());
        String tableB = customersTable(t.idB());
        String keyOfA;
        try (Connection su = Db.asSuperuser()) {
            keyOfA = BackupDrill.everyDataKey(su, master).stream()
                    .filter(k -> BackupDrill.decryptEmails(su, tableA, t.idA(), k).equals(emailsA)).findFirst().orElseThrow();
        }
        String admin = TestTokens.platformAdmin();

        // when A is offboarded with no export window, a keystore backup is taken, and the shredding job runs
        as(admin).body("{\"exportWindow\":\"PT0S\"}").post("/admin/tenants/" + t.idA() + "/offboard").then().statusCode(202)
                .body("state", equalTo("OFFBOARDING")).body("shredAfter", notNullValue()).body("shreddedAt", nullValue());
        Path keys = drill.backup(true);
        assertThat(io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> shredding.shredDue())).isPositive();

        // then A is OFFBOARDED with no key left, audited, and its API refuses while B's answers
        as(admin).get("/admin/tenants/" + t.idA()).then().statusCode(200).body("state", equalTo("OFFBOARDED"))
                .body("shreddedAt", notNullValue()).body("keys.current", nullValue()).body("keys.versions.size()", equalTo(0));
        as(admin).body("{}").post("/admin/tenants/" + t.idA() + "/offboard").then().statusCode(200)
                .body("state", equalTo("OFFBOARDED"));
        as(t.adminA()).get("/api/customers").then().statusCode(403).body("type", equalTo("https://tessera.dev/problems/tenant-inactive"));
        as(t.adminB()).get("/api/customers").then().statusCode(200).body("items.size()", equalTo(2));
        assertThat(Files.readString(keys)).contains(t.idB().toString()).doesNotContain(t.idA().toString());
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT action FROM tessera.platform_audit WHERE tenant_id = ? ORDER BY id", t.idA()))
                    .endsWith("tenant.offboard", "tenant.shred");
            assertThat(Db.column(su, "SELECT count(*) FROM tessera_keys.tenant_keys WHERE tenant_id = ?", t.idA()))
                    .containsExactly("0");
            assertNobodyDecrypts(su, tableA, t.idA(), emailsA, keyOfA);
            assertNoTableHolds(su, tableA, nameTag);
        }

        // and the backup taken before, restored with the keystore backup, holds A's ciphertext that no key opens
        String restoredUrl = drill.restore(dump, keys);
        try (Connection copy = drill.superuser(restoredUrl)) {
            assertThat(Db.column(copy, "SELECT count(pii_enc) FROM " + tableA + " WHERE tenant_id = ?", t.idA()))
                    .containsExactly("3");
            assertNobodyDecrypts(copy, tableA, t.idA(), emailsA, keyOfA);
            // nor a customer's name: it is encrypted with the rest of the PII, in the backup too
            assertNoTableHolds(copy, tableA, nameTag);
            assertThat(BackupDrill.everyDataKey(copy, master)).anySatisfy(
                    k -> assertThat(BackupDrill.decryptEmails(copy, tableB, t.idB(), k)).isEqualTo(emailsB));
        }
    }

    /** No key of this database's keystore (nor of the live one) decrypts A's rows; the key A had before does. */
    private void assertNobodyDecrypts(Connection db, String table, UUID tenant, List<String> emails, String formerKey)
            throws Exception {
        List<String> keys = new ArrayList<>(BackupDrill.everyDataKey(db, master));
        try (Connection live = Db.asSuperuser()) {
            keys.addAll(BackupDrill.everyDataKey(live, master));
        }
        assertThat(keys).isNotEmpty().doesNotContain(formerKey);
        for (String key : keys) {
            assertThat(BackupDrill.decryptEmails(db, table, tenant, key)).singleElement().asString()
                    .startsWith("refused:").contains("Wrong key");
        }
        assertThat(BackupDrill.decryptEmails(db, table, tenant, formerKey)).isEqualTo(emails);
    }

    /** No row of any table in the schema of {@code table} shows {@code text} anywhere in its columns. */
    private static void assertNoTableHolds(Connection db, String table, String text) throws Exception {
        String schema = table.substring(0, table.indexOf('.'));
        List<String> tables = Db.column(db, "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = ?",
                schema);
        assertThat(tables).contains(table);
        for (String each : tables) {
            assertThat(Db.column(db, "SELECT count(*) FROM " + each + " x WHERE x::text LIKE ?", "%" + text + "%"))
                    .as("rows of %s holding %s", each, text).containsExactly("0");
        }
    }

    private static List<String> customers(String token, int n, String nameTag) {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String email = "shred" + i + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            as(token).body("{\"displayName\":\"%s %d\",\"email\":\"%s\",\"phone\":\"+1 555 0100\"}".formatted(nameTag, i, email))
                    .post("/api/customers").then().statusCode(201);
            emails.add(email);
        }
        return emails.stream().sorted().toList();
    }

    private static String customersTable(UUID tenant) throws Exception {
        try (Connection su = Db.asSuperuser()) {
            String schema = Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", tenant)
                    .get(0);
            return schema + ".customers";
        }
    }
}
