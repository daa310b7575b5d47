package dev.tessera.customers;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;

/** The customers API, as tenant A and tenant B; run once per isolation mode. */
abstract class CustomerResourceContract {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    abstract IsolationMode isolation();

    TwoTenants t;

    @BeforeEach
    void twoTenants() {
        t = TwoTenants.create(isolation(), isolation());
    }

    @Test
    void adminsSeePiiInClearMembersSeeItMasked() {
        String email = unique("jane.doe") + "@example.com";
        String id = create(t.adminA(), "Jane Doe", email, "+44 20 7946 0958", "123-45-6789");

        as(t.adminA()).get("/api/customers/" + id).then().statusCode(200).body("email", equalTo(email))
                .body("taxId", equalTo("123-45-6789")).body("phone", equalTo("+44 20 7946 0958"))
                .body("piiMasked", equalTo(false));
        as(t.memberA()).get("/api/customers/" + id).then().statusCode(200).body("email", equalTo("j***@example.com"))
                .body("taxId", equalTo("***-**-6789")).body("phone", equalTo("+** ** **** **58"))
                .body("address", equalTo("***")).body("piiMasked", equalTo(true)).body("displayName", equalTo("J*** D***"));
    }

    @Test
    void onlyRolesThatReadPiiInClearMayLookUpByEmail() {
        String email = unique("oracle") + "@example.com";
        String id = create(t.adminA(), "Known", email, null, null);
        String piiReaderA = dev.tessera.testing.TestTokens.forTenant(t.slugA(), "tenant-member", "pii-reader");

        // A member gets the same refusal for a customer's address and for a stranger's: no oracle.
        for (String probe : List.of(email, "stranger-" + email)) {
            as(t.memberA()).queryParam("email", probe).get("/api/customers").then().statusCode(403)
                    .contentType("application/problem+json").body("type", equalTo(PROBLEM + "forbidden"));
            as(t.memberB()).queryParam("email", probe).get("/api/customers").then().statusCode(403);
        }
        as(t.memberA()).get("/api/customers?limit=100").then().statusCode(200).body("items.id", hasItem(id));
        as(piiReaderA).queryParam("email", email).get("/api/customers").then().statusCode(200).body("items.id", equalTo(List.of(id)));
        as(t.adminA()).queryParam("email", email).get("/api/customers").then().statusCode(200).body("items.id", equalTo(List.of(id)));
        as(t.adminB()).queryParam("email", email).get("/api/customers").then().statusCode(200).body("items", empty());
    }

    @Test
    void anotherTenantCannotFindTheCustomerByIdEmailOrList() {
        String email = unique("secret") + "@example.com";
        String id = create(t.adminA(), "Secret", email, null, null);

        as(t.adminB()).get("/api/customers/" + id).then().statusCode(404).body("type", equalTo(PROBLEM + "not-found"));
        as(t.adminB()).queryParam("email", email).get("/api/customers").then().statusCode(200).body("items", empty());
        as(t.adminB()).get("/api/customers?limit=100").then().body("items.id", not(hasItem(id)));
        as(t.adminB()).body("{\"displayName\":\"stolen\"}").patch("/api/customers/" + id).then().statusCode(404);
        as(t.adminB()).delete("/api/customers/" + id).then().statusCode(404);
        as(t.adminB()).post("/api/customers/" + id + "/erase").then().statusCode(404);
        as(t.adminA()).get("/api/customers/" + id).then().statusCode(200).body("email", equalTo(email));
    }

    @Test
    void emailLookupIsExactAndCaseInsensitive() {
        String email = unique("Mixed.Case") + "@Example.com";
        String id = create(t.adminA(), "Mixed", email, null, null);

        as(t.adminA()).queryParam("email", email.toUpperCase()).get("/api/customers").then().body("items.id",
                equalTo(List.of(id)));
        as(t.adminA()).queryParam("email", "x" + email).get("/api/customers").then().body("items", empty());
    }

    @Test
    void emailIsUniqueAmongLiveCustomersOfATenant() {
        String email = unique("dup") + "@example.com";
        String first = create(t.adminA(), "First", email, null, null);

        as(t.adminA()).body(body("Again", email.toUpperCase(), null, null)).post("/api/customers").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "email-taken"));
        create(t.adminB(), "Other tenant", email, null, null);
        as(t.adminA()).delete("/api/customers/" + first).then().statusCode(204);
        create(t.adminA(), "Replacement", email, null, null);
        as(t.adminA()).post("/api/customers/" + first + "/restore").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "email-taken"));
    }

    @Test
    void patchChangesPiiAndKeepsTheRest() {
        String id = create(t.adminA(), "Pat", unique("pat") + "@example.com", "+1 555 0100", null);

        as(t.adminA()).body("{\"phone\":\"+1 555 0199\",\"marketingConsent\":true}").patch("/api/customers/" + id).then()
                .statusCode(200).body("phone", equalTo("+1 555 0199")).body("marketingConsent", equalTo(true))
                .body("displayName", equalTo("Pat"));
        as(t.adminA()).body("{\"email\":\"not-an-email\"}").patch("/api/customers/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("email"));
    }

    @Test
    void deletedCustomersAreHiddenUntilRestored() {
        String id = create(t.adminA(), "Gone", unique("gone") + "@example.com", null, null);

        as(t.memberA()).delete("/api/customers/" + id).then().statusCode(204);

        as(t.memberA()).get("/api/customers/" + id).then().statusCode(404);
        as(t.adminA()).get("/api/customers/" + id + "?include=deleted").then().statusCode(200).body("deletedAt",
                notNullValue());
        as(t.memberA()).post("/api/customers/" + id + "/restore").then().statusCode(403);
        as(t.adminA()).post("/api/customers/" + id + "/restore").then().statusCode(200).body("deletedAt", nullValue());
    }

    @Test
    void erasureRemovesThePiiForGoodAndLeavesOnlyARecordOfWhoErased() throws Exception {
        String email = unique("erase.me") + "@example.com";
        String id = create(t.adminA(), "Erin Erasable", email, "+33 1 23 45 67 89", "FR-TAX-998877");
        as(t.adminA()).body("{\"displayName\":\"Erin E.\"}").patch("/api/customers/" + id).then().statusCode(200);

        as(t.memberA()).post("/api/customers/" + id + "/erase").then().statusCode(403);
        as(t.adminA()).post("/api/customers/" + id + "/erase").then().statusCode(204);
        as(t.adminA()).post("/api/customers/" + id + "/erase").then().statusCode(204);

        as(t.adminA()).get("/api/customers/" + id).then().statusCode(200).body("email", nullValue())
                .body("displayName", equalTo("Erased customer")).body("erasedAt", notNullValue());
        as(t.adminA()).get("/api/audit?recordId=" + id).then().body("items.action", hasItem("ERASE"))
                .body("items.find { it.action == 'ERASE' }.actor", equalTo(t.slugA() + "-user"));
        try (Connection su = Db.asSuperuser()) {
            String schema = Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?",
                    t.idA()).get(0);
            String everything = String.join("\n", Db.column(su, "SELECT c::text FROM " + schema
                    + ".customers c WHERE public_id = ?::uuid UNION ALL SELECT a::text FROM " + schema
                    + ".audit_log a WHERE record_id = ?::uuid", id, id));
            assertThat(everything).doesNotContain(email, "Erin", "+33 1 23", "FR-TAX");
            assertThat(Db.column(su, "SELECT count(*) FROM " + schema + ".audit_log WHERE record_id = ?::uuid AND "
                    + "(jsonb_exists_any(old_data, array['pii_enc', 'email_enc', 'phone_enc', 'tax_id_enc', 'address_enc', 'email_hmac', 'display_name']) "
                    + "OR jsonb_exists_any(new_data, array['pii_enc', 'email_enc', 'phone_enc', 'tax_id_enc', 'address_enc', 'email_hmac', 'display_name']))",
                    id)).as("no ciphertext or name in the audit trail").containsExactly("0");
        }
    }

    @Test
    void theSameEmailHasADifferentBlindIndexInEachTenant() throws Exception {
        String email = unique("shared") + "@example.com";
        String a = create(t.adminA(), "In A", email, null, null);
        String b = create(t.adminB(), "In B", email, null, null);

        try (Connection su = Db.asSuperuser()) {
            assertThat(hmacOf(su, t.idA(), a)).isNotEqualTo(hmacOf(su, t.idB(), b));
        }
    }

    private static String hmacOf(Connection su, UUID tenant, String id) throws Exception {
        String schema = Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", tenant)
                .get(0);
        return Db.column(su, "SELECT encode(email_hmac, 'hex') FROM " + schema + ".customers WHERE public_id = ?::uuid", id)
                .get(0);
    }

    static String create(String token, String name, String email, String phone, String taxId) {
        return as(token).body(body(name, email, phone, taxId)).post("/api/customers").then().statusCode(201).extract()
                .path("id");
    }

    static String body(String name, String email, String phone, String taxId) {
        return "{\"displayName\":\"%s\",\"email\":\"%s\"%s%s,\"address\":\"1 Main Street, Springfield\"}".formatted(name,
                email, phone == null ? "" : ",\"phone\":\"" + phone + "\"", taxId == null ? "" : ",\"taxId\":\"" + taxId + "\"");
    }

    static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }
}
