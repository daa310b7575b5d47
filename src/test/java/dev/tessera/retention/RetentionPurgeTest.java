package dev.tessera.retention;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.tenancy.TenantDirectory;
import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/** The retention purge removes only rows deleted longer ago than the retention, in batches, in both modes. */
@QuarkusTest
class RetentionPurgeTest {

    @Inject
    RetentionPurge purge;

    @Inject
    TenantDirectory directory;

    @Test
    void removesOnlyRowsDeletedBeforeTheRetentionInBothModes() throws Throwable {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        List<String> a = deletedProducts(t.memberA(), 3);
        List<String> b = deletedProducts(t.memberB(), 3);
        String liveA = as(t.memberA()).body(Api.productJson("live")).post("/api/products").then().extract().path("id");
        backdate(t.idA(), a.subList(0, 2), 100);
        backdate(t.idB(), b.subList(0, 2), 100);
        backdate(t.idA(), a.subList(2, 3), 10);

        long removed = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> purge.purgeAll());

        assertThat(removed).isGreaterThanOrEqualTo(4);
        assertThat(exists(t.idA(), a)).containsExactly(false, false, true);
        assertThat(exists(t.idB(), b)).containsExactly(false, false, true);
        as(t.memberA()).get("/api/products/" + liveA).then().statusCode(200);
        as(t.adminA()).get("/api/audit?recordId=" + a.get(0)).then()
                .body("items.action", org.hamcrest.Matchers.hasItem("DELETE"))
                .body("items.find { it.action == 'DELETE' }.actor", equalTo(RetentionPurge.ACTOR));
        as(t.adminA()).get("/api/audit/verify").then().body("intact", equalTo(true));
    }

    @Test
    void worksInBatchesOfTheConfiguredSize() throws Throwable {
        TwoTenants t = TwoTenants.create(IsolationMode.SCHEMA, IsolationMode.SHARED);
        List<String> a = deletedProducts(t.memberA(), 5);
        backdate(t.idA(), a, 100);
        var tenant = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> directory.byClaim(t.slugA())).orElseThrow();
        double batchesBefore = counter("tessera_retention_batches_total");

        long removed = purge.purgeTenant(tenant, OffsetDateTime.now().minusDays(90), 2).await().atMost(Duration.ofSeconds(30));

        assertThat(removed).isEqualTo(5);
        // Products 2 + 2 + 1 (the short third batch ends the run), then one empty batch each of customers
        // and of expired idempotency keys.
        assertThat(counter("tessera_retention_batches_total") - batchesBefore).isEqualTo(5);
        assertThat(exists(t.idA(), a)).containsOnly(false);
    }

    @Test
    void skipsTenantsOnLegalHold() throws Throwable {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        List<String> a = deletedProducts(t.memberA(), 2);
        List<String> b = deletedProducts(t.memberB(), 2);
        backdate(t.idA(), a, 400);
        backdate(t.idB(), b, 400);
        for (UUID id : List.of(t.idA(), t.idB())) {
            as(TestTokens.platformAdmin()).body("{\"legalHold\":true}").patch("/admin/tenants/" + id).then()
                    .statusCode(200).body("legalHold", equalTo(true));
        }

        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> purge.purgeAll());

        assertThat(exists(t.idA(), a)).containsOnly(true);
        assertThat(exists(t.idB(), b)).containsOnly(true);
        given().get("/q/metrics").then().body(containsString("tessera_retention_purged_total"));
    }

    @Test
    void forgetsExpiredIdempotencyKeysOfEachTenantOnly() throws Throwable {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        for (String token : List.of(t.memberA(), t.memberB())) {
            for (String key : List.of("old-key", "fresh-key")) {
                as(token).header("Idempotency-Key", key).body("{\"currency\":\"EUR\"}").post("/api/orders").then()
                        .statusCode(201);
            }
        }
        expireKey(t.idA(), "old-key");
        expireKey(t.idB(), "old-key");
        as(TestTokens.platformAdmin()).body("{\"legalHold\":true}").patch("/admin/tenants/" + t.idB()).then()
                .statusCode(200);

        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> purge.purgeAll());

        assertThat(keys(t.idA())).containsExactly("fresh-key");
        assertThat(keys(t.idB())).as("tenant on legal hold is not purged").containsExactlyInAnyOrder("old-key", "fresh-key");
    }

    private static void expireKey(UUID tenant, String key) throws Exception {
        try (Connection su = Db.asSuperuser()) {
            Db.column(su, "UPDATE " + schemaOf(su, tenant) + ".es_idempotency_keys SET expires_at = now() - interval '1 hour' "
                    + "WHERE tenant_id = ?::uuid AND key = ? RETURNING key", tenant.toString(), key);
        }
    }

    private static List<String> keys(UUID tenant) throws Exception {
        try (Connection su = Db.asSuperuser()) {
            return Db.column(su, "SELECT key FROM " + schemaOf(su, tenant) + ".es_idempotency_keys WHERE tenant_id = ?::uuid "
                    + "ORDER BY key", tenant.toString());
        }
    }

    private static List<String> deletedProducts(String token, int n) {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = as(token).body(Api.productJson("old " + i)).post("/api/products").then().statusCode(201)
                    .extract().path("id");
            as(token).delete("/api/products/" + id).then().statusCode(204);
            ids.add(id);
        }
        return ids;
    }

    private static void backdate(UUID tenant, List<String> ids, int days) throws Exception {
        try (Connection su = Db.asSuperuser()) {
            // Changes made outside the service are audited too, so they must name their tenant.
            su.setAutoCommit(false);
            Db.column(su, "SELECT set_config('app.tenant_id', ?, true)", tenant.toString());
            for (String id : ids) {
                Db.column(su, "UPDATE " + schemaOf(su, tenant) + ".products SET deleted_at = now() - make_interval(days => ?) "
                        + "WHERE public_id = ?::uuid", days, id);
            }
            su.commit();
        }
    }

    private static List<Boolean> exists(UUID tenant, List<String> ids) throws Exception {
        try (Connection su = Db.asSuperuser()) {
            List<Boolean> out = new java.util.ArrayList<>();
            for (String id : ids) {
                out.add(!Db.column(su, "SELECT 1 FROM " + schemaOf(su, tenant) + ".products WHERE public_id = ?::uuid", id)
                        .isEmpty());
            }
            return out;
        }
    }

    private static String schemaOf(Connection c, UUID tenant) throws Exception {
        return Db.column(c, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", tenant).get(0);
    }

    private static double counter(String name) {
        String body = given().get("/q/metrics").then().extract().asString();
        return body.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
