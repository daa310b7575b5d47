package dev.tessera.tenancy;

import static dev.tessera.testing.Api.as;
import static dev.tessera.testing.Api.productJson;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.testing.TestIdp;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;

/**
 * A tenant with its own identity provider: tenant A is registered with a second issuer whose keys the
 * test controls ({@link TestIdp}); tenant B stays on the platform IdP. The same contract runs once per
 * isolation mode ({@link SharedOwnIdentityProviderTest}, {@link SchemaOwnIdentityProviderTest}).
 */
abstract class OwnIdentityProviderContract {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    abstract IsolationMode isolation();

    TwoTenants t;
    TestIdp idpOfA;

    @BeforeEach
    void tenantAWithItsOwnIdentityProvider() {
        t = TwoTenants.create(isolation(), isolation());
        idpOfA = TestIdp.create();
        register(t, idpOfA.issuer());
    }

    @Test
    void ownIdpTokenActsForItsTenantAndReadsAndWritesItsData() {
        String token = idpOfA.token("tenant-member");

        String id = as(token).body(productJson("Own IdP mug")).post("/api/products").then().statusCode(201)
                .extract().path("id");

        as(token).get("/api/tenant").then().statusCode(200).body("id", equalTo(t.idA().toString()))
                .body("isolation", equalTo(isolation().name()));
        as(token).get("/api/products/" + id).then().statusCode(200).body("name", equalTo("Own IdP mug"));
        as(t.memberB()).get("/api/products/" + id).then().statusCode(404);
    }

    @Test
    void aTenantClaimNamingItsOwnTenantIsIgnored() {
        String bySlug = idpOfA.sign(idpOfA.claims("u").claim("tenant_id", t.slugA()).groups("tenant-member"));
        String byId = idpOfA.sign(idpOfA.claims("u").claim("tenant_id", t.idA().toString()).groups("tenant-member"));

        as(bySlug).get("/api/tenant").then().statusCode(200).body("slug", equalTo(t.slugA()));
        as(byId).get("/api/tenant").then().statusCode(200).body("slug", equalTo(t.slugA()));
    }

    @Test
    void forgedTenantClaimOfAnotherTenantIs403AndLeavesItsDataUntouched() {
        String productOfB = as(t.memberB()).body(productJson("B's")).post("/api/products").then().statusCode(201)
                .extract().path("id");
        String forged = idpOfA.sign(idpOfA.claims("u").claim("tenant_id", t.slugB()).groups("tenant-admin"));

        as(forged).body(productJson("planted")).post("/api/products").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo(PROBLEM + "tenant-claim-conflict"));
        as(forged).get("/api/products").then().statusCode(403);
        as(forged).delete("/api/products/" + productOfB).then().statusCode(403);

        as(t.memberB()).get("/api/products").then().statusCode(200).body("items", hasSize(1))
                .body("items.id", hasItem(productOfB));
    }

    @Test
    void platformTokenForATenantWithItsOwnIdpIs403() {
        String platformToken = TestTokens.admin(t.slugA());

        as(platformToken).get("/api/products").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "tenant-requires-own-idp"));
        as(t.memberB()).get("/api/products").then().statusCode(200);
    }

    @Test
    void tokenFromAnUnregisteredIssuerIs401() {
        TestIdp stranger = TestIdp.create();

        String token = stranger.sign(stranger.claims("u").claim("tenant_id", t.slugA()).groups("tenant-member"));

        as(token).get("/api/products").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "unauthorized"));
    }

    @Test
    void tokenOfTheRegisteredIssuerSignedByAnotherKeyIs401() {
        String forged = idpOfA.signWithForeignKey(idpOfA.claims("u").groups("tenant-member"));
        String platformSigned = idpOfA.claims("u").groups("tenant-member").sign(TestTokens.devKey());

        as(forged).get("/api/products").then().statusCode(401).body("type", equalTo(PROBLEM + "unauthorized"));
        as(platformSigned).get("/api/products").then().statusCode(401).body("type", equalTo(PROBLEM + "unauthorized"));
    }

    @Test
    void ownIdpTokenForAnotherAudienceIs401() {
        String token = idpOfA.sign(idpOfA.claims("u").audience("some-other-api").groups("tenant-member"));

        as(token).get("/api/products").then().statusCode(401).body("type", equalTo(PROBLEM + "unauthorized"));
    }

    @Test
    void platformAdminRoleFromATenantIdpGrantsNoPlatformAdministration() {
        String token = idpOfA.token("platform-admin", "tenant-admin");

        as(token).get("/admin/tenants").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "forbidden"));
        as(token).post("/admin/tenants/" + t.idB() + "/suspend").then().statusCode(403);
        as(token).get("/api/audit").then().statusCode(200);
        as(t.memberB()).get("/api/tenant").then().statusCode(200).body("state", equalTo("ACTIVE"));
    }

    @Test
    void suspendedTenantWithItsOwnIdpIs403() {
        String token = idpOfA.token("tenant-member");
        as(token).get("/api/tenant").then().statusCode(200);

        as(TestTokens.platformAdmin()).post("/admin/tenants/" + t.idA() + "/suspend").then().statusCode(200);

        as(token).get("/api/tenant").then().statusCode(403).body("type", equalTo(PROBLEM + "tenant-inactive"));
    }

    @Test
    void changingAndClearingTheIssuerTakeEffectAtOnce() {
        String oldToken = idpOfA.token("tenant-member");
        as(oldToken).get("/api/tenant").then().statusCode(200);
        TestIdp newIdp = TestIdp.create();

        register(t, newIdp.issuer());

        as(oldToken).get("/api/tenant").then().statusCode(401);
        as(newIdp.token("tenant-member")).get("/api/tenant").then().statusCode(200).body("slug", equalTo(t.slugA()));
        as(TestTokens.member(t.slugA())).get("/api/tenant").then().statusCode(403);

        register(t, "");

        as(newIdp.token("tenant-member")).get("/api/tenant").then().statusCode(401);
        as(TestTokens.member(t.slugA())).get("/api/tenant").then().statusCode(200).body("slug", equalTo(t.slugA()));
    }

    @Test
    void explicitJwksUrlAndAudienceAreUsedInsteadOfDiscovery() {
        // An issuer that serves nothing: the keys can only come from the registered JWKS URL.
        String issuer = "https://idp.invalid/" + t.slugA();
        as(TestTokens.platformAdmin()).body("""
                {"oidcIssuer":"%s","oidcJwksUrl":"%s","oidcAudience":"shop-api"}""".formatted(issuer, idpOfA.jwksUrl()))
                .patch("/admin/tenants/" + t.idA()).then().statusCode(200).body("oidcJwksUrl", equalTo(idpOfA.jwksUrl()));

        String ok = idpOfA.sign(io.smallrye.jwt.build.Jwt.issuer(issuer).audience("shop-api").subject("u")
                .groups(Set.of("tenant-member")).expiresIn(300));
        String platformAudience = idpOfA.sign(io.smallrye.jwt.build.Jwt.issuer(issuer).audience(TestTokens.AUDIENCE)
                .subject("u").groups(Set.of("tenant-member")).expiresIn(300));

        as(ok).get("/api/tenant").then().statusCode(200).body("slug", equalTo(t.slugA()));
        as(platformAudience).get("/api/tenant").then().statusCode(401);
    }

    static void register(TwoTenants t, String issuer) {
        as(TestTokens.platformAdmin()).body("{\"oidcIssuer\":\"" + issuer + "\"}").patch("/admin/tenants/" + t.idA())
                .then().statusCode(200);
    }
}
