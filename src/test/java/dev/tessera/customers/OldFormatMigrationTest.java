package dev.tessera.customers;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tessera.customers.crypto.MasterKey;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Rows written before tenant V007 (one pgcrypto message per field) stay readable, an update rewrites a
 * row in the new format, and a key rotation moves every old row (erased ones too) to the new format
 * under the new key, exactly; the other tenant's old rows stay as they were, in either isolation mode.
 */
@QuarkusTest
class OldFormatMigrationTest {

    @Inject
    MasterKey master;

    @Test
    void oldRowsOfASharedTenantAreReadAndMigratedByRotation() throws Exception {
        migrate(IsolationMode.SHARED, IsolationMode.SCHEMA);
    }

    @Test
    void oldRowsOfASchemaTenantAreReadAndMigratedByRotation() throws Exception {
        migrate(IsolationMode.SCHEMA, IsolationMode.SHARED);
    }

    private void migrate(IsolationMode modeA, IsolationMode modeB) throws Exception {
        // given each tenant with a customer written now (which creates its key) and rows of the old release
        TwoTenants t = TwoTenants.create(modeA, modeB);
        String newA = PiiRoundTripTest.create(t.adminA(), "new." + UUID.randomUUID() + "@example.com", "New Street");
        PiiRoundTripTest.create(t.adminB(), "new." + UUID.randomUUID() + "@example.com", "New Street");
        PiiAtRest atA = new PiiAtRest(master, t.idA());
        PiiAtRest atB = new PiiAtRest(master, t.idB());
        String email = "old." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        UUID old = UUID.randomUUID();
        UUID sparse = UUID.randomUUID();
        UUID erased = UUID.randomUUID();
        UUID oldB = UUID.randomUUID();
        atA.insertOldFormat(old, "Old Customer", email, "+1 555 0101", PiiRoundTripTest.TAX_ID, PiiRoundTripTest.ADDRESS);
        atA.insertOldFormat(sparse, "Sparse", "sparse." + UUID.randomUUID() + "@example.com", null, null, null);
        atA.insertOldFormat(erased, "Erased", "erased." + UUID.randomUUID() + "@example.com", "+1 555 0102", null, "x");
        atA.asOwner("UPDATE customers SET email_enc = NULL, phone_enc = NULL, tax_id_enc = NULL, address_enc = NULL, "
                + "email_hmac = NULL, display_name = 'Erased customer', erased_at = now() WHERE public_id = ?", erased);
        atB.insertOldFormat(oldB, "Old B", email, null, "B-TAX", "B Street\nline 2");
        assertThat(atA.format(old.toString())).isEqualTo("v1 old");
        assertThat(atA.format(erased.toString())).isEqualTo("v1 none");

        // then the old rows read as they were written, through get, list and lookup, masked for members
        readsExactly(t.adminA(), old.toString(), email);
        as(t.memberA()).get("/api/customers/" + old).then().statusCode(200).body("address", equalTo("***"))
                .body("email", equalTo("o***@example.com")).body("displayName", equalTo("O*** C***"));
        as(t.adminA()).get("/api/customers/" + sparse).then().statusCode(200).body("phone", nullValue())
                .body("taxId", nullValue()).body("address", nullValue());
        as(t.adminA()).get("/api/customers/" + erased).then().statusCode(200).body("email", nullValue());
        as(t.adminB()).get("/api/customers/" + old).then().statusCode(404);
        as(t.adminB()).get("/api/customers/" + oldB).then().statusCode(200).body("address", equalTo("B Street\nline 2"));

        // and an update rewrites an old row in the new format, keeping the fields it does not change
        as(t.adminA()).body("{\"displayName\":\"Sparse, renamed\",\"phone\":\"+1 555 0199\"}").patch("/api/customers/" + sparse)
                .then().statusCode(200).body("phone", equalTo("+1 555 0199")).body("address", nullValue());
        assertThat(atA.format(sparse.toString())).isEqualTo("v1 new");

        // when A's keys are rotated
        rotate(t.idA());

        // then every row of A is in the new format under version 2, reads the same, and version 1 is retired
        assertThat(atA.format(old.toString())).isEqualTo("v2 new");
        assertThat(atA.format(erased.toString())).isEqualTo("v2 none");
        assertThat(atA.format(newA)).isEqualTo("v2 new");
        assertThat(atA.formats()).containsExactly("v2 true");
        readsExactly(t.adminA(), old.toString(), email);
        as(t.adminA()).get("/api/customers/" + sparse).then().statusCode(200).body("phone", equalTo("+1 555 0199"))
                .body("displayName", equalTo("Sparse, renamed"));
        // and no name is left in clear but the erased row's fixed one: the rotation moved it into the ciphertext
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT coalesce(display_name, '-') FROM " + atA.table() + " WHERE tenant_id = ? "
                    + "ORDER BY display_name NULLS FIRST", t.idA())).containsExactly("-", "-", "-", "Erased customer");
        }
        as(t.adminA()).get("/api/customers/" + erased).then().statusCode(200).body("displayName", equalTo("Erased customer"));
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT version || ':' || (retired_at IS NOT NULL) FROM tessera_keys.tenant_keys "
                    + "WHERE tenant_id = ? ORDER BY version", t.idA())).containsExactly("1:true", "2:false");
        }
        // and B's old row is untouched and still readable
        assertThat(atB.format(oldB.toString())).isEqualTo("v1 old");
        as(t.adminB()).get("/api/customers/" + oldB).then().statusCode(200).body("taxId", equalTo("B-TAX"));
    }

    private static void readsExactly(String token, String id, String email) {
        as(token).get("/api/customers/" + id).then().statusCode(200).body("email", equalTo(email))
                .body("phone", equalTo("+1 555 0101")).body("taxId", equalTo(PiiRoundTripTest.TAX_ID))
                .body("address", equalTo(PiiRoundTripTest.ADDRESS)).body("displayName", equalTo("Old Customer"));
        as(token).queryParam("email", email.toUpperCase()).get("/api/customers").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].id", equalTo(id))
                .body("items[0].address", equalTo(PiiRoundTripTest.ADDRESS));
    }

    static void rotate(UUID tenant) throws InterruptedException {
        String admin = TestTokens.platformAdmin();
        as(admin).post("/admin/tenants/" + tenant + "/keys/rotate").then().statusCode(202);
        String state = "RUNNING";
        for (int i = 0; i < 200 && state.equals("RUNNING"); i++) {
            Thread.sleep(50);
            state = as(admin).get("/admin/tenants/" + tenant + "/keys").then().statusCode(200).extract().path("state");
        }
        assertThat(state).isEqualTo("DONE");
    }
}
