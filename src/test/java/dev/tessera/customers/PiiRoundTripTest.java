package dev.tessera.customers;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tessera.customers.crypto.MasterKey;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * PII stored as one JSON message per row comes back exactly as given, whatever characters it holds,
 * through every way out (get, list, update, export), in a SHARED and a SCHEMA tenant; erasure leaves
 * no ciphertext of either format, and the table refuses rows that would, rows of both formats, and a
 * new key version on ciphertext that was not re-encrypted.
 */
@QuarkusTest
class PiiRoundTripTest {

    /** Quotes, backslashes, JSON look-alikes, escapes as text, line breaks of three kinds, tab, accents, emoji. */
    static final String ADDRESS = "Zoë's \"Flat\" 2 \\ back\\slash\n1 Rue de l'Église\r\nMünchen\té\u0301 \u2028 日本語 🏠 "
            + "{\"email\":\"x@y\"} \\u0041 \\\" ";
    static final String TAX_ID = "Q\"uo\\te/'\t\u00a0½ ☃";
    static final String ADDRESS_2 = "\"\n\r\n\\\\\n}]{[\u0007 — last line 🙂";

    @Inject
    MasterKey master;

    @Test
    void awkwardStringsRoundTripExactlyForASharedAndASchemaTenant() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);

        String a = roundTrip(t.adminA(), t.idA());
        String b = roundTrip(t.adminB(), t.idB());

        as(t.adminB()).get("/api/customers/" + a).then().statusCode(404);
        as(t.adminA()).get("/api/customers/" + b).then().statusCode(404);
    }

    @Test
    void erasureInTheNewFormatLeavesNoCiphertextAndTheTableRefusesRowsThatWould() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SCHEMA, IsolationMode.SHARED);
        for (var tenant : new Object[][] { { t.adminA(), t.idA() }, { t.adminB(), t.idB() } }) {
            String token = (String) tenant[0];
            PiiAtRest rows = new PiiAtRest(master, (UUID) tenant[1]);
            String id = create(token, "gone." + UUID.randomUUID() + "@example.com", ADDRESS);
            assertThat(rows.format(id)).isEqualTo("v1 new");

            as(token).post("/api/customers/" + id + "/erase").then().statusCode(204);

            assertThat(rows.format(id)).isEqualTo("v1 none");
            assertThatThrownBy(() -> rows.asOwner("UPDATE customers SET pii_enc = '\\x01'::bytea WHERE public_id = ?::uuid", id))
                    .isInstanceOf(SQLException.class).hasMessageContaining("ck_customers_erased");
            String live = create(token, "live." + UUID.randomUUID() + "@example.com", ADDRESS);
            assertThatThrownBy(() -> rows.asOwner("UPDATE customers SET email_enc = '\\x01'::bytea WHERE public_id = ?::uuid",
                    live)).isInstanceOf(SQLException.class).hasMessageContaining("ck_customers_one_pii_format");
            // what the previous release's rotation does to a row: a new version label on the old ciphertext
            assertThatThrownBy(() -> rows.asOwner("UPDATE customers SET key_version = key_version + 1, email_enc = NULL "
                    + "WHERE public_id = ?::uuid", live)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("without re-encrypting pii_enc");
            as(token).get("/api/customers/" + live).then().statusCode(200).body("address", equalTo(ADDRESS));
            assertThat(readonlyMaySelect(rows.table())).as("tessera_readonly sees no ciphertext")
                    .containsExactly("key_version:true", "pii_enc:false", "email_enc:false", "email_hmac:false");
        }
    }

    private static List<String> readonlyMaySelect(String table) throws SQLException {
        try (Connection su = Db.asSuperuser()) {
            return Db.column(su, "SELECT c || ':' || has_column_privilege('tessera_readonly', ?, c, 'SELECT') "
                    + "FROM unnest(array['key_version', 'pii_enc', 'email_enc', 'email_hmac']) WITH ORDINALITY AS x(c, n) "
                    + "ORDER BY n", table);
        }
    }

    private String roundTrip(String token, UUID tenant) throws Exception {
        String email = "o'brien+tag." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String id = create(token, email, ADDRESS);

        as(token).get("/api/customers/" + id).then().statusCode(200).body("email", equalTo(email))
                .body("taxId", equalTo(TAX_ID)).body("address", equalTo(ADDRESS)).body("phone", equalTo("+44 (20) 7946-0958"));
        as(token).queryParam("email", email).get("/api/customers").then().statusCode(200)
                .body("items[0].address", equalTo(ADDRESS)).body("items[0].taxId", equalTo(TAX_ID));
        assertThat(new PiiAtRest(master, tenant).format(id)).isEqualTo("v1 new");
        JsonObject line = exportLine(tenant, id);
        assertThat(line.getString("address")).isEqualTo(ADDRESS);
        assertThat(line.getString("taxId")).isEqualTo(TAX_ID);
        assertThat(line.getString("email")).isEqualTo(email);
        assertThat(line.fieldNames()).doesNotContain("pii", "piiEnc");

        as(token).body(new JsonObject().put("address", ADDRESS_2).encode()).patch("/api/customers/" + id).then()
                .statusCode(200).body("address", equalTo(ADDRESS_2)).body("taxId", equalTo(TAX_ID));
        as(token).get("/api/customers/" + id).then().statusCode(200).body("address", equalTo(ADDRESS_2))
                .body("taxId", equalTo(TAX_ID)).body("email", equalTo(email));
        return id;
    }

    static String create(String token, String email, String address) {
        String body = new JsonObject().put("displayName", "Awkward \"Name\"").put("email", email)
                .put("phone", "+44 (20) 7946-0958").put("taxId", TAX_ID).put("address", address).encode();
        return as(token).body(body).post("/api/customers").then().statusCode(201).body("address", equalTo(address))
                .extract().path("id");
    }

    private static JsonObject exportLine(UUID tenant, String id) {
        String body = given().auth().oauth2(TestTokens.platformAdmin()).get("/admin/tenants/" + tenant + "/export").then()
                .statusCode(200).extract().asString();
        return Arrays.stream(body.split("\n")).filter(l -> !l.isBlank()).map(JsonObject::new)
                .filter(l -> "customer".equals(l.getString("kind")) && id.equals(l.getString("id"))).findFirst()
                .orElseThrow();
    }
}
