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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * Leases of the shared buckets against the real Redis on 127.0.0.1:6379: requests spend tokens taken from
 * Redis a slice at a time, so a busy tenant costs a round trip per slice, not per request; nothing is
 * admitted that Redis has not counted, so two instances together still admit the limit; a slice of one
 * is the exact per-request check; a refused bucket is refused here until its next token is due; a refusal
 * gives back what the request took of its leases; unused tokens die with their lease.
 */
class LeasedLimiterTest {

    static final double LEASE = 0.05;

    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<AtomicInteger> roundTrips = new ArrayList<>();

    @AfterEach
    void close() {
        vertxes.forEach(Vertx::close);
    }

    @Test
    void aSliceIsTheRateTimesTheLeaseAtMostATenthOfTheBurstAtLeastOne() {
        assertThat(LeasedLimiter.slice(new TenantLimits.Rate(100_000, 100_000), LEASE)).isEqualTo(5_000);
        assertThat(LeasedLimiter.slice(new TenantLimits.Rate(1_000, 2_000), LEASE)).isEqualTo(50);
        assertThat(LeasedLimiter.slice(new TenantLimits.Rate(1_000, 200), LEASE)).as("a tenth of the burst").isEqualTo(20);
        assertThat(LeasedLimiter.slice(new TenantLimits.Rate(5, 20), LEASE)).as("the free plan: exact").isEqualTo(1);
        assertThat(LeasedLimiter.slice(new TenantLimits.Rate(100_000, 100_000), 0)).as("lease 0s: exact").isEqualTo(1);
    }

    @Test
    void aBusyBucketCostsARoundTripPerSliceNotPerRequest() {
        LeasedLimiter limiter = instance(LEASE);
        List<Bucket> buckets = List.of(bucket("t", new TenantLimits.Rate(1_000, 2_000)));

        for (int i = 0; i < 200; i++) {
            assertThat(check(limiter, buckets).admitted()).isTrue();
        }

        // slices of 50, the next one fetched when 25 are left: about one round trip per 25 to 50 requests
        assertThat(roundTrips.get(0).get()).as("Redis round trips for 200 requests").isBetween(4, 10);
    }

    @Test
    void aSliceOfOneAsksRedisForEveryRequestAndRefusesExactlyAtTheBurst() {
        LeasedLimiter limiter = instance(LEASE);
        List<Bucket> buckets = List.of(bucket("t", new TenantLimits.Rate(5, 20)));

        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            decisions.add(check(limiter, buckets));
        }

        assertThat(decisions.subList(0, 20)).allMatch(Decision::admitted);
        assertThat(decisions.get(19).policies().get(0).remaining()).isZero();
        Decision refused = decisions.get(20);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.policies().get(0).refused()).isTrue();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(roundTrips.get(0).get()).isEqualTo(21);
        // and until the next token is due (200 ms at 5/s) the refusal is repeated here, without Redis
        Decision again = check(limiter, buckets);
        assertThat(again.admitted()).isFalse();
        assertThat(again.policies().get(0).refused()).isTrue();
        assertThat(again.retryAfterSeconds()).isEqualTo(1);
        assertThat(roundTrips.get(0).get()).isEqualTo(21);
    }

    @Test
    void aRefusalGivesBackTheTokensTheRequestTookOfItsLeases() {
        LeasedLimiter limiter = instance(LEASE);
        Bucket wide = bucket("t", new TenantLimits.Rate(1_000, 2_000));
        Bucket narrow = bucket("w", new TenantLimits.Rate(0.5, 1));

        Decision first = check(limiter, List.of(wide, narrow));
        long kept = limiter.tokens(wide.key());
        Decision second = check(limiter, List.of(wide, narrow));

        assertThat(first.admitted()).isTrue();
        assertThat(kept).as("the rest of the wide slice, kept here").isEqualTo(49);
        assertThat(second.admitted()).isFalse();
        assertThat(second.policies()).extracting(Decision.PolicyState::refused).containsExactly(false, true);
        assertThat(limiter.tokens(wide.key())).as("the refused request's wide token, given back").isEqualTo(49);
    }

    @Test
    void leasedTokensNotUsedWithinTheirLifetimeAreDropped() throws Exception {
        LeasedLimiter limiter = instance(LEASE);
        List<Bucket> buckets = List.of(bucket("t", new TenantLimits.Rate(1_000, 2_000)));
        check(limiter, buckets);
        assertThat(roundTrips.get(0).get()).isEqualTo(1);

        Thread.sleep(LeasedLimiter.LIFETIME_NANOS / 1_000_000 + 100);
        check(limiter, buckets);

        assertThat(roundTrips.get(0).get()).as("the old lease was dropped: a new slice was taken").isEqualTo(2);
        assertThat(limiter.tokens(buckets.get(0).key())).as("only the new slice's rest").isEqualTo(49);
    }

    @Test
    void twoLeasingInstancesTogetherAdmitOneTenantsLimitWithinTenPercent() throws Exception {
        TenantLimits.Rate rate = new TenantLimits.Rate(2_000, 400);
        LeasedLimiter first = instance(LEASE);
        LeasedLimiter second = instance(LEASE);
        List<Bucket> buckets = List.of(bucket("t", rate));
        AtomicInteger[] admitted = { new AtomicInteger(), new AtomicInteger() };
        AtomicInteger refused = new AtomicInteger();

        ExecutorService pool = Executors.newFixedThreadPool(16);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(3).toNanos();
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            loops.add(pool.submit(() -> SharedLimitTest.hammer(() -> check(first, buckets), end, admitted[0], refused)));
            loops.add(pool.submit(() -> SharedLimitTest.hammer(() -> check(second, buckets), end, admitted[1], refused)));
        }
        for (Future<?> f : loops) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;

        double expected = rate.burst() + rate.perSecond() * seconds;
        int total = admitted[0].get() + admitted[1].get();
        assertThat(refused.get()).as("the load was above the limit").isPositive();
        assertThat((double) total).as("admitted by both instances in %.2f s", seconds)
                .isBetween(0.9 * expected, 1.1 * expected);
        assertThat(admitted[0].get()).as("first instance's part").isGreaterThan(total / 5);
        assertThat(admitted[1].get()).as("second instance's part").isGreaterThan(total / 5);
        // and a refused request costs no round trip: until the next token is due, each instance refuses alone
        assertThat(roundTrips.get(0).get() + roundTrips.get(1).get())
                .as("round trips, against %d requests", total + refused.get()).isLessThan((total + refused.get()) / 10);
    }

    private static Decision check(LeasedLimiter limiter, List<Bucket> buckets) {
        return limiter.check(buckets).await().atMost(Duration.ofSeconds(5));
    }

    private final String tenant = "tessera:rl-test:{" + UUID.randomUUID() + "}:";

    private Bucket bucket(String suffix, TenantLimits.Rate rate) {
        return new Bucket(tenant + suffix + ":" + rate.intervalMicros() + "x" + rate.burst(), Decision.Policy.TENANT, rate);
    }

    /** One instance: its own Vert.x and Redis client, its round trips to Redis counted. */
    private LeasedLimiter instance(double lease) {
        Vertx vertx = Vertx.vertx();
        vertxes.add(vertx);
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:6379")
                .setMaxPoolSize(10).setMaxPoolWaiting(256));
        AtomicInteger count = new AtomicInteger();
        roundTrips.add(count);
        RedisLimiter counted = new RedisLimiter(redis, vertx, 2_000) {
            @Override
            Uni<Grant> take(List<Bucket> buckets, long[] wants) {
                count.incrementAndGet();
                return super.take(buckets, wants);
            }
        };
        return new LeasedLimiter(counted, lease, 1_000);
    }
}
