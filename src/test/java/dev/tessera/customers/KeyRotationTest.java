package dev.tessera.customers;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Rotating a tenant's data key while it is being read and written, with the tenant in either isolation
 * mode: nothing lost, nothing undecryptable, the old version retired, the other tenant untouched, and the
 * progress visible in GET /admin/tenants/{id} and the metrics.
 */
@QuarkusTest
@TestProfile(KeyRotationTest.SmallBatches.class)
class KeyRotationTest {

    /** Small batches with pauses, so that the rotation is still running while the load runs. */
    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tessera.customers.rotation-batch-size", "5", "tessera.customers.rotation-pause", "100ms");
        }
    }

    @Test
    void rotationOfASchemaTenantUnderConcurrentReadsAndWritesLosesNothing() throws Exception {
        rotateUnderLoad(IsolationMode.SCHEMA, IsolationMode.SHARED);
    }

    @Test
    void rotationOfASharedTenantUnderConcurrentReadsAndWritesLosesNothing() throws Exception {
        rotateUnderLoad(IsolationMode.SHARED, IsolationMode.SCHEMA);
    }

    private void rotateUnderLoad(IsolationMode modeA, IsolationMode modeB) throws Exception {
        TwoTenants t = TwoTenants.create(modeA, modeB);
        Map<String, String> emailById = new ConcurrentHashMap<>();
        for (int i = 0; i < 40; i++) {
            String email = "rot" + i + "." + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
            emailById.put(CustomerResourceContract.create(t.adminA(), "R" + i, email, "+1 555 01" + (10 + i), null), email);
        }
        String b = CustomerResourceContract.create(t.adminB(), "B", "b." + UUID.randomUUID() + "@example.com", null, null);
        String admin = TestTokens.platformAdmin();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService load = Executors.newFixedThreadPool(3);
        List<String> ids = new ArrayList<>(emailById.keySet());
        load.submit(() -> readAll(t.adminA(), ids, emailById, running, failures));
        load.submit(() -> writeNew(t.adminA(), emailById, running, failures));
        load.submit(() -> patchSome(t.adminA(), ids, running, failures));

        as(admin).post("/admin/tenants/" + t.idA() + "/keys/rotate").then().statusCode(202).body("version", equalTo(2))
                .body("state", equalTo("RUNNING"));
        as(admin).post("/admin/tenants/" + t.idA() + "/keys/rotate").then().statusCode(409);
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("tessera_crypto_rotation_remaining"))
                .body(org.hamcrest.Matchers.containsString("tessera_crypto_rotation_running"));
        as(admin).get("/admin/tenants/" + t.idA()).then().statusCode(200).body("keys.current", equalTo(2))
                .body("keys.rotation.rowsTotal", org.hamcrest.Matchers.greaterThanOrEqualTo(40)).body("keys.rotation.startedAt", org.hamcrest.Matchers.notNullValue());
        String state = "RUNNING";
        for (int i = 0; i < 300 && state.equals("RUNNING"); i++) {
            Thread.sleep(100);
            state = as(admin).get("/admin/tenants/" + t.idA() + "/keys").then().statusCode(200).extract().path("state");
        }
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(state).isEqualTo("DONE");
        assertThat(failures).isEmpty();
        for (var e : emailById.entrySet()) {
            as(t.adminA()).get("/api/customers/" + e.getKey()).then().statusCode(200).body("email", equalTo(e.getValue()));
            as(t.adminA()).queryParam("email", e.getValue()).get("/api/customers").then().body("items[0].id",
                    equalTo(e.getKey()));
        }
        as(admin).get("/admin/tenants/" + t.idA()).then().statusCode(200).body("keys.rotation.state", equalTo("DONE"))
                .body("keys.rotation.rowsRemaining", equalTo(0)).body("keys.versions.retiredAt[0]", org.hamcrest.Matchers.notNullValue())
                .body("keys.versions.retiredAt[1]", org.hamcrest.Matchers.nullValue());
        as(admin).get("/admin/tenants/" + t.idB()).then().statusCode(200).body("keys.current", equalTo(1))
                .body("keys.rotation", org.hamcrest.Matchers.nullValue());
        try (Connection su = Db.asSuperuser()) {
            String schema = Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", t.idA())
                    .get(0);
            assertThat(Db.column(su, "SELECT DISTINCT key_version::text FROM " + schema + ".customers WHERE tenant_id = ?",
                    t.idA())).containsExactly("2");
            String schemaB = Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", t.idB())
                    .get(0);
            assertThat(Db.column(su, "SELECT DISTINCT key_version::text FROM " + schemaB + ".customers WHERE tenant_id = ?",
                    t.idB())).containsExactly("1");
            assertThat(Db.column(su, "SELECT version || ':' || (retired_at IS NOT NULL) FROM tessera_keys.tenant_keys "
                    + "WHERE tenant_id = ? ORDER BY version", t.idA())).containsExactly("1:true", "2:false");
            assertThat(Db.column(su, "SELECT count(*) FROM tessera_keys.tenant_keys WHERE tenant_id = ?", t.idB()))
                    .containsExactly("1");
        }
        as(t.adminB()).get("/api/customers/" + b).then().statusCode(200);
    }

    private static void readAll(String token, List<String> ids, Map<String, String> emails, AtomicBoolean running,
            List<String> failures) {
        while (running.get()) {
            for (String id : ids) {
                var r = as(token).get("/api/customers/" + id).then().extract();
                if (r.statusCode() != 200 || !emails.get(id).equals(r.path("email"))) {
                    failures.add("read " + id + " -> " + r.statusCode());
                }
            }
        }
    }

    private static void writeNew(String token, Map<String, String> emails, AtomicBoolean running, List<String> failures) {
        int i = 0;
        while (running.get()) {
            String email = "new" + (i++) + "." + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
            var r = as(token).body(CustomerResourceContract.body("New", email, null, null)).post("/api/customers").then()
                    .extract();
            if (r.statusCode() != 201) {
                failures.add("create -> " + r.statusCode());
            } else {
                emails.put(r.path("id"), email);
            }
        }
    }

    private static void patchSome(String token, List<String> ids, AtomicBoolean running, List<String> failures) {
        int i = 0;
        while (running.get()) {
            String id = ids.get(i++ % ids.size());
            var r = as(token).body("{\"phone\":\"+1 555 9" + (i % 1000) + "\"}").patch("/api/customers/" + id).then()
                    .extract();
            if (r.statusCode() != 200) {
                failures.add("patch " + id + " -> " + r.statusCode());
            }
        }
    }
}
