package dev.tessera.tenancy.provisioning;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Connection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tessera.customers.KeyShredding;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * POST /admin/tenants/{id}/offboard: who may, what the window may be, what the tenant's users see while it
 * runs, and that nothing is destroyed before the window ends. (Shredding itself: CryptoShreddingTest.)
 */
@QuarkusTest
class OffboardingTest {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    final String admin = TestTokens.platformAdmin();

    @Inject
    KeyShredding shredding;

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void anOffboardingTenantIsRefusedAtOnceKeepsItsKeysUntilTheWindowEndsAndTheOtherTenantIsUnaffected(IsolationMode mode)
            throws Throwable {
        // given two tenants of this mode and the other, each with a customer
        TwoTenants t = TwoTenants.create(mode, mode == IsolationMode.SHARED ? IsolationMode.SCHEMA : IsolationMode.SHARED);
        as(t.adminA()).body("{\"displayName\":\"A\",\"email\":\"a@example.com\"}").post("/api/customers").then().statusCode(201);
        as(t.adminB()).body("{\"displayName\":\"B\",\"email\":\"b@example.com\"}").post("/api/customers").then().statusCode(201);

        // when A is offboarded with no body (the default window) and the shredding job runs
        OffsetDateTime before = OffsetDateTime.now();
        String shredAfter = as(admin).post("/admin/tenants/" + t.idA() + "/offboard").then().statusCode(202)
                .body("state", equalTo("OFFBOARDING")).extract().path("shredAfter");
        VertxContextSupport.subscribeAndAwait(() -> shredding.shredDue());

        // then A's users get 403 tenant-inactive, B's are served, and A's keys are still there for 30 days
        assertThat(Duration.between(before, OffsetDateTime.parse(shredAfter))).isBetween(Duration.ofDays(30),
                Duration.ofDays(30).plusMinutes(1));
        as(t.memberA()).get("/api/tenant").then().statusCode(403).body("type", equalTo(PROBLEM + "tenant-inactive"));
        as(t.adminA()).get("/api/customers").then().statusCode(403).body("type", equalTo(PROBLEM + "tenant-inactive"));
        as(t.adminB()).get("/api/customers").then().statusCode(200).body("items[0].email", equalTo("b@example.com"));
        as(admin).get("/admin/tenants/" + t.idA()).then().statusCode(200).body("state", equalTo("OFFBOARDING"))
                .body("shredAfter", notNullValue()).body("keys.current", equalTo(1));
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT count(*) FROM tessera_keys.tenant_keys WHERE tenant_id = ?", t.idA()))
                    .containsExactly("1");
            assertThat(Db.column(su, "SELECT details ->> 'exportWindow' FROM tessera.platform_audit "
                    + "WHERE tenant_id = ? AND action = 'tenant.offboard'", t.idA())).containsExactly("PT720H");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"exportWindow\":\"P7D\"}" })
    void offboardingIsIdempotentAndKeepsTheFirstWindow(String secondBody) {
        UUID id = TwoTenants.create().idA();

        String first = as(admin).body("{\"exportWindow\":\"P1D\"}").post("/admin/tenants/" + id + "/offboard").then()
                .statusCode(202).extract().path("shredAfter");

        as(admin).body(secondBody).post("/admin/tenants/" + id + "/offboard").then().statusCode(202)
                .body("state", equalTo("OFFBOARDING")).body("shredAfter", equalTo(first));
        as(admin).post("/admin/tenants/" + id + "/suspend").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "tenant-state-conflict"));
        as(admin).post("/admin/tenants/" + id + "/keys/rotate").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "tenant-state-conflict"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"exportWindow\":\"P91D\"}", "{\"exportWindow\":\"-P1D\"}", "{\"exportWindow\":\"soon\"}" })
    void aWindowOutsideItsBoundsIs400AndChangesNothing(String body) {
        UUID id = TwoTenants.create().idA();

        as(admin).body(body).post("/admin/tenants/" + id + "/offboard").then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-parameter"));

        as(admin).get("/admin/tenants/" + id).then().body("state", equalTo("ACTIVE"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "unknown", "tenant-admin" })
    void unknownTenantsAre404AndOnlyPlatformAdminsMayOffboard(String who) {
        TwoTenants t = TwoTenants.create();
        String token = who.equals("unknown") ? admin : t.adminA();
        UUID id = who.equals("unknown") ? UUID.randomUUID() : t.idA();

        as(token).post("/admin/tenants/" + id + "/offboard").then()
                .statusCode(who.equals("unknown") ? 404 : 403)
                .body("type", equalTo(PROBLEM + (who.equals("unknown") ? "not-found" : "forbidden")));

        as(admin).get("/admin/tenants/" + t.idA()).then().body("state", equalTo("ACTIVE"));
    }
}
