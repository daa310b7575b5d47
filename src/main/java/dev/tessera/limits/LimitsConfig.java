package dev.tessera.limits;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How rate limits are enforced: shared in Redis, with a local limiter when Redis does not answer. */
@ConfigMapping(prefix = "tessera.limits")
public interface LimitsConfig {

    /** Check request and write rates on every tenant request. Off: no rate limit at all (the connection share stays). Default: true. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The longest a request waits for Redis's answer; past it the request is checked by this instance's
     * local limiter instead (fail open, never a 5xx). Default: 100ms.
     */
    @WithDefault("100ms")
    Duration redisTimeout();

    /**
     * After Redis failed or was slow, how long this instance limits locally before it asks Redis again:
     * requests do not each wait for a Redis that is down. Default: 2s.
     */
    @WithDefault("2s")
    Duration redisBackoff();

    /**
     * While Redis is away each instance enforces 1/n of every limit on its own, n being this setting:
     * set it to the usual number of replicas so that all of them together stay near the limit. Default: 1.
     */
    @WithDefault("1")
    int fallbackReplicas();

    /**
     * How much of a bucket an instance takes from Redis at once, as time at the bucket's rate: a lease of
     * rate x this many tokens (at most a tenth of the burst, at least one), used by the following requests
     * without a round trip to Redis. Each replica can run at most one lease ahead of the shared bucket.
     * 0s: every request asks Redis. Default: 50ms.
     */
    @WithDefault("50ms")
    Duration lease();

    /** Prefix of the limiter's keys in Redis (several deployments may share one Redis). Default: tessera:rl:. */
    @WithDefault("tessera:rl:")
    String keyPrefix();

    /** The local limiter keeps at most this many buckets (tenants and subjects); the least recent go first. Default: 100000. */
    @WithDefault("100000")
    int localMaxKeys();
}
