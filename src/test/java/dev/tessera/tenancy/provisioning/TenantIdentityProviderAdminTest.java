package dev.tessera.tenancy.provisioning;

import static dev.tessera.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tessera.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** Registering, changing and clearing a tenant's own identity provider through the admin API. */
@QuarkusTest
class TenantIdentityProviderAdminTest {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    final String admin = TestTokens.platformAdmin();

    @Test
    void issuerGivenAtCreationIsVisibleInGetAndAudited() throws Exception {
        String issuer = issuer();

        String id = create(slug(), "\"oidcIssuer\":\"" + issuer + "\",\"oidcAudience\":\"shop-api\"").then().statusCode(201)
                .body("oidcIssuer", equalTo(issuer)).extract().path("id");

        as(admin).get("/admin/tenants/" + id).then().statusCode(200).body("oidcIssuer", equalTo(issuer))
                .body("oidcAudience", equalTo("shop-api")).body("oidcJwksUrl", nullValue());
        try (var c = dev.tessera.testing.Db.asOwner()) {
            org.assertj.core.api.Assertions.assertThat(dev.tessera.testing.Db.column(c,
                    "SELECT details->>'oidcIssuer' FROM tessera.platform_audit WHERE tenant_id = ?::uuid AND action = 'tenant.create'",
                    id)).containsExactly(issuer);
        }
    }

    @Test
    void anIssuerAlreadyRegisteredToAnotherTenantIs409OnCreateAndOnPatch() {
        String issuer = issuer();
        create(slug(), "\"oidcIssuer\":\"" + issuer + "\"").then().statusCode(201);
        String other = create(slug(), null).then().statusCode(201).extract().path("id");

        create(slug(), "\"oidcIssuer\":\"" + issuer + "\"").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo(PROBLEM + "issuer-taken"));
        as(admin).body("{\"oidcIssuer\":\"" + issuer + "\"}").patch("/admin/tenants/" + other).then().statusCode(409)
                .body("type", equalTo(PROBLEM + "issuer-taken"));
        as(admin).get("/admin/tenants/" + other).then().body("oidcIssuer", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://idp.example.com/realms/x", "ftp://idp.example.com/x", "not a url", "/realms/x",
            "https://idp.example.com/realms/x?tenant=1", "https://idp.example.com/realms/x#f", "https://user@idp.example.com/x",
            TestTokens.ISSUER })
    void anIssuerThatIsNotAnAbsoluteHttpsUrlOrIsThePlatformsIs400(String issuer) {
        create(slug(), "\"oidcIssuer\":\"" + issuer + "\"").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("oidcIssuer"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:8180/realms/x", "http://localhost/realms/x", "https://idp.example.com/realms/x" })
    void httpsAnywhereAndHttpOnLoopbackAreAccepted(String base) {
        String issuer = base + "-" + UUID.randomUUID();

        create(slug(), "\"oidcIssuer\":\"" + issuer + "\"").then().statusCode(201).body("oidcIssuer", equalTo(issuer));
    }

    @Test
    void jwksUrlOrAudienceWithoutAnIssuerIs400() {
        String id = create(slug(), null).then().statusCode(201).extract().path("id");

        create(slug(), "\"oidcJwksUrl\":\"https://idp.example.com/jwks\"").then().statusCode(400)
                .body("errors[0].field", equalTo("oidcJwksUrl"));
        as(admin).body("{\"oidcAudience\":\"shop-api\"}").patch("/admin/tenants/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("oidcIssuer"));
    }

    @Test
    void patchReplacesTheRegistrationAndAnEmptyIssuerClearsIt() {
        String id = create(slug(), "\"oidcIssuer\":\"" + issuer() + "\",\"oidcAudience\":\"shop-api\"").then()
                .statusCode(201).extract().path("id");
        String next = issuer();

        as(admin).body("{\"oidcIssuer\":\"" + next + "\",\"oidcJwksUrl\":\"" + next + "/certs\"}")
                .patch("/admin/tenants/" + id).then().statusCode(200).body("oidcIssuer", equalTo(next))
                .body("oidcJwksUrl", equalTo(next + "/certs")).body("oidcAudience", nullValue());
        as(admin).body("{\"oidcAudience\":\"api-2\"}").patch("/admin/tenants/" + id).then().statusCode(200)
                .body("oidcAudience", equalTo("api-2")).body("oidcIssuer", equalTo(next));
        as(admin).body("{\"oidcIssuer\":\"\"}").patch("/admin/tenants/" + id).then().statusCode(200)
                .body("oidcIssuer", nullValue()).body("oidcJwksUrl", nullValue()).body("oidcAudience", nullValue());
    }

    private io.restassured.response.Response create(String slug, String extra) {
        return as(admin).body("{\"slug\":\"" + slug + "\",\"name\":\"Tenant\"" + (extra == null ? "" : "," + extra) + "}")
                .post("/admin/tenants");
    }

    private static String issuer() {
        return "https://idp.example.com/realms/" + UUID.randomUUID();
    }

    private static String slug() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }
}
