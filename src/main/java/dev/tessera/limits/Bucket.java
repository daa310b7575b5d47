package dev.tessera.limits;

/** One bucket a request is counted against: its key (in Redis and in the local limiter), policy and rate. */
record Bucket(String key, Decision.Policy policy, TenantLimits.Rate rate) {
}
