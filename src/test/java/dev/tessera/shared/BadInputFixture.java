package dev.tessera.shared;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.UUID;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * What the bad-input catalogue aims at: a SHARED tenant and a SCHEMA tenant, each with a product, a
 * customer and a draft order holding one item, plus a suspended tenant and the platform admin's token.
 */
record BadInputFixture(Side shared, Side schema, String platformAdmin, String suspendedSlug) {

    /** One tenant as the catalogue uses it; {@code other} is the tenant whose ids are foreign to this one. */
    record Side(IsolationMode mode, String slug, UUID id, String schemaName, String member, String admin, String product,
            String customer, String order) {
    }

    static BadInputFixture create() {
        return new BadInputFixture(side(IsolationMode.SHARED), side(IsolationMode.SCHEMA),
                TestTokens.claims("platform-ops").groups(java.util.Set.of("platform-admin")).expiresIn(LIFETIME)
                        .sign(TestTokens.devKey()),
                TestTenants.create("SUSPENDED"));
    }

    /**
     * The catalogue runs hundreds of cases with these tokens; on a loaded machine that outlasts the five
     * minutes of an ordinary test token, and an expired token is (rightly) a 401 where a case expects 403.
     */
    private static final long LIFETIME = 3600;

    private static String longLived(String slug, String role) {
        return TestTokens.claims(slug + "-user").claim("tenant_id", slug).groups(java.util.Set.of(role)).expiresIn(LIFETIME)
                .sign(TestTokens.devKey());
    }

    Side other(Side side) {
        return side == shared ? schema : shared;
    }

    List<String> dedicatedSchemas() {
        return List.of(schema.schemaName());
    }

    /** A request as {@code token} that leaves the URL exactly as written (the cases encode it themselves). */
    static RequestSpecification as(String token) {
        return raw().auth().oauth2(token);
    }

    /** A request without credentials, JSON in and out, URL sent as written. */
    static RequestSpecification raw() {
        return given().urlEncodingEnabled(false).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    private static Side side(IsolationMode mode) {
        String slug = dev.tessera.testing.TwoTenants.provision(mode);
        UUID id = TestTenants.idOf(slug);
        String member = longLived(slug, "tenant-member");
        String admin = longLived(slug, "tenant-admin");
        String product = Api.as(member).body(Api.productJson("catalogue")).post("/api/products").then().statusCode(201)
                .extract().path("id");
        String customer = Api.as(member).body("{\"displayName\":\"Ada\",\"email\":\"ada-%s@example.com\"}".formatted(slug))
                .post("/api/customers").then().statusCode(201).extract().path("id");
        String order = Api.as(member).body("{\"currency\":\"EUR\"}").post("/api/orders").then().statusCode(201).extract()
                .path("id");
        Api.as(member).body("{\"productId\":\"%s\",\"quantity\":2}".formatted(product)).post("/api/orders/" + order + "/items")
                .then().statusCode(200);
        return new Side(mode, slug, id, schemaOf(slug), member, admin, product, customer, order);
    }

    private static String schemaOf(String slug) {
        try (var c = Db.asOwner()) {
            return Db.column(c, "SELECT coalesce(schema_name, '') FROM tessera.tenants WHERE slug = ?", slug).get(0);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
