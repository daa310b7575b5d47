package dev.tessera.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The local fallback's GCRA, on a clock the test moves: the same answers the Redis script gives. */
class LocalLimiterTest {

    private static final TenantLimits.Rate TEN_PER_SECOND_BURST_3 = new TenantLimits.Rate(10, 3);

    @Test
    void admitsTheBurstThenOneRequestPerIntervalAndRefusesInBetween() {
        LocalLimiter limiter = new LocalLimiter(100);
        List<Bucket> b = List.of(new Bucket("k", Decision.Policy.TENANT, TEN_PER_SECOND_BURST_3));

        assertThat(limiter.check(b, 0).policies().get(0).remaining()).isEqualTo(2);
        assertThat(limiter.check(b, 0).policies().get(0).remaining()).isEqualTo(1);
        assertThat(limiter.check(b, 0).policies().get(0).remaining()).isZero();
        Decision refused = limiter.check(b, 0);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfterMicros()).isEqualTo(100_000);
        assertThat(limiter.check(b, 99_999).admitted()).isFalse();
        assertThat(limiter.check(b, 100_000).admitted()).isTrue();
        assertThat(limiter.check(b, 100_000).admitted()).isFalse();
    }

    @Test
    void aRefusalByOneBucketTakesNothingFromTheOthers() {
        LocalLimiter limiter = new LocalLimiter(100);
        Bucket wide = new Bucket("t", Decision.Policy.TENANT, TEN_PER_SECOND_BURST_3);
        Bucket narrow = new Bucket("w", Decision.Policy.WRITE, new TenantLimits.Rate(1, 1));

        assertThat(limiter.check(List.of(wide, narrow), 0).admitted()).isTrue();
        assertThat(limiter.check(List.of(wide, narrow), 0).admitted()).isFalse();

        assertThat(limiter.check(List.of(wide), 0).policies().get(0).remaining()).as("one of three taken before").isEqualTo(1);
    }

    @Test
    void dividesNothingItselfAndStaysWithinItsBound() {
        LocalLimiter limiter = new LocalLimiter(2);
        for (int i = 0; i < 5; i++) {
            limiter.check(List.of(new Bucket("k" + i, Decision.Policy.SUBJECT, TEN_PER_SECOND_BURST_3)), 0);
        }
        assertThat(limiter.size()).isEqualTo(2);
        assertThat(TEN_PER_SECOND_BURST_3.dividedBy(2)).isEqualTo(new TenantLimits.Rate(5, 2));
        assertThat(TEN_PER_SECOND_BURST_3.windowSeconds()).isEqualTo(1);
        assertThat(new TenantLimits.Rate(0.1, 2).windowSeconds()).isEqualTo(20);
    }
}
