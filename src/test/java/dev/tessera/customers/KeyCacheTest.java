package dev.tessera.customers;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tessera.customers.crypto.MasterKey;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * This instance keeps each tenant's key set for reads. When another replica rotates (a new version in
 * the keystore and rows re-encrypted under it, none of which this instance saw), the cached set lacks
 * the version: reads notice, reload the keys, and answer correctly; they never fail or show a customer
 * without PII. With the tenant in each isolation mode.
 */
@QuarkusTest
class KeyCacheTest {

    @Inject
    MasterKey master;

    @Test
    void aSharedTenantRotatedByAnotherReplicaIsStillReadCorrectly() throws Exception {
        rotatedElsewhere(IsolationMode.SHARED, IsolationMode.SCHEMA);
    }

    @Test
    void aSchemaTenantRotatedByAnotherReplicaIsStillReadCorrectly() throws Exception {
        rotatedElsewhere(IsolationMode.SCHEMA, IsolationMode.SHARED);
    }

    private void rotatedElsewhere(IsolationMode modeA, IsolationMode modeB) throws Exception {
        // given customers of A and B read once here, so that both key sets ({v1}) are cached
        TwoTenants t = TwoTenants.create(modeA, modeB);
        String email = "cached." + UUID.randomUUID() + "@example.com";
        String moved = CustomerResourceContract.create(t.adminA(), "Moved", email, "+1 555 0111", "T-1");
        String stays = CustomerResourceContract.create(t.adminA(), "Stays", "stays." + UUID.randomUUID() + "@example.com",
                null, null);
        String b = CustomerResourceContract.create(t.adminB(), "B", "b." + UUID.randomUUID() + "@example.com", null, null);
        as(t.adminA()).get("/api/customers/" + moved).then().statusCode(200);
        as(t.adminB()).get("/api/customers/" + b).then().statusCode(200);
        double staleBefore = staleReloads();

        // when another replica adds version 2 for A and re-encrypts one row under it, behind this instance's back
        PiiAtRest atA = new PiiAtRest(master, t.idA());
        byte[] v2 = addVersion2(t.idA());
        atA.asOwner("UPDATE customers SET pii_enc = pgp_sym_encrypt(pgp_sym_decrypt(pii_enc, ?), ?, '" + PiiAtRest.OPTIONS
                + "'), key_version = 2 WHERE public_id = ?::uuid", atA.dataKey(1), java.util.HexFormat.of().formatHex(v2), moved);
        assertThat(atA.format(moved)).isEqualTo("v2 new");

        // then reads through the stale set reload the keys and answer with the right PII
        as(t.adminA()).get("/api/customers/" + moved).then().statusCode(200).body("email", equalTo(email))
                .body("taxId", equalTo("T-1"));
        assertThat(staleReloads()).isGreaterThan(staleBefore);
        as(t.adminA()).get("/api/customers?limit=10").then().statusCode(200).body("items.size()", equalTo(2))
                .body("items.find { it.id == '" + moved + "' }.email", equalTo(email))
                .body("items.find { it.id == '" + stays + "' }.address", equalTo("1 Main Street, Springfield"));
        as(t.adminA()).body("{\"phone\":\"+1 555 0222\"}").patch("/api/customers/" + stays).then().statusCode(200);
        assertThat(atA.format(stays)).as("writes use the keystore's current version").isEqualTo("v2 new");
        as(t.adminB()).get("/api/customers/" + b).then().statusCode(200);
        as(t.adminA()).get("/api/customers/" + b).then().statusCode(404);
    }

    /** Version 2 of the tenant's keys, wrapped with the master key as a replica would; returns the data key. */
    private byte[] addVersion2(UUID tenant) throws Exception {
        byte[] data = new byte[32];
        byte[] hmac = new byte[32];
        new java.security.SecureRandom().nextBytes(data);
        new java.security.SecureRandom().nextBytes(hmac);
        try (Connection su = Db.asSuperuser()) {
            Db.column(su, "INSERT INTO tessera_keys.tenant_keys (tenant_id, version, data_key_wrapped, hmac_key_wrapped) "
                    + "VALUES (?, 2, ?, ?)", tenant, master.wrap(data, "tessera:" + tenant + ":2:data"),
                    master.wrap(hmac, "tessera:" + tenant + ":2:hmac"));
        }
        return data;
    }

    private static double staleReloads() {
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("tessera_crypto_keys_stale_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
