package dev.tessera.security;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/** A verified token is remembered, and that never lets through what verification would refuse. */
@QuarkusTest
class VerifiedTokenCacheTest {

    @jakarta.inject.Inject
    VerifiedTokenCache cache;

    TwoTenants tenants;

    @BeforeEach
    void twoTenants() {
        tenants = TwoTenants.create();
    }

    @Test
    void aReusedTokenIsVerifiedOnce() {
        as(tenants.memberB()).get("/api/tenant").then().statusCode(200);
        String token = TestTokens.claims("cache-" + java.util.UUID.randomUUID()).claim("tenant_id", tenants.slugA())
                .groups(Set.of("tenant-member")).sign(TestTokens.devKey());
        double hitsBefore = count("hit");
        double missesBefore = count("miss");

        for (int i = 0; i < 5; i++) {
            as(token).get("/api/tenant").then().statusCode(200).body("slug", equalTo(tenants.slugA()));
        }

        assertThat(count("miss") - missesBefore).as("misses (hits %s, before %s/%s)", count("hit"), hitsBefore, missesBefore).isEqualTo(1);
        assertThat(count("hit") - hitsBefore).isEqualTo(4);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() throws Exception {
        String token = TestTokens.claims("short-lived").claim("tenant_id", tenants.slugA())
                .groups(Set.of("tenant-member")).expiresIn(4).sign(TestTokens.devKey());
        as(token).get("/api/tenant").then().statusCode(200);
        as(token).get("/api/tenant").then().statusCode(200);

        // exp is in whole seconds: the token lives 3 to 4 s, long enough for the two calls on a loaded machine.
        Thread.sleep(5_000);

        as(token).get("/api/tenant").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aTamperedCopyOfARememberedTokenIsVerifiedAndRefused() {
        String token = TestTokens.member(tenants.slugA());
        as(token).get("/api/tenant").then().statusCode(200);
        String[] parts = token.split("\\.");
        String otherPayload = TestTokens.member(tenants.slugB()).split("\\.")[1];

        as(parts[0] + "." + otherPayload + "." + parts[2]).get("/api/tenant").then().statusCode(401);
        as(token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA")).get("/api/tenant").then()
                .statusCode(401);
    }

    @Test
    void aRememberedTokenOfASuspendedTenantIsRefusedAtOnce() {
        String token = TestTokens.member(tenants.slugB());
        as(token).get("/api/tenant").then().statusCode(200);

        as(TestTokens.platformAdmin()).post("/admin/tenants/" + tenants.idB() + "/suspend").then().statusCode(200);

        as(token).get("/api/tenant").then().statusCode(403);
        as(tenants.memberA()).get("/api/tenant").then().statusCode(200);
    }

    private double count(String result) {
        return result.equals("hit") ? cache.hits() : cache.misses();
    }

    @Test
    void aRememberedTokenWithoutTheRoleIsStill403() {
        String platformAdmin = TestTokens.platformAdmin();
        as(platformAdmin).get("/admin/tenants").then().statusCode(200);
        as(tenants.memberA()).get("/api/tenant").then().statusCode(200);

        as(platformAdmin).get("/api/products").then().statusCode(403);
        as(tenants.memberA()).get("/admin/tenants").then().statusCode(403);
    }

    @Test
    void itsCountsArePublishedAsAMetric() {
        as(tenants.memberA()).get("/api/tenant").then().statusCode(200);

        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("tessera_auth_token_cache_total{result=\"miss\"}"));
    }
}
