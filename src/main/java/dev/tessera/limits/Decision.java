package dev.tessera.limits;

import java.util.List;

/**
 * The limiter's answer for one request: admitted or not, how long to wait if not, and where each policy
 * that applied stands now (the RateLimit and RateLimit-Policy fields).
 *
 * @param shared true if Redis decided (every replica's requests counted), false if this instance alone did
 */
public record Decision(boolean admitted, long retryAfterMicros, List<PolicyState> policies, boolean shared) {

    /** One policy after this request: what remains of its burst and when it is full again. */
    public record PolicyState(Policy policy, TenantLimits.Rate rate, long remaining, long resetMicros, boolean refused) {
    }

    /** The policies a tenant request is checked against, named as in the RateLimit fields. */
    public enum Policy {
        /** Every request of the tenant. */
        TENANT("tenant"),
        /** Every request of one token subject of the tenant. */
        SUBJECT("subject"),
        /** Every write of the tenant. */
        WRITE("write");

        private final String field;

        Policy(String field) {
            this.field = field;
        }

        /** The policy's name in the RateLimit fields and the metrics. */
        public String field() {
            return field;
        }
    }

    /** Whole seconds to wait before a retry may be admitted (Retry-After), at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMicros + 999_999) / 1_000_000);
    }
}
