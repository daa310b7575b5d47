package dev.tessera.tenancy.provisioning;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The runtime role cannot rewrite a tenant's lifecycle (platform V011): tried as tessera_app over JDBC,
 * as an SQL injection anywhere in the service would. Direct changes of state, shredding date and
 * identity provider are refused by the grants; the owner functions refuse what the lifecycle does not
 * allow and record what they do; the export window's floor holds whatever the service asks.
 */
@QuarkusTest
class LifecycleGuardTest {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    final String admin = TestTokens.platformAdmin();

    @Test
    void theRuntimeRoleCannotChangeStateShreddingDateOrIdentityProviderDirectly() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        String id = t.idA().toString();
        try (Connection app = Db.asApp()) {
            for (String sql : List.of(
                    "UPDATE tessera.tenants SET state = 'OFFBOARDING', shred_after = now() WHERE id = '" + id + "'",
                    "UPDATE tessera.tenants SET state = 'SUSPENDED' WHERE id = '" + id + "'",
                    "UPDATE tessera.tenants SET shred_after = now() - interval '1 day' WHERE id = '" + id + "'",
                    "UPDATE tessera.tenants SET shredded_at = now() WHERE id = '" + id + "'",
                    "UPDATE tessera.tenants SET oidc_issuer = 'https://idp.evil.example' WHERE id = '" + id + "'",
                    "UPDATE tessera.tenants SET oidc_jwks_url = 'https://idp.evil.example/jwks' WHERE id = '" + id + "'",
                    "UPDATE tessera.tenants SET oidc_audience = 'evil' WHERE id = '" + id + "'",
                    "INSERT INTO tessera.tenants (id, slug, name, isolation, state, created_at, updated_at) "
                            + "VALUES (gen_random_uuid(), 'forged-active', 'Forged', 'SHARED', 'ACTIVE', now(), now())",
                    "INSERT INTO tessera.tenants (id, slug, name, isolation, shred_after, created_at, updated_at) "
                            + "VALUES (gen_random_uuid(), 'forged-due', 'Forged', 'SHARED', now(), now(), now())",
                    "UPDATE tessera.lifecycle_policy SET min_export_window = interval '0'",
                    "DELETE FROM tessera.platform_audit WHERE tenant_id = '" + id + "'")) {
                assertThatThrownBy(() -> Db.column(app, sql)).as(sql).hasMessageContaining("permission denied");
            }
        }
        // the service itself still does all of it, through the functions
        as(admin).post("/admin/tenants/" + id + "/suspend").then().statusCode(200).body("state", equalTo("SUSPENDED"));
        as(admin).post("/admin/tenants/" + id + "/activate").then().statusCode(200).body("state", equalTo("ACTIVE"));
        as(t.memberA()).get("/api/tenant").then().statusCode(200);
    }

    @Test
    void theOwnerFunctionsRefuseWhatTheLifecycleDoesNotAllow() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        as(admin).body("{\"exportWindow\":\"P7D\"}").post("/admin/tenants/" + t.idB() + "/offboard").then().statusCode(202);

        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            for (String sql : List.of(
                    // an offboarding tenant is never served again
                    "SELECT tessera.tenant_set_state('" + t.idB() + "', 'ACTIVE', 'mallory')",
                    // OFFBOARDED only by shred_tenant_keys, when due; PROVISIONING never again
                    "SELECT tessera.tenant_set_state('" + t.idA() + "', 'OFFBOARDED', 'mallory')",
                    "SELECT tessera.tenant_set_state('" + t.idA() + "', 'OFFBOARDING', 'mallory')",
                    "SELECT tessera.tenant_set_state('" + t.idA() + "', 'PROVISIONING', 'mallory')",
                    // a leaving tenant's identity provider stays as it was
                    "SELECT tessera.tenant_set_identity_provider('" + t.idB() + "', 'https://idp.evil.example', NULL, NULL, 'mallory')")) {
                assertThatThrownBy(() -> Db.column(app, sql)).as(sql).hasMessageContaining("cannot");
                app.rollback();
            }
            // offboarding again changes nothing: the due date stays 7 days away
            OffsetDateTime due = OffsetDateTime.parse(Db.column(app,
                    "SELECT to_char(tessera.tenant_offboard(?, interval '0', 'mallory', '{}') AT TIME ZONE 'UTC', "
                            + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", t.idB()).get(0));
            app.commit();
            assertThat(Duration.between(OffsetDateTime.now(), due)).isGreaterThan(Duration.ofDays(6));
        }
        as(admin).get("/admin/tenants/" + t.idA()).then().statusCode(200).body("state", equalTo("ACTIVE"));
        as(admin).get("/admin/tenants/" + t.idB()).then().statusCode(200).body("state", equalTo("OFFBOARDING"));
    }

    @Test
    void everyChangeThroughTheFunctionsIsRecordedUnderTheActorGiven() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SCHEMA, IsolationMode.SHARED);
        try (Connection app = Db.asApp()) {
            Db.column(app, "SELECT tessera.tenant_set_state(?, 'SUSPENDED', 'mallory')", t.idA());
            Db.column(app, "SELECT tessera.tenant_set_state(?, 'SUSPENDED', 'mallory')", t.idA()); // no change: no record
            Db.column(app, "SELECT tessera.tenant_set_identity_provider(?, 'https://idp.tenant.example', NULL, NULL, 'mallory')",
                    t.idA());
        }
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT action || ' by ' || actor || ' ' || (details ->> 'to') FROM tessera.platform_audit "
                    + "WHERE tenant_id = ? AND actor = 'mallory' ORDER BY id", t.idA())).containsExactly(
                            "tenant.suspend by mallory SUSPENDED",
                            "tenant.identity-provider by mallory {\"issuer\": \"https://idp.tenant.example\", "
                                    + "\"jwksUrl\": null, \"audience\": null}");
        }
    }

    @Test
    void theDatabasesFloorOfTheExportWindowHoldsWhateverTheServiceAsks() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        try (Connection owner = Db.asOwner()) {
            Db.column(owner, "UPDATE tessera.lifecycle_policy SET min_export_window = interval '1 day' RETURNING 1");
            try {
                // the API's own limits allow PT0S; the database's floor does not
                as(admin).body("{\"exportWindow\":\"PT0S\"}").post("/admin/tenants/" + t.idA() + "/offboard").then()
                        .statusCode(400).body("type", equalTo(PROBLEM + "invalid-parameter"))
                        .body("detail", containsString("exportWindow is shorter than the minimum"));
                try (Connection app = Db.asApp()) {
                    assertThatThrownBy(() -> Db.column(app, "SELECT tessera.tenant_offboard(?, interval '1 hour', 'mallory', '{}')",
                            t.idB())).hasMessageContaining("shorter than the minimum");
                }
                as(admin).get("/admin/tenants/" + t.idA()).then().statusCode(200).body("state", equalTo("ACTIVE"));
                as(admin).get("/admin/tenants/" + t.idB()).then().statusCode(200).body("state", equalTo("ACTIVE"));

                OffsetDateTime before = OffsetDateTime.now();
                String due = as(admin).body("{\"exportWindow\":\"P2D\"}").post("/admin/tenants/" + t.idA() + "/offboard")
                        .then().statusCode(202).body("state", equalTo("OFFBOARDING")).extract().path("shredAfter");
                assertThat(Duration.between(before, OffsetDateTime.parse(due))).isBetween(Duration.ofDays(2).minusMinutes(1),
                        Duration.ofDays(2).plusMinutes(1));
            } finally {
                Db.column(owner, "UPDATE tessera.lifecycle_policy SET min_export_window = interval '0' RETURNING 1");
            }
        }
    }
}
