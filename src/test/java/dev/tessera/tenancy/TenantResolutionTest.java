package dev.tessera.tenancy;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

/** Authentication (401) and tenant resolution (403) from the bearer token. */
@QuarkusTest
class TenantResolutionTest {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    @Test
    void requestWithoutTokenIs401ProblemJson() {
        given().get("/api/products").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo(PROBLEM + "unauthorized")).body("traceId", notNullValue());
    }

    @Test
    void expiredTokenIs401() {
        String tenant = TestTenants.active();
        long past = System.currentTimeMillis() / 1000 - 3600;
        String token = TestTokens.claims("u").claim("tenant_id", tenant).groups("tenant-member")
                .issuedAt(past - 60).expiresAt(past).sign(TestTokens.devKey());

        assertUnauthorized(token);
    }

    @Test
    void tokenSignedByAnotherKeyIs401() {
        String token = TestTokens.claims("u").claim("tenant_id", TestTenants.active()).groups("tenant-member")
                .sign(TestTokens.foreignKey());

        assertUnauthorized(token);
    }

    @Test
    void tokenOfAnotherIssuerIs401() {
        String token = Jwt.issuer("https://evil.example/issuer").audience(TestTokens.AUDIENCE).subject("u")
                .claim("tenant_id", TestTenants.active()).groups("tenant-member").sign(TestTokens.devKey());

        assertUnauthorized(token);
    }

    @Test
    void tokenForAnotherAudienceIs401() {
        String token = Jwt.issuer(TestTokens.ISSUER).audience("some-other-api").subject("u")
                .claim("tenant_id", TestTenants.active()).groups("tenant-member").sign(TestTokens.devKey());

        assertUnauthorized(token);
    }

    @Test
    void garbageBearerIs401() {
        assertUnauthorized("not-a-jwt");
    }

    @Test
    void tokenWithoutTenantClaimIs403() {
        String token = TestTokens.claims("u").groups("tenant-member").sign(TestTokens.devKey());

        as(token).get("/api/products").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "tenant-claim-missing"));
    }

    @Test
    void unknownTenantIs403() {
        as(TestTokens.member("no-such-tenant")).get("/api/products").then().statusCode(403)
                .body("type", equalTo(PROBLEM + "tenant-unknown"));
    }

    @Test
    void suspendedTenantIs403() {
        String suspended = TestTenants.create("SUSPENDED");

        as(TestTokens.member(suspended)).get("/api/products").then().statusCode(403)
                .body("type", equalTo(PROBLEM + "tenant-inactive"));
    }

    @Test
    void tenantCanBeNamedByIdInsteadOfSlug() {
        String slug = TestTenants.active();
        String id = TestTenants.idOf(slug).toString();

        as(TestTokens.member(id)).get("/api/tenant").then().statusCode(200).body("slug", equalTo(slug));
    }

    @Test
    void tokenWithNoTenantRoleIs403() {
        String token = TestTokens.forTenant(TestTenants.active(), "platform-admin");

        as(token).get("/api/products").then().statusCode(403).body("type", equalTo(PROBLEM + "forbidden"));
    }

    @Test
    void keycloakRealmRolesAreUnderstood() {
        String slug = TestTenants.active();

        as(TestTokens.keycloakStyle(slug, "tenant-member")).get("/api/tenant").then().statusCode(200)
                .body("slug", equalTo(slug));
    }

    @Test
    void tenantComesFromTheTokenNotFromHeadersOrQuery() {
        String mine = TestTenants.active();
        String other = TestTenants.active();

        as(TestTokens.member(mine)).header("X-Tenant-Id", other)
                .get("/api/tenant").then().statusCode(200).body("slug", equalTo(mine));
        // A query parameter the endpoint does not declare is refused outright, so nobody can think it counted.
        as(TestTokens.member(mine)).queryParam("tenant_id", other)
                .get("/api/tenant").then().statusCode(400).body("type", equalTo(PROBLEM + "invalid-parameter"))
                .body("errors[0].field", equalTo("tenant_id"));
    }

    @Test
    void tenantEndpointDescribesTheCallersTenant() {
        String slug = TestTenants.active();

        as(TestTokens.member(slug)).get("/api/tenant").then().statusCode(200)
                .body("slug", equalTo(slug)).body("isolation", equalTo("SHARED")).body("state", equalTo("ACTIVE"))
                .body("id", equalTo(TestTenants.idOf(slug).toString()));
    }

    private static void assertUnauthorized(String token) {
        as(token).get("/api/products").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "unauthorized"));
    }
}
