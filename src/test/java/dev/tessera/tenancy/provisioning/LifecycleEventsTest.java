package dev.tessera.tenancy.provisioning;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tessera.orders.publication.BrokerQueue;
import dev.tessera.orders.publication.BrokerQueue.Received;
import dev.tessera.orders.publication.EventPublicationProfile;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Tenant lifecycle events on the broker feed, against the real RabbitMQ: provisioned, activated,
 * suspended and offboarded, for a tenant of each isolation mode, and an action recorded by a
 * transaction that commits late is published after it, never skipped.
 */
@QuarkusTest
@TestProfile(EventPublicationProfile.class)
class LifecycleEventsTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void eachTenantsLifecycleArrivesInOrderForBothIsolationModes() throws Exception {
        for (IsolationMode mode : IsolationMode.values()) {
            try (BrokerQueue feed = BrokerQueue.bind("*.tenant.*")) {
                UUID id = TestTenants.idOf(TwoTenants.provision(mode));
                String admin = TestTokens.platformAdmin();
                as(admin).post("/admin/tenants/" + id + "/suspend").then().statusCode(200);
                as(admin).post("/admin/tenants/" + id + "/activate").then().statusCode(200);
                as(admin).body("{}").post("/admin/tenants/" + id + "/offboard").then().statusCode(202);

                List<String> types = typesOf(feed.await(r -> typesOf(r, id).size() >= 5, WAIT), id);

                assertThat(types).as(mode.name()).containsExactly("TenantProvisioned", "TenantActivated",
                        "TenantSuspended", "TenantActivated", "TenantOffboarded");
                assertThat(feed.received()).filteredOn(r -> r.body().getString("tenantId").equals(id.toString()))
                        .allSatisfy(r -> {
                            assertThat(r.routingKey()).isEqualTo(id + ".tenant." + r.body().getString("type"));
                            assertThat(r.messageId()).isEqualTo(r.body().getString("eventId"));
                            assertThat(r.headers()).containsEntry("tenant-id", id.toString());
                        });
            }
        }
    }

    @Test
    void anActionCommittedLateIsPublishedAfterItAndNeverSkipped() throws Exception {
        try (BrokerQueue feed = BrokerQueue.bind("*.tenant.*")) {
            UUID first = TestTenants.idOf(TwoTenants.provision(IsolationMode.SHARED));
            feed.await(r -> typesOf(r, first).size() >= 2, WAIT);
            UUID late = UUID.randomUUID();
            try (Connection app = Db.asApp()) {
                app.setAutoCommit(false);
                // Its row takes a txid and an id now, and commits after the suspension below.
                Db.column(app, "INSERT INTO tessera.platform_audit (actor, action, tenant_id) VALUES ('slow', 'tenant.suspend', ?)",
                        late);
                as(TestTokens.platformAdmin()).post("/admin/tenants/" + first + "/suspend").then().statusCode(200);
                BrokerQueue.sleep(2500); // two polls

                assertThat(typesOf(feed.received(), first)).doesNotContain("TenantSuspended");

                app.commit();
            }

            List<Received> got = feed.await(r -> typesOf(r, first).contains("TenantSuspended") && !typesOf(r, late).isEmpty(), WAIT);
            assertThat(typesOf(got, late)).containsExactly("TenantSuspended");
            assertThat(typesOf(got, first)).containsExactly("TenantProvisioned", "TenantActivated", "TenantSuspended");
        }
    }

    private static List<String> typesOf(List<Received> got, UUID tenant) {
        return got.stream().filter(r -> r.body().getString("tenantId").equals(tenant.toString()))
                .map(r -> r.body().getString("type")).toList();
    }
}
