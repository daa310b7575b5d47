package dev.tessera.testing;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import dev.tessera.tenancy.IsolationMode;
import io.restassured.http.ContentType;

/**
 * Fixture: two fresh active tenants, A and B, provisioned through the admin API in the given isolation
 * modes, with a member and an admin token for each. Every tenant-facing test runs its scenario as A and
 * tries to break it as B.
 */
public record TwoTenants(String slugA, String slugB, UUID idA, UUID idB, String memberA, String memberB, String adminA,
        String adminB) {

    public static TwoTenants create() {
        return create(IsolationMode.SHARED, IsolationMode.SHARED);
    }

    public static TwoTenants create(IsolationMode modeA, IsolationMode modeB) {
        String a = provision(modeA);
        String b = provision(modeB);
        return new TwoTenants(a, b, TestTenants.idOf(a), TestTenants.idOf(b), TestTokens.member(a), TestTokens.member(b),
                TestTokens.admin(a), TestTokens.admin(b));
    }

    /** Provisions an active tenant through {@code POST /admin/tenants}; returns its slug. */
    public static String provision(IsolationMode mode) {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 13);
        given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON)
                .body("{\"slug\":\"%s\",\"name\":\"Tenant %s\",\"isolation\":\"%s\"}".formatted(slug, slug, mode.name()))
                .post("/admin/tenants").then().statusCode(201);
        return slug;
    }
}
