package dev.tessera.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * A tenant that brings its own identity provider, with real Keycloak tokens against the packaged jar: realm
 * {@code umbrella-idp} plays the tenant's IdP, registered through the admin API for globex-e2e (SCHEMA);
 * acme-e2e (SHARED) stays on the platform realm. Needs e2e/keycloak-up; run with {@code -Pe2e}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIdentityProviderEndToEndIT {

    private static final String PROBLEM = "https://tessera.dev/problems/";
    private static final String APP = "umbrella-app";
    private static final String FORGED = "umbrella-forged";

    private static FreshDatabase db;
    private static PackagedService service;
    private static String ops;
    private static String globexId;

    @BeforeAll
    static void startServiceAndRegisterTheTenantsIdentityProvider() {
        db = FreshDatabase.create("tessera_e2e_idp");
        service = PackagedService.start("idp-e2e", db, FreshDatabase.host() + ":" + FreshDatabase.port(),
                Integer.parseInt(E2eSettings.get("tessera.e2e.idp-http-port", "18092")), Map.of());
        ops = Keycloak.token("ops");
        api(ops).body("{\"slug\":\"acme-e2e\",\"name\":\"Acme\",\"isolation\":\"SHARED\"}").post("/admin/tenants").then()
                .statusCode(201);
        globexId = api(ops).body("""
                {"slug":"globex-e2e","name":"Globex","isolation":"SCHEMA","oidcIssuer":"%s"}"""
                .formatted(E2eSettings.tenantIdpRealmUrl())).post("/admin/tenants").then().statusCode(201)
                .body("oidcIssuer", equalTo(E2eSettings.tenantIdpRealmUrl())).extract().path("id");
    }

    @AfterAll
    static void stopServiceAndDropDatabase() {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    @Test
    @Order(1)
    void tokenOfTheTenantsOwnRealmActsForThatTenant() {
        String erin = Keycloak.tenantIdpToken(APP, "erin");

        String id = api(erin).body("{\"sku\":\"UMB-1\",\"name\":\"Umbrella\",\"price\":20.00,\"currency\":\"EUR\"}")
                .post("/api/products").then().statusCode(201).extract().path("id");

        api(erin).get("/api/tenant").then().statusCode(200).body("slug", equalTo("globex-e2e"))
                .body("isolation", equalTo("SCHEMA"));
        api(erin).get("/api/products").then().statusCode(200).body("items.id", hasItem(id));
        api(erin).get("/api/audit").then().statusCode(200); // tenant-admin from the tenant realm's roles
    }

    @Test
    @Order(2)
    void forgedTenantClaimFromTheTenantsRealmIs403AndTouchesNothing() {
        String alice = Keycloak.token("alice");
        String productOfAcme = api(alice).body("{\"sku\":\"ACME-1\",\"name\":\"Anvil\",\"price\":5.00,\"currency\":\"EUR\"}")
                .post("/api/products").then().statusCode(201).extract().path("id");
        String forged = Keycloak.tenantIdpToken(FORGED, "erin");

        api(forged).get("/api/products").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "tenant-claim-conflict"));
        api(forged).delete("/api/products/{id}", productOfAcme).then().statusCode(403);

        api(alice).get("/api/products/{id}", productOfAcme).then().statusCode(200).body("name", equalTo("Anvil"));
    }

    @Test
    @Order(3)
    void platformAdminRoleOfTheTenantsRealmGrantsNothing() {
        api(Keycloak.tenantIdpToken(APP, "erin")).get("/admin/tenants").then().statusCode(403)
                .body("type", equalTo(PROBLEM + "forbidden"));
    }

    @Test
    @Order(4)
    void platformTokenForTheTenantWithItsOwnIdpIs403() {
        api(Keycloak.token("bob")).get("/api/products").then().statusCode(403)
                .body("type", equalTo(PROBLEM + "tenant-requires-own-idp"));
    }

    @Test
    @Order(5)
    void clearingTheIssuerShutsTheTenantsRealmOutAndLetsPlatformTokensIn() {
        String erin = Keycloak.tenantIdpToken(APP, "erin");

        api(ops).body("{\"oidcIssuer\":\"\"}").patch("/admin/tenants/{id}", globexId).then().statusCode(200);

        api(erin).get("/api/tenant").then().statusCode(401).body("type", equalTo(PROBLEM + "unauthorized"));
        api(Keycloak.token("bob")).get("/api/tenant").then().statusCode(200).body("slug", equalTo("globex-e2e"));
    }

    private static RequestSpecification api(String token) {
        return given().baseUri(service.baseUrl).auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }
}
