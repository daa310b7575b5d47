package dev.tessera.access;

import static dev.tessera.testing.Api.as;
import static dev.tessera.testing.Api.productJson;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

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
 * Support access, tried on tenant A with tenant B beside it, once per isolation mode
 * ({@link SharedSupportAccessTest}, {@link SchemaSupportAccessTest}).
 */
abstract class SupportAccessContract {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    abstract IsolationMode isolation();

    TwoTenants t;
    String support;
    String supportUser;

    @BeforeEach
    void twoTenantsAndASupportUser() {
        t = TwoTenants.create(isolation(), isolation());
        supportUser = "support-" + UUID.randomUUID().toString().substring(0, 8);
        support = supportToken(supportUser);
    }

    static String supportToken(String subject) {
        return TestTokens.claims(subject).groups(Set.of("platform-support")).sign(TestTokens.devKey());
    }

    JsonPath request(String tenant, String extra) {
        return as(support).body("{\"tenantId\":\"%s\",\"reason\":\"ticket 42\"%s}".formatted(tenant, extra))
                .post("/admin/support-grants").then().statusCode(201).extract().jsonPath();
    }

    RequestSpecification under(String grant) {
        return given().auth().oauth2(support).header("Support-Grant", grant).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    static String product(String token, String name) {
        return as(token).body(productJson(name)).post("/api/products").then().statusCode(201).extract().path("id");
    }

    @Test
    void aRunningGrantReadsItsTenantOnlyAndEveryRequestIsInThatTenantsAuditTrail() {
        String ofA = product(t.memberA(), "A's mug");
        String ofB = product(t.memberB(), "B's mug");
        JsonPath grant = request(t.idA().toString(), "");
        assertThat(grant.getString("state")).isEqualTo("RUNNING");
        assertThat(grant.getString("access")).isEqualTo("read-only");
        String id = grant.getString("id");

        under(id).get("/api/products/" + ofA).then().statusCode(200).body("name", equalTo("A's mug"));
        under(id).get("/api/products/" + ofB).then().statusCode(404);
        under(id).get("/api/products").then().statusCode(200).body("items.id", not(hasItem(ofB)));

        String actor = "support:" + supportUser + "/grant:" + id;
        JsonPath trail = as(t.adminA()).queryParam("actor", actor).get("/api/audit").then().statusCode(200).extract().jsonPath();
        assertThat(trail.getList("items.action", String.class)).hasSize(3).containsOnly("SUPPORT_ACCESS");
        assertThat(trail.getList("items.newData.request", String.class))
                .containsExactly("GET /api/products/" + ofA, "GET /api/products/" + ofB, "GET /api/products");
        as(t.adminB()).queryParam("actor", actor).get("/api/audit").then().statusCode(200).body("items", org.hamcrest.Matchers.empty());
        as(t.adminA()).get("/api/audit/verify").then().statusCode(200);
    }

    @Test
    void aGrantIsReadOnlyInTheDatabaseUnlessAskedOtherwiseAndWritesAreAuditedAsTheSupportUser() {
        String readOnly = request(t.idA().toString(), "").getString("id");
        under(readOnly).body(productJson("sneaked in")).post("/api/products").then().statusCode(403)
                .body("type", equalTo(PROBLEM + "support-read-only"));
        as(t.memberA()).queryParam("q", "sneaked").get("/api/products").then().body("items", org.hamcrest.Matchers.empty());

        String readWrite = request(t.idA().toString(), ",\"access\":\"read-write\"").getString("id");
        String id = under(readWrite).body(productJson("fixed by support")).post("/api/products").then().statusCode(201)
                .extract().path("id");
        as(t.adminA()).queryParam("recordId", id).get("/api/audit").then().statusCode(200)
                .body("items.actor", hasItem("support:" + supportUser + "/grant:" + readWrite))
                .body("items.action", hasItem("INSERT"));
    }

    @Test
    void piiIsInClearOnlyUnderAGrantThatAskedForIt() {
        String customer = as(t.adminA()).body("{\"displayName\":\"Jane Doe\",\"email\":\"jane." + UUID.randomUUID()
                + "@example.com\"}").post("/api/customers").then().statusCode(201).extract().path("id");
        String plain = request(t.idA().toString(), "").getString("id");
        under(plain).get("/api/customers/" + customer).then().statusCode(200).body("piiMasked", equalTo(true));
        String pii = request(t.idA().toString(), ",\"pii\":true").getString("id");
        under(pii).get("/api/customers/" + customer).then().statusCode(200).body("piiMasked", equalTo(false))
                .body("displayName", equalTo("Jane Doe"));
    }

    @Test
    void withoutARunningGrantOfItsOwnASupportUserGets403() {
        String grant = request(t.idA().toString(), "").getString("id");
        as(support).get("/api/products").then().statusCode(403);
        under(UUID.randomUUID().toString()).get("/api/products").then().statusCode(403)
                .body("type", equalTo(PROBLEM + "support-grant-inactive"));
        given().auth().oauth2(supportToken("someone-else")).header("Support-Grant", grant).get("/api/products").then()
                .statusCode(403).body("type", equalTo(PROBLEM + "support-grant-inactive"));
        // A grant gives tenant roles short of tenant-admin: it cannot see or decide on grants.
        under(grant).get("/api/support-grants").then().statusCode(403);
        under(grant).get("/api/audit").then().statusCode(403);
        under("not-a-uuid").get("/api/products").then().statusCode(400);
    }

    @Test
    void aTenantThatRequiresApprovalIsNotAccessedUntilAnAdminApproves() {
        as(t.adminA()).body("{\"approvalRequired\":true}").put("/api/support-grants/policy").then().statusCode(200)
                .body("approvalRequired", equalTo(true));
        as(t.adminA()).get("/api/support-grants/policy").then().body("approvalRequired", equalTo(true));
        as(t.adminB()).get("/api/support-grants/policy").then().body("approvalRequired", equalTo(false));

        JsonPath pending = request(t.idA().toString(), ",\"duration\":\"PT2H\"");
        assertThat(pending.getString("state")).isEqualTo("PENDING");
        String id = pending.getString("id");
        under(id).get("/api/products").then().statusCode(403).body("type", equalTo(PROBLEM + "support-grant-inactive"));

        as(t.adminB()).get("/api/support-grants/" + id).then().statusCode(404);
        as(t.adminB()).post("/api/support-grants/" + id + "/approve").then().statusCode(404);
        as(t.adminA()).get("/api/support-grants").then().statusCode(200).body("items.id", hasItem(id))
                .body("items.reason", hasItem("ticket 42"));

        as(t.adminA()).post("/api/support-grants/" + id + "/approve").then().statusCode(200).body("state", equalTo("RUNNING"))
                .body("decidedBy", equalTo(t.slugA() + "-user"));
        under(id).get("/api/products").then().statusCode(200);
        as(t.adminA()).post("/api/support-grants/" + id + "/approve").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "support-grant-not-pending"));

        String denied = request(t.idA().toString(), "").getString("id");
        as(t.adminA()).post("/api/support-grants/" + denied + "/deny").then().statusCode(200).body("state", equalTo("DENIED"));
        under(denied).get("/api/products").then().statusCode(403);
        as(t.adminA()).post("/api/support-grants/" + denied + "/approve").then().statusCode(409);
    }

    @Test
    void aRevokedGrantStopsAtOnce() {
        String id = request(t.idA().toString(), "").getString("id");
        under(id).get("/api/products").then().statusCode(200);
        as(t.adminA()).post("/api/support-grants/" + id + "/revoke").then().statusCode(200).body("state", equalTo("REVOKED"));
        under(id).get("/api/products").then().statusCode(403).body("type", equalTo(PROBLEM + "support-grant-inactive"));
        as(support).get("/admin/support-grants/" + id).then().statusCode(200).body("state", equalTo("REVOKED"));
    }

    @Test
    void anEndedGrantStopsAndTheDatabaseHoldsTheEndWhateverTheServiceSends() throws Exception {
        String id = request(t.idA().toString(), ",\"duration\":\"PT2S\"").getString("id");
        under(id).get("/api/products").then().statusCode(200);
        Thread.sleep(2200);
        under(id).get("/api/products").then().statusCode(403).body("type", equalTo(PROBLEM + "support-grant-inactive"));

        // The database's own check, as tessera_app, with the tenant context the service would set.
        String running = request(t.idA().toString(), "").getString("id");
        try (Connection app = Db.asApp()) {
            assertThat(supportAccessSqlState(app, id)).as("an ended grant").isEqualTo("TS403");
            assertThat(supportAccessSqlState(app, running)).as("a running grant").isNull();
        }
    }

    @Test
    void everyStepOfAGrantIsInThePlatformAudit() throws Exception {
        as(t.adminA()).body("{\"approvalRequired\":true}").put("/api/support-grants/policy").then().statusCode(200);
        String id = request(t.idA().toString(), "").getString("id");
        as(t.adminA()).post("/api/support-grants/" + id + "/approve").then().statusCode(200);
        as(t.adminA()).post("/api/support-grants/" + id + "/revoke").then().statusCode(200);
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT action FROM tessera.platform_audit WHERE tenant_id = ?::uuid AND action LIKE 'support.%' "
                    + "ORDER BY id", t.idA().toString()))
                    .containsExactly("support.policy", "support.request", "support.approve", "support.revoke");
        }
    }

    @Test
    void badRequestsAreProblems() {
        as(support).body("{\"tenantId\":\"%s\",\"reason\":\"x\",\"duration\":\"PT5H\"}".formatted(t.idA()))
                .post("/admin/support-grants").then().statusCode(400).body("type", equalTo(PROBLEM + "invalid-parameter"));
        as(support).body("{\"tenantId\":\"%s\",\"reason\":\"x\",\"access\":\"admin\"}".formatted(t.idA()))
                .post("/admin/support-grants").then().statusCode(400);
        as(support).body("{\"tenantId\":\"%s\"}".formatted(t.idA())).post("/admin/support-grants").then().statusCode(400);
        as(support).body("{\"tenantId\":\"%s\",\"reason\":\"x\"}".formatted(UUID.randomUUID()))
                .post("/admin/support-grants").then().statusCode(404);
        as(t.adminA()).body("{\"tenantId\":\"%s\",\"reason\":\"x\"}".formatted(t.idA())).post("/admin/support-grants").then()
                .statusCode(403);
        as(support).get("/admin/support-grants/" + UUID.randomUUID()).then().statusCode(404);
        as(t.adminA()).body("{}").put("/api/support-grants/policy").then().statusCode(400);
        as(TestTokens.platformAdmin()).post("/admin/tenants/" + t.idB() + "/suspend").then().statusCode(200);
        as(support).body("{\"tenantId\":\"%s\",\"reason\":\"x\"}".formatted(t.idB())).post("/admin/support-grants").then()
                .statusCode(409).body("type", equalTo(PROBLEM + "tenant-state-conflict"));
    }

    /** support_access() called as the service would; null if it passed, else the SQLSTATE. */
    private String supportAccessSqlState(Connection app, String grant) throws SQLException {
        app.setAutoCommit(false);
        try (var s = app.prepareStatement("""
                SELECT set_config('app.tenant_id', ?, true), set_config('app.user_id', ?, true),
                       set_config('search_path', ? || ', public', true)""")) {
            s.setString(1, t.idA().toString());
            s.setString(2, "support:" + supportUser + "/grant:" + grant);
            s.setString(3, schemaOfA());
            s.execute();
            try (var check = app.prepareStatement("SELECT support_access(?::uuid, 'GET /direct')")) {
                check.setString(1, grant);
                check.execute();
            }
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        } finally {
            app.rollback();
            app.setAutoCommit(true);
        }
    }

    private String schemaOfA() throws SQLException {
        try (Connection su = Db.asSuperuser()) {
            List<String> schema = Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?::uuid",
                    t.idA().toString());
            return schema.get(0);
        }
    }
}
