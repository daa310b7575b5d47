package dev.tessera.ops;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** An exhausted pool gives bounded waits and 503 with Retry-After, not a pile-up; the service recovers. */
@QuarkusTest
@TestProfile(PoolExhaustionTest.OneConnectionShortWait.class)
class PoolExhaustionTest {

    /** One connection, and at most 300 ms of waiting for it. */
    public static class OneConnectionShortWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "1", "tessera.db.pool-acquire-timeout", "300ms",
                    "tessera.tenancy.statement-timeout", "5s",
                    // No background borrower of the one connection: the test owns it.
                    "tessera.metrics.tenant-states-interval", "off");
        }
    }

    @Test
    void aRequestThatFindsNoConnectionFailsFastWith503() throws Exception {
        TwoTenants t = TwoTenants.create();
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(
                () -> as(t.memberA()).post("/test-probe/sleep/2").then().extract().statusCode());
        Thread.sleep(400);

        long start = System.nanoTime();
        as(t.memberB()).get("/api/products").then().statusCode(503).header("Retry-After", "5")
                .body("type", equalTo("https://tessera.dev/problems/service-unavailable"));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(waitedMs).as("bounded wait").isLessThan(1500);
        assertThat(slow.get()).isEqualTo(200);
        as(t.memberB()).get("/api/products").then().statusCode(200);
    }
}
