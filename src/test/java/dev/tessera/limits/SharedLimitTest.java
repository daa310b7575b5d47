package dev.tessera.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * Two instances share one tenant's limit through the real Redis on 127.0.0.1:6379: two limiters, each with
 * its own Vert.x and its own Redis client (as two replicas have), hammer the same tenants from many
 * threads for a few seconds; together they admit the limit (burst + rate x window) within 10 %, and each
 * tenant is limited independently of the other. No Quarkus: the limiter itself, over real connections.
 */
class SharedLimitTest {

    static final TenantLimits.Rate RATE = new TenantLimits.Rate(100, 20);
    static final Duration WINDOW = Duration.ofSeconds(3);
    static final int THREADS_PER_INSTANCE = 8;

    private final List<Vertx> vertxes = new ArrayList<>();
    private RedisLimiter first;
    private RedisLimiter second;

    @BeforeEach
    void twoInstances() {
        first = instance();
        second = instance();
    }

    @AfterEach
    void close() {
        vertxes.forEach(Vertx::close);
    }

    @Test
    void twoInstancesTogetherAdmitOneTenantsLimitAndEachTenantHasItsOwn() throws Exception {
        // given two tenants (fresh keys) with the same limit
        String tenantA = "tessera:rl-test:{" + UUID.randomUUID() + "}:t";
        String tenantB = "tessera:rl-test:{" + UUID.randomUUID() + "}:t";
        AtomicInteger[] admittedA = { new AtomicInteger(), new AtomicInteger() };
        AtomicInteger admittedB = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();

        // when both instances send A's requests as fast as they can, and the second sends B's too, for the window
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE + 2);
        long start = System.nanoTime();
        long end = start + WINDOW.toNanos();
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < THREADS_PER_INSTANCE; i++) {
            loops.add(pool.submit(() -> hammer(first, tenantA, end, admittedA[0], refused)));
            loops.add(pool.submit(() -> hammer(second, tenantA, end, admittedA[1], refused)));
        }
        loops.add(pool.submit(() -> hammer(second, tenantB, end, admittedB, refused)));
        loops.add(pool.submit(() -> hammer(second, tenantB, end, admittedB, refused)));
        for (Future<?> f : loops) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;

        // then A's total over both instances is its limit within 10 %, and both instances had a part of it
        double expected = RATE.burst() + RATE.perSecond() * seconds;
        int totalA = admittedA[0].get() + admittedA[1].get();
        assertThat(refused.get()).as("the load was well above the limit").isGreaterThan(totalA);
        assertThat((double) totalA).as("admitted for A by both instances in %.2f s", seconds)
                .isBetween(0.9 * expected, 1.1 * expected);
        assertThat(admittedA[0].get()).as("first instance's part").isGreaterThan(totalA / 5);
        assertThat(admittedA[1].get()).as("second instance's part").isGreaterThan(totalA / 5);
        // and B, limited on its own, had its whole limit too
        assertThat((double) admittedB.get()).as("admitted for B").isBetween(0.9 * expected, 1.1 * expected);
    }

    @Test
    void aRefusalCountsAgainstNoBucketAndSaysWhenToRetry() {
        String key = "tessera:rl-test:{" + UUID.randomUUID() + "}:";
        Bucket wide = new Bucket(key + "t", Decision.Policy.TENANT, new TenantLimits.Rate(100, 10));
        Bucket narrow = new Bucket(key + "w", Decision.Policy.WRITE, new TenantLimits.Rate(0.5, 1));

        Decision admitted = check(first, List.of(wide, narrow));
        Decision refused = check(second, List.of(wide, narrow));
        Decision wideOnly = check(first, List.of(wide));

        assertThat(admitted.admitted()).isTrue();
        assertThat(admitted.shared()).isTrue();
        assertThat(admitted.policies()).extracting(Decision.PolicyState::remaining).containsExactly(9L, 0L);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.policies()).extracting(Decision.PolicyState::refused).containsExactly(false, true);
        assertThat(refused.retryAfterSeconds()).isEqualTo(2);
        assertThat(wideOnly.policies().get(0).remaining()).as("the refused request took nothing of the wide bucket").isBetween(8L, 9L);
    }

    private static void hammer(RedisLimiter limiter, String key, long end, AtomicInteger admitted, AtomicInteger refused) {
        List<Bucket> buckets = List.of(new Bucket(key, Decision.Policy.TENANT, RATE));
        hammer(() -> check(limiter, buckets), end, admitted, refused);
    }

    /** Checks as fast as one thread can until {@code end} (System.nanoTime()), counting each outcome. */
    static void hammer(Supplier<Decision> check, long end, AtomicInteger admitted, AtomicInteger refused) {
        while (System.nanoTime() < end) {
            if (check.get().admitted()) {
                admitted.incrementAndGet();
            } else {
                refused.incrementAndGet();
            }
        }
    }

    private static Decision check(RedisLimiter limiter, List<Bucket> buckets) {
        return limiter.check(buckets).await().atMost(Duration.ofSeconds(5));
    }

    private RedisLimiter instance() {
        Vertx vertx = Vertx.vertx();
        vertxes.add(vertx);
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:6379")
                .setMaxPoolSize(THREADS_PER_INSTANCE + 2).setMaxPoolWaiting(256));
        return new RedisLimiter(redis, vertx, 2_000);
    }
}
