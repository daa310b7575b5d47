package dev.tessera.tenancy.provisioning.api;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/** The platform administration API: provisioning, lifecycle, and who may use it. */
@QuarkusTest
class TenantAdminResourceTest {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    final String admin = TestTokens.platformAdmin();

    @Test
    void provisionsASharedTenantThatCanBeUsedAtOnce() {
        String slug = slug();

        String id = as(admin).body(body(slug, "SHARED")).post("/admin/tenants").then().statusCode(201)
                .body("state", equalTo("ACTIVE")).body("isolation", equalTo("SHARED")).body("plan", equalTo("standard"))
                .extract().path("id");

        as(TestTokens.member(slug)).get("/api/tenant").then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void provisionsASchemaTenantIntoItsOwnMigratedSchema() throws Exception {
        String slug = slug();

        String id = as(admin).body(body(slug, "SCHEMA")).post("/admin/tenants").then().statusCode(201)
                .body("state", equalTo("ACTIVE")).extract().path("id");

        as(admin).get("/admin/tenants/" + id).then().statusCode(200)
                .body("schema.name", matchesPattern("tenant_[0-9a-f]{16}"))
                .body("schema.status", equalTo("CURRENT"))
                .body("schema.version", equalTo(as(admin).get("/admin/tenants/" + id).then().extract().path("schema.latestVersion")));
        String schema = as(admin).get("/admin/tenants/" + id).then().extract().path("schema.name");
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = ?", schema))
                    .containsExactly("tessera_owner");
            assertThat(Db.column(su, """
                    SELECT relforcerowsecurity::text FROM pg_class
                     WHERE relname = 'products' AND relnamespace = ?::regnamespace""", schema)).containsExactly("true");
        }
    }

    @Test
    void duplicateSlugIs409() {
        String slug = slug();
        as(admin).body(body(slug, "SHARED")).post("/admin/tenants").then().statusCode(201);

        as(admin).body(body(slug, "SCHEMA")).post("/admin/tenants").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "slug-taken"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"slug\":\"AB\",\"name\":\"n\"}                               | slug",
            "{\"slug\":\"Upper-Case\",\"name\":\"n\"}                       | slug",
            "{\"slug\":\"ok-slug\",\"name\":\"n\",\"plan\":\"gold\"}        | plan",
            "{\"slug\":\"ok-slug\",\"name\":\"n\",\"isolation\":\"DATABASE\"} | isolation",
            "{\"slug\":\"ok-slug\"}                                         | name",
    })
    void invalidRequestsAre400(String body, String field) {
        as(admin).body(body).post("/admin/tenants").then().statusCode(400)
                .body("type", equalTo(PROBLEM + "validation")).body("errors.field", hasItem(field));
    }

    @Test
    void tenantTokensCannotUseTheAdminApi() {
        String tenant = TestTenants.active();

        as(TestTokens.admin(tenant)).get("/admin/tenants").then().statusCode(403).body("type", equalTo(PROBLEM + "forbidden"));
        as(TestTokens.member(tenant)).body(body(slug(), "SHARED")).post("/admin/tenants").then().statusCode(403);
    }

    @Test
    void platformAdminTokensCannotUseTheTenantApi() {
        as(admin).get("/api/products").then().statusCode(403);
        as(admin).get("/api/tenant").then().statusCode(403);
    }

    @Test
    void suspendingATenantLocksItsTokensOutAtOnceAndIsIdempotent() {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        as(t.memberB()).get("/api/products").then().statusCode(200);

        as(admin).post("/admin/tenants/" + t.idB() + "/suspend").then().statusCode(200).body("state", equalTo("SUSPENDED"));
        as(admin).post("/admin/tenants/" + t.idB() + "/suspend").then().statusCode(200).body("state", equalTo("SUSPENDED"));

        as(t.memberB()).get("/api/products").then().statusCode(403).body("type", equalTo(PROBLEM + "tenant-inactive"));
        as(t.memberA()).get("/api/products").then().statusCode(200);
        as(admin).post("/admin/tenants/" + t.idB() + "/activate").then().statusCode(200).body("state", equalTo("ACTIVE"));
        as(t.memberB()).get("/api/products").then().statusCode(200);
    }

    @Test
    void patchChangesNameAndPlanOnly() {
        String slug = slug();
        String id = as(admin).body(body(slug, "SHARED")).post("/admin/tenants").then().extract().path("id");

        as(admin).body("{\"name\":\"Renamed\",\"plan\":\"enterprise\"}").patch("/admin/tenants/" + id).then().statusCode(200)
                .body("name", equalTo("Renamed")).body("plan", equalTo("enterprise")).body("slug", equalTo(slug));
        as(admin).body("{\"slug\":\"other\"}").patch("/admin/tenants/" + id).then().statusCode(400)
                .body("type", equalTo(PROBLEM + "unknown-field"));
        as(admin).body("{}").patch("/admin/tenants/" + id).then().statusCode(400);
    }

    @Test
    void listIsPaginatedAndFilteredByState() {
        String suspended = as(admin).body(body(slug(), "SHARED")).post("/admin/tenants").then().extract().path("id");
        as(admin).post("/admin/tenants/" + suspended + "/suspend").then().statusCode(200);

        as(admin).get("/admin/tenants?state=SUSPENDED&limit=100").then().statusCode(200)
                .body("items.state", everyItem(equalTo("SUSPENDED"))).body("items.id", hasItem(suspended));
        var first = as(admin).get("/admin/tenants?limit=1").then().statusCode(200).body("items.size()", equalTo(1))
                .body("next", notNullValue()).extract();
        as(admin).queryParam("cursor", (String) first.path("next")).get("/admin/tenants?limit=1").then().statusCode(200)
                .body("items[0].id", org.hamcrest.Matchers.not(equalTo(first.path("items[0].id"))));
        as(admin).get("/admin/tenants?state=SLEEPING").then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-parameter"));
    }

    @Test
    void unknownTenantIs404() {
        as(admin).get("/admin/tenants/" + UUID.randomUUID()).then().statusCode(404);
        as(admin).post("/admin/tenants/" + UUID.randomUUID() + "/suspend").then().statusCode(404);
        as(admin).get("/admin/tenants/nope").then().statusCode(400);
    }

    @Test
    void everyAdminActionIsRecordedWhereTheServiceCannotAlterIt() throws Exception {
        String id = as(admin).body(body(slug(), "SHARED")).post("/admin/tenants").then().extract().path("id");
        as(admin).post("/admin/tenants/" + id + "/suspend").then().statusCode(200);

        try (Connection owner = Db.asOwner(); Connection app = Db.asApp()) {
            List<String> actions = Db.column(owner,
                    "SELECT action || ' by ' || actor FROM tessera.platform_audit WHERE tenant_id = ?::uuid ORDER BY id", id);
            assertThat(actions).containsExactly("tenant.create by platform-ops", "tenant.activate by platform-ops",
                    "tenant.suspend by platform-ops");
            assertThatThrownBy(() -> Db.column(app, "UPDATE tessera.platform_audit SET actor = 'someone else'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> Db.column(app, "DELETE FROM tessera.platform_audit"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> Db.column(app, "UPDATE tessera.tenants SET slug = 'renamed'"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void failedProvisioningLeavesNothingBehindAndCanBeRetried() throws Exception {
        String slug = slug();
        try (Connection su = Db.asSuperuser()) {
            // A fault injected in the database itself: creating products in a tenant schema fails.
            Db.column(su, """
                    CREATE FUNCTION public.tessera_test_refuse() RETURNS event_trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF EXISTS (SELECT FROM pg_event_trigger_ddl_commands()
                                  WHERE object_identity LIKE 'tenant\\_%.products') THEN
                        RAISE EXCEPTION 'injected provisioning failure';
                      END IF;
                    END $$""");
            Db.column(su, "CREATE EVENT TRIGGER tessera_test_refuse ON ddl_command_end EXECUTE FUNCTION public.tessera_test_refuse()");
            try {
                as(admin).body(body(slug, "SCHEMA")).post("/admin/tenants").then().statusCode(500)
                        .body("type", equalTo(PROBLEM + "provisioning-failed"));

                assertThat(Db.column(su, "SELECT count(*) FROM tessera.tenants WHERE slug = ?", slug)).containsExactly("0");
                assertThat(Db.column(su, """
                        SELECT count(*) FROM pg_namespace n
                         WHERE n.nspname LIKE 'tenant\\_%' AND NOT EXISTS
                               (SELECT FROM tessera.tenants t WHERE t.schema_name = n.nspname)""")).containsExactly("0");
            } finally {
                Db.column(su, "DROP EVENT TRIGGER tessera_test_refuse");
                Db.column(su, "DROP FUNCTION public.tessera_test_refuse()");
            }
        }

        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
        as(admin).body(body(slug, "SCHEMA")).post("/admin/tenants").then().statusCode(201).body("state", equalTo("ACTIVE"));
        as(TestTokens.member(slug)).get("/api/products").then().statusCode(200).body("next", nullValue());
    }

    private static String slug() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static String body(String slug, String isolation) {
        return "{\"slug\":\"%s\",\"name\":\"Tenant %s\",\"isolation\":\"%s\"}".formatted(slug, slug, isolation);
    }
}
