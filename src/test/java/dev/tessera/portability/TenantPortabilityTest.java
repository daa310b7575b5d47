package dev.tessera.portability;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/** NDJSON export and import of a tenant: round trips between modes, isolation, all-or-nothing, refusals. */
@QuarkusTest
class TenantPortabilityTest {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    @ParameterizedTest(name = "{0} tenant into a new {1} tenant")
    @CsvSource({ "SHARED, SCHEMA", "SCHEMA, SHARED" })
    void anExportRestoresIntoANewTenantOfTheOtherMode(IsolationMode source, IsolationMode target) throws Exception {
        TwoTenants t = TwoTenants.create(source, source);
        TenantFixture a = TenantFixture.seed(t.adminA(), "a");
        TenantFixture b = TenantFixture.seed(t.adminB(), "b");
        String c = TwoTenants.provision(target);

        List<String> lines = Exports.of(t.idA());
        JsonPath report = Exports.importInto(TestTenants.idOf(c), lines).then().statusCode(200).extract().jsonPath();

        assertThat(String.join("\n", lines)).doesNotContain(b.productSkus()).doesNotContain(b.emails())
                .doesNotContain(b.orderIds()).doesNotContain(t.idB().toString());
        assertThat(report.getInt("imported.product")).isEqualTo(3);
        assertThat(report.getInt("imported.customer")).isEqualTo(3);
        assertThat(report.getInt("imported.orderEvent")).isEqualTo(a.eventCount());
        assertThat(report.getInt("skipped.audit")).isPositive();
        a.assertSameAs(TestTokens.admin(c));
        try (Connection db = Db.asSuperuser()) {
            assertThat(Db.column(db, "SELECT action FROM tessera.platform_audit WHERE tenant_id = ?", t.idA()))
                    .contains("tenant.export");
            assertThat(Db.column(db, "SELECT action FROM tessera.platform_audit WHERE tenant_id = ?", TestTenants.idOf(c)))
                    .contains("tenant.import");
        }
    }

    @Test
    void aBadLineInTheMiddleLeavesTheTenantEmpty() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        TenantFixture a = TenantFixture.seed(t.adminA(), "a");
        List<String> lines = Exports.of(t.idA());
        int middle = firstLineOfKind(lines, "customer") + 1;
        List<String> broken = new java.util.ArrayList<>(lines);
        broken.set(middle, new JsonObject(lines.get(middle)).put("createdAt", "yesterday").encode());

        var refused = Exports.importInto(t.idB(), broken);

        refused.then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "invalid-import")).body("detail", containsString("Line " + (middle + 1) + " "));
        as(t.adminB()).get("/api/products?include=deleted").then().body("items.size()", equalTo(0));
        as(t.adminB()).get("/api/customers?include=deleted").then().body("items.size()", equalTo(0));
        as(t.adminB()).get("/api/orders").then().body("items.size()", equalTo(0));
        Exports.importInto(t.idB(), lines).then().statusCode(200);
        a.assertSameAs(t.adminB());
    }

    @Test
    void refusesAnUnknownFormatVersionATruncatedFileAndATenantThatHoldsData() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SCHEMA, IsolationMode.SHARED);
        TenantFixture.seed(t.adminA(), "a");
        List<String> lines = Exports.of(t.idA());
        List<String> future = new java.util.ArrayList<>(lines);
        future.set(0, new JsonObject(lines.get(0)).put("formatVersion", 99).encode());

        var unknownVersion = Exports.importInto(t.idB(), future);
        var truncated = Exports.importInto(t.idB(), lines.subList(0, lines.size() - 1));
        var notJson = Exports.importInto(t.idB(), List.of(lines.get(0), "{not json"));
        var intoItself = Exports.importInto(t.idA(), lines);

        unknownVersion.then().statusCode(400).body("type", equalTo(PROBLEM + "invalid-import"))
                .body("detail", containsString("Line 1 has an unknown formatVersion"));
        truncated.then().statusCode(400).body("detail", containsString("no end line"));
        notJson.then().statusCode(400).body("detail", containsString("Line 2 is not a JSON object"));
        intoItself.then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "tenant-not-empty"));
        as(t.adminB()).get("/api/products?include=deleted").then().body("items.size()", equalTo(0));
    }

    @Test
    void onlyPlatformAdminsExportOrImportAndUnknownTenantsAre404() {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        String export = "/admin/tenants/" + t.idA() + "/export";

        for (String token : List.of(t.adminA(), t.memberA(), t.adminB())) {
            given().auth().oauth2(token).get(export).then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).contentType("application/x-ndjson").body("{}".getBytes())
                    .post("/admin/tenants/" + t.idA() + "/import").then().statusCode(403);
        }
        given().auth().oauth2(TestTokens.platformAdmin()).get("/admin/tenants/" + UUID.randomUUID() + "/export").then()
                .statusCode(404).contentType("application/problem+json").body("type", equalTo(PROBLEM + "not-found"));
        given().auth().oauth2(TestTokens.platformAdmin()).contentType("application/x-ndjson").body("{}".getBytes())
                .post("/admin/tenants/" + UUID.randomUUID() + "/import").then().statusCode(404);
    }

    private static int firstLineOfKind(List<String> lines, String kind) {
        for (int i = 0; i < lines.size(); i++) {
            if (kind.equals(new JsonObject(lines.get(i)).getString("kind"))) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " line");
    }
}
