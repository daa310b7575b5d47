package dev.tessera.access;

import static dev.tessera.testing.Api.as;
import static dev.tessera.testing.Api.productJson;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * API keys of tenants' machine clients, tried as tenant A and as tenant B. Runs once per isolation mode
 * ({@link SharedApiKeyTest}, {@link SchemaApiKeyTest}).
 */
abstract class ApiKeyContract {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    abstract IsolationMode isolation();

    @Inject
    ApiKeys keys;

    TwoTenants t;

    @BeforeEach
    void twoTenants() {
        t = TwoTenants.create(isolation(), isolation());
    }

    /** A request authenticated by an API key. */
    static RequestSpecification withKey(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    static JsonPath create(String adminToken, String name, String... roles) {
        return as(adminToken).body("{\"name\":\"%s\",\"roles\":[%s]}".formatted(name,
                String.join(",", List.of(roles).stream().map(r -> "\"" + r + "\"").toList())))
                .post("/api/keys").then().statusCode(201).extract().jsonPath();
    }

    static String createProduct(RequestSpecification as, String name) {
        return as.body(productJson(name)).post("/api/products").then().statusCode(201).extract().path("id");
    }

    @Test
    void aKeyActsForItsTenantWithItsRolesAndIsTheActorOfItsChanges() {
        JsonPath key = create(t.adminA(), "shop sync", "tenant-member");
        assertThat(key.getString("key")).matches("tsk_live_[a-z2-7]{12}_[a-z2-7]{52}");
        assertThat(key.getString("prefix")).isEqualTo(key.getString("key").substring(0, 21));
        assertThat(key.getList("roles")).containsExactly("tenant-member");

        String id = createProduct(withKey(key.getString("key")), "Made by a key");
        withKey(key.getString("key")).get("/api/products/" + id).then().statusCode(200).body("name", equalTo("Made by a key"));
        withKey(key.getString("key")).get("/api/tenant").then().statusCode(200).body("id", equalTo(t.idA().toString()));

        // A member key: no tenant-admin operation.
        withKey(key.getString("key")).get("/api/audit").then().statusCode(403);
        withKey(key.getString("key")).get("/api/keys").then().statusCode(403);

        as(t.adminA()).queryParam("recordId", id).get("/api/audit").then().statusCode(200)
                .body("items.actor", hasItem("key:" + key.getString("id")));
    }

    @Test
    void aKeyOfTenantANeverSeesOrChangesTenantB() {
        String ofB = createProduct(as(t.memberB()), "B's own");
        String keyA = create(t.adminA(), "a", "tenant-member", "tenant-admin").getString("key");

        withKey(keyA).get("/api/products/" + ofB).then().statusCode(404).body("type", equalTo(PROBLEM + "not-found"));
        withKey(keyA).body("{\"name\":\"stolen\"}").patch("/api/products/" + ofB).then().statusCode(404);
        withKey(keyA).delete("/api/products/" + ofB).then().statusCode(404);
        withKey(keyA).get("/api/products").then().statusCode(200).body("items.id", not(hasItem(ofB)));
        as(t.memberB()).get("/api/products/" + ofB).then().statusCode(200).body("name", equalTo("B's own"));
    }

    @Test
    void keysAreTheTenantsOwnAndTheirSecretsAreNeverShownAgain() {
        JsonPath created = create(t.adminA(), "reporting", "tenant-member");
        String id = created.getString("id");

        as(t.adminA()).get("/api/keys/" + id).then().statusCode(200).body("name", equalTo("reporting"))
                .body("prefix", equalTo(created.getString("prefix"))).body("key", nullValue())
                .body("createdBy", equalTo(t.slugA() + "-user")).body("lastUsedAt", nullValue());
        as(t.adminA()).get("/api/keys").then().statusCode(200).body("items.id", hasItem(id)).body("items.key", not(hasItem(notNullValue())));

        as(t.adminB()).get("/api/keys/" + id).then().statusCode(404);
        as(t.adminB()).get("/api/keys").then().statusCode(200).body("items.id", not(hasItem(id)));
        as(t.adminB()).delete("/api/keys/" + id).then().statusCode(404);
        as(t.adminB()).body("{}").post("/api/keys/" + id + "/rotate").then().statusCode(404);
        withKey(created.getString("key")).get("/api/products").then().statusCode(200);
    }

    @Test
    void aKeyHoldsTenantRolesOnlyAndOnlyWhatItsCreatorHolds() {
        as(t.memberA()).body("{\"name\":\"x\",\"roles\":[\"tenant-member\"]}").post("/api/keys").then().statusCode(403);
        as(t.adminA()).body("{\"name\":\"x\",\"roles\":[\"platform-admin\"]}").post("/api/keys").then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-parameter"));
        String pii = create(t.adminA(), "crm", "tenant-member", "pii-reader").getString("key");
        withKey(pii).get("/api/customers?limit=1").then().statusCode(200);
        withKey(pii).get("/admin/tenants").then().statusCode(403);
        String member = create(t.adminA(), "shop", "tenant-member").getString("key");
        withKey(member).get("/api/customers?email=a@example.com").then().statusCode(403);
        // Only tenant-admins create keys today, and tenant-admin includes every tenant role; the rule that
        // bounds a key by its creator is ApiKeysTest's (a creator without pii-reader or tenant-admin).
    }

    @Test
    void keysAreManagedWithAPersonsTokenNeverWithAKey() {
        String adminKey = create(t.adminA(), "ci", "tenant-admin").getString("key");
        withKey(adminKey).get("/api/keys").then().statusCode(200);
        withKey(adminKey).body("{\"name\":\"minted\",\"roles\":[\"tenant-member\"]}").post("/api/keys").then().statusCode(403)
                .body("type", equalTo(PROBLEM + "forbidden"));
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceAndARevocationElsewhereWithinTheCacheTtl() throws Exception {
        JsonPath first = create(t.adminA(), "first", "tenant-member");
        withKey(first.getString("key")).get("/api/products").then().statusCode(200);
        as(t.adminA()).delete("/api/keys/" + first.getString("id")).then().statusCode(204);
        withKey(first.getString("key")).get("/api/products").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo(PROBLEM + "unauthorized"));
        as(t.adminA()).delete("/api/keys/" + first.getString("id")).then().statusCode(204);
        as(t.adminA()).get("/api/keys/" + first.getString("id")).then().statusCode(200).body("revokedAt", notNullValue());

        // Another replica revokes: this one has the key remembered, and forgets it within tessera.api-keys.cache-ttl (5 s).
        JsonPath second = create(t.adminA(), "second", "tenant-member");
        withKey(second.getString("key")).get("/api/products").then().statusCode(200);
        try (Connection su = Db.asSuperuser()) {
            su.createStatement().executeUpdate("UPDATE tessera.api_keys SET revoked_at = now() WHERE id = '" + second.getString("id") + "'");
        }
        long revokedAt = System.nanoTime();
        while (withKey(second.getString("key")).get("/api/products").statusCode() == 200) {
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).as("refused within the cache TTL").isLessThan(Duration.ofSeconds(7));
            Thread.sleep(200);
        }
        withKey(second.getString("key")).get("/api/products").then().statusCode(401);
    }

    @Test
    void anExpiredKeyIsRefused() throws Exception {
        String expires = OffsetDateTime.now().plusSeconds(2).toString();
        String key = as(t.adminA()).body("{\"name\":\"short\",\"roles\":[\"tenant-member\"],\"expiresAt\":\"%s\"}".formatted(expires))
                .post("/api/keys").then().statusCode(201).extract().path("key");
        withKey(key).get("/api/products").then().statusCode(200);
        Thread.sleep(2500);
        withKey(key).get("/api/products").then().statusCode(401);
    }

    @Test
    void aRotationKeepsThePreviousSecretForItsGracePeriodOnly() {
        JsonPath created = create(t.adminA(), "rotating", "tenant-member");
        String id = created.getString("id");
        String original = created.getString("key");

        JsonPath rotated = as(t.adminA()).body("{\"gracePeriod\":\"PT1H\"}").post("/api/keys/" + id + "/rotate").then()
                .statusCode(200).body("previousSecretValidUntil", notNullValue()).extract().jsonPath();
        String second = rotated.getString("key");
        assertThat(second).startsWith(created.getString("prefix") + "_").isNotEqualTo(original);
        withKey(original).get("/api/products").then().statusCode(200);
        withKey(second).get("/api/products").then().statusCode(200);

        String third = as(t.adminA()).body("{\"gracePeriod\":\"PT0S\"}").post("/api/keys/" + id + "/rotate").then()
                .statusCode(200).extract().path("key");
        withKey(original).get("/api/products").then().statusCode(401);
        withKey(second).get("/api/products").then().statusCode(401);
        withKey(third).get("/api/products").then().statusCode(200);

        as(t.adminA()).delete("/api/keys/" + id).then().statusCode(204);
        as(t.adminA()).body("{}").post("/api/keys/" + id + "/rotate").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "api-key-inactive"));
        withKey(third).get("/api/products").then().statusCode(401);
    }

    @Test
    void wrongUnknownAndMalformedKeysAre401ProblemsNeverAJwtError() {
        String key = create(t.adminA(), "real", "tenant-member").getString("key");
        String wrongSecret = key.substring(0, key.length() - 1) + (key.endsWith("a") ? "b" : "a");
        String unknownPrefix = "tsk_live_aaaaaaaaaaaa" + key.substring(21);
        for (String bad : List.of(wrongSecret, unknownPrefix, "tsk_live_short", key + "x", key.toUpperCase(), "tsk_live_" + "_".repeat(65))) {
            withKey(bad).get("/api/products").then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEM + "unauthorized"));
        }
        withKey(key).get("/api/products").then().statusCode(200);
    }

    @Test
    void aSuspendedTenantsKeysStopAtOnce() {
        String key = create(t.adminA(), "k", "tenant-member").getString("key");
        withKey(key).get("/api/products").then().statusCode(200);
        as(TestTokens.platformAdmin()).post("/admin/tenants/" + t.idA() + "/suspend").then().statusCode(200);
        withKey(key).get("/api/products").then().statusCode(403).body("type", equalTo(PROBLEM + "tenant-inactive"));
        as(TestTokens.platformAdmin()).post("/admin/tenants/" + t.idA() + "/activate").then().statusCode(200);
        withKey(key).get("/api/products").then().statusCode(200);
    }

    @Test
    void usesAreRecordedInBatchesNotByAWritePerRequest() throws Exception {
        JsonPath created = create(t.adminA(), "busy", "tenant-member");
        String id = created.getString("id");
        keys.flushUses().await().atMost(Duration.ofSeconds(5));
        String before = rowVersion(id);
        for (int i = 0; i < 20; i++) {
            withKey(created.getString("key")).get("/api/products").then().statusCode(200);
        }
        assertThat(rowVersion(id)).as("the key's row is not written per request").isEqualTo(before);
        as(t.adminA()).get("/api/keys/" + id).then().body("lastUsedAt", nullValue());

        keys.flushUses().await().atMost(Duration.ofSeconds(5));
        as(t.adminA()).get("/api/keys/" + id).then().body("lastUsedAt", notNullValue());
    }

    @Test
    void everyChangeToAKeyIsInThePlatformAudit() throws Exception {
        JsonPath created = create(t.adminA(), "audited", "tenant-member");
        String id = created.getString("id");
        as(t.adminA()).body("{\"gracePeriod\":\"PT0S\"}").post("/api/keys/" + id + "/rotate").then().statusCode(200);
        as(t.adminA()).delete("/api/keys/" + id).then().statusCode(204);
        try (Connection su = Db.asSuperuser()) {
            List<String> actions = Db.column(su, "SELECT action || ' ' || actor FROM tessera.platform_audit "
                    + "WHERE tenant_id = ?::uuid AND details->>'id' = ? ORDER BY id", t.idA().toString(), id);
            String actor = t.slugA() + "-user";
            assertThat(actions).containsExactly("api-key.create " + actor, "api-key.rotate " + actor, "api-key.revoke " + actor);
            assertThat(Db.column(su, "SELECT details::text FROM tessera.platform_audit WHERE details->>'id' = ?", id))
                    .noneMatch(d -> d.contains(created.getString("key").substring(22)));
        }
    }

    @Test
    void badInputIsA400Problem() {
        as(t.adminA()).body("{\"roles\":[\"tenant-member\"]}").post("/api/keys").then().statusCode(400);
        as(t.adminA()).body("{\"name\":\"x\",\"roles\":[]}").post("/api/keys").then().statusCode(400);
        as(t.adminA()).body("{\"name\":\"x\",\"roles\":[\"tenant-member\"],\"expiresAt\":\"2001-01-01T00:00:00Z\"}").post("/api/keys")
                .then().statusCode(400).body("type", equalTo(PROBLEM + "invalid-parameter"));
        as(t.adminA()).body("{\"name\":\"x\",\"roles\":[\"tenant-member\"],\"expiresAt\":\"tomorrow\"}").post("/api/keys")
                .then().statusCode(400);
        String id = create(t.adminA(), "x", "tenant-member").getString("id");
        as(t.adminA()).body("{\"gracePeriod\":\"P30D\"}").post("/api/keys/" + id + "/rotate").then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-parameter"));
        as(t.adminA()).body("{\"gracePeriod\":\"soon\"}").post("/api/keys/" + id + "/rotate").then().statusCode(400);
        as(t.adminA()).get("/api/keys/not-a-uuid").then().statusCode(400);
        as(t.adminA()).get("/api/keys/" + UUID.randomUUID()).then().statusCode(404);
    }

    private static String rowVersion(String id) throws Exception {
        try (Connection su = Db.asSuperuser()) {
            return Db.column(su, "SELECT xmin::text FROM tessera.api_keys WHERE id = ?::uuid", id).get(0);
        }
    }
}
