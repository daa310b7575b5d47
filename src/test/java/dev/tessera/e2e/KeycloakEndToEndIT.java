package dev.tessera.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The packaged service (prod profile) against a real Keycloak and a database made by
 * ops/db/bootstrap.sql: tokens from the realm's password grant, tenants provisioned through the admin
 * API, full product and customer flows, isolation between a SHARED and a SCHEMA tenant, and every
 * 401/403 the token can cause. Needs e2e/keycloak-up; run by {@code ./mvnw verify -Pe2e} (see docs/e2e.md).
 */
class KeycloakEndToEndIT {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    private static FreshDatabase db;
    private static PackagedService service;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void startServiceAndProvisionTenants() {
        db = FreshDatabase.create("tessera_e2e_kc");
        service = PackagedService.start("keycloak-e2e", db, FreshDatabase.host() + ":" + FreshDatabase.port(),
                Integer.parseInt(E2eSettings.get("tessera.e2e.http-port", "18090")), Map.of());
        String ops = Keycloak.token("ops");
        provision(ops, "acme-e2e", "SHARED");
        provision(ops, "globex-e2e", "SCHEMA");
        String initech = provision(ops, "initech-e2e", "SHARED");
        api(ops).post("/admin/tenants/{id}/suspend", initech).then().statusCode(200).body("state", equalTo("SUSPENDED"));
        alice = Keycloak.token("alice");
        bob = Keycloak.token("bob");
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
    void keycloakUsersSeeTheirOwnTenantInItsIsolationMode() {
        api(alice).get("/api/tenant").then().statusCode(200).body("slug", equalTo("acme-e2e")).body("isolation", equalTo("SHARED"));
        api(bob).get("/api/tenant").then().statusCode(200).body("slug", equalTo("globex-e2e")).body("isolation", equalTo("SCHEMA"));
    }

    @Test
    void productLifecycleWorksForBothTenants() {
        for (String token : new String[] { alice, bob }) {
            String sku = "E2E-" + System.nanoTime();
            String id = create(token, "/api/products", product(sku, "Blue mug"));

            api(token).get("/api/products/{id}", id).then().statusCode(200).body("sku", equalTo(sku)).body("price", equalTo(9.5f));
            api(token).get("/api/products?limit=100").then().statusCode(200).body("items.id", hasItem(id));
            api(token).body("{\"name\":\"Red mug\",\"price\":11.00}").patch("/api/products/{id}", id).then().statusCode(200)
                    .body("name", equalTo("Red mug"));
            api(token).delete("/api/products/{id}", id).then().statusCode(204);
            api(token).get("/api/products/{id}", id).then().statusCode(404).contentType("application/problem+json");
        }
    }

    @Test
    void tenantAdminRestoresADeletedProduct() {
        String id = create(alice, "/api/products", product("E2E-R-" + System.nanoTime(), "Teapot"));
        api(alice).delete("/api/products/{id}", id).then().statusCode(204);

        api(alice).post("/api/products/{id}/restore", id).then().statusCode(200).body("name", equalTo("Teapot"));

        api(alice).get("/api/products/{id}", id).then().statusCode(200);
    }

    @Test
    void customerLifecycleWithPiiInClearForAdminAndMaskedForMember() {
        String aliceCustomer = create(alice, "/api/customers", customer("ann@acme.example"));
        String bobCustomer = create(bob, "/api/customers", customer("ben@globex.example"));

        api(alice).get("/api/customers/{id}", aliceCustomer).then().statusCode(200)
                .body("email", equalTo("ann@acme.example")).body("piiMasked", equalTo(false));
        api(bob).get("/api/customers/{id}", bobCustomer).then().statusCode(200)
                .body("email", not(equalTo("ben@globex.example"))).body("piiMasked", equalTo(true));
        api(alice).get("/api/customers?email=ANN@acme.example").then().statusCode(200).body("items.id", hasItem(aliceCustomer));
        // bob is a member: the email lookup would tell him whether an address is a customer (issue 21).
        api(bob).get("/api/customers?email=ben@globex.example").then().statusCode(403).contentType("application/problem+json");
        api(alice).body("{\"phone\":\"+49 30 1234\"}").patch("/api/customers/{id}", aliceCustomer).then().statusCode(200)
                .body("phone", equalTo("+49 30 1234"));
        api(bob).delete("/api/customers/{id}", bobCustomer).then().statusCode(204);
        api(bob).get("/api/customers/{id}", bobCustomer).then().statusCode(404);
    }

    /** Issue 24: a Keycloak support user reads a tenant only under a grant, and the tenant's admin sees every request. */
    @Test
    void aSupportUserReadsATenantOnlyUnderAGrantAndTheTenantSeesIt() {
        String sam = Keycloak.token("sam");
        String acme = api(alice).get("/api/tenant").then().statusCode(200).extract().path("id");
        String product = create(alice, "/api/products", product("E2E-S-" + System.nanoTime(), "Support sees this"));
        api(sam).get("/api/products/{id}", product).then().statusCode(403).contentType("application/problem+json");

        String grant = api(sam).body("{\"tenantId\":\"" + acme + "\",\"reason\":\"e2e ticket 7\"}").post("/admin/support-grants")
                .then().statusCode(201).body("state", equalTo("RUNNING")).extract().path("id");
        api(sam).header("Support-Grant", grant).get("/api/products/{id}", product).then().statusCode(200)
                .body("name", equalTo("Support sees this"));
        api(sam).header("Support-Grant", grant).body(product("E2E-S2-" + System.nanoTime(), "Nope")).post("/api/products").then()
                .statusCode(403).body("type", equalTo(PROBLEM + "support-read-only"));

        api(alice).get("/api/audit?table=support_grants&recordId=" + grant).then().statusCode(200)
                .body("items.action", hasItem("SUPPORT_ACCESS")).body("items.newData.request", hasItem("GET /api/products/" + product));
        api(alice).post("/api/support-grants/{id}/revoke", grant).then().statusCode(200).body("state", equalTo("REVOKED"));
        api(sam).header("Support-Grant", grant).get("/api/products/{id}", product).then().statusCode(403)
                .body("type", equalTo(PROBLEM + "support-grant-inactive"));
        // bob's tenant never granted anything: the same grant does not open it.
        api(sam).header("Support-Grant", grant).get("/api/tenant").then().statusCode(403);
    }

    @Test
    void bobCannotReadChangeOrDeleteAlicesProductOrCustomer() {
        String product = create(alice, "/api/products", product("E2E-A-" + System.nanoTime(), "Acme secret"));
        String customer = create(alice, "/api/customers", customer("carl@acme.example"));

        Map<String, String[]> attempts = Map.of(
                "/api/products/{id}", new String[] { product, "{\"name\":\"pwned\"}" },
                "/api/customers/{id}", new String[] { customer, "{\"displayName\":\"pwned\"}" });
        attempts.forEach((path, idAndPatch) -> {
            api(bob).get(path, idAndPatch[0]).then().statusCode(404).body("type", equalTo(PROBLEM + "not-found"));
            api(bob).body(idAndPatch[1]).patch(path, idAndPatch[0]).then().statusCode(404);
            api(bob).delete(path, idAndPatch[0]).then().statusCode(404);
        });
        api(bob).get("/api/products?limit=100").then().statusCode(200).body("items.id", not(hasItem(product)));
        api(bob).get("/api/customers?email=carl@acme.example").then().statusCode(403);

        api(alice).get("/api/products/{id}", product).then().statusCode(200).body("name", equalTo("Acme secret"));
        api(alice).get("/api/customers/{id}", customer).then().statusCode(200).body("displayName", equalTo("Customer carl"));
    }

    @Test
    void userOfASuspendedTenantIs403TenantInactive() {
        api(Keycloak.token("carol")).get("/api/products").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "tenant-inactive"));
    }

    @Test
    void userWithoutTenantAttributeIs403TenantClaimMissing() {
        api(Keycloak.token("dave")).get("/api/products").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "tenant-claim-missing"));
    }

    @Test
    void platformAdminHasNoTenantApi() {
        api(Keycloak.token("ops")).get("/api/products").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void tenantUsersCannotAdministerTenants() {
        api(alice).get("/admin/tenants").then().statusCode(403);
    }

    @Test
    void callWithoutTokenIs401() {
        given().baseUri(service.baseUrl).get("/api/products").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "unauthorized"));
    }

    @Test
    void keycloakTokenIssuedForAnotherAudienceIs401() {
        String foreign = Keycloak.token(Keycloak.OTHER_CLIENT, "alice");

        api(foreign).get("/api/products").then().statusCode(401).body("type", equalTo(PROBLEM + "unauthorized"));
    }

    @Test
    void tamperedKeycloakTokenIs401() {
        String[] parts = alice.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        api(forged).get("/api/products").then().statusCode(401);
    }

    private static String provision(String opsToken, String slug, String isolation) {
        return api(opsToken).body("{\"slug\":\"%s\",\"name\":\"%s\",\"isolation\":\"%s\"}".formatted(slug, slug, isolation))
                .post("/admin/tenants").then().statusCode(201).body("state", equalTo("ACTIVE"))
                .body("isolation", equalTo(isolation)).extract().path("id");
    }

    private static String create(String token, String path, String body) {
        return api(token).body(body).post(path).then().statusCode(201).extract().path("id");
    }

    private static String product(String sku, String name) {
        return "{\"sku\":\"%s\",\"name\":\"%s\",\"price\":9.50,\"currency\":\"EUR\"}".formatted(sku, name);
    }

    private static String customer(String email) {
        return "{\"displayName\":\"Customer %s\",\"email\":\"%s\",\"phone\":\"+1 555 0100\"}"
                .formatted(email.substring(0, email.indexOf('@')), email);
    }

    private static RequestSpecification api(String token) {
        return given().baseUri(service.baseUrl).auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }
}
