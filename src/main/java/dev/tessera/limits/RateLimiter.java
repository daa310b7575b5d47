package dev.tessera.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.tenancy.Tenant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * Decides whether a tenant request may go on, before it does any database work: shared in Redis by
 * every replica (in leases of a few tokens at a time where the rate is high, {@link LeasedLimiter}), or,
 * when Redis does not answer within {@code tessera.limits.redis-timeout}, by this instance alone
 * ({@link LocalLimiter}) with each limit divided by {@code tessera.limits.fallback-replicas}.
 *
 * <p>Fail open, by choice: a Redis outage must not become an outage of the API. After a failure this
 * instance stays local for {@code tessera.limits.redis-backoff}, so that requests do not each wait for a
 * Redis that is down, then tries Redis again. Metrics: {@code tessera_rate_limit_decisions_total}
 * (source redis or local, outcome admitted or refused), {@code tessera_rate_limit_refused_total}
 * (policy), {@code tessera_rate_limit_redis_failures_total}, {@code tessera_rate_limit_redis_available};
 * the readiness check shows the same (RateLimitHealthCheck).
 */
@ApplicationScoped
public class RateLimiter {

    private final LimitsConfig config;
    private final LeasedLimiter shared;
    private final LocalLimiter local;
    private final long backoffNanos;
    /** System.nanoTime() before which this instance does not ask Redis (0: ask). */
    private final AtomicLong localUntil = new AtomicLong();
    private final Map<String, String> digests = new ConcurrentHashMap<>();
    private final AtomicInteger available = new AtomicInteger(1);
    private volatile String lastFailure;
    private final Counter redisFailures;
    private final Meters meters;

    RateLimiter(LimitsConfig config, Redis redis, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.shared = new LeasedLimiter(new RedisLimiter(redis, vertx, config.redisTimeout().toMillis()),
                config.lease().toNanos() / 1e9, config.localMaxKeys());
        this.local = new LocalLimiter(config.localMaxKeys());
        this.backoffNanos = config.redisBackoff().toNanos();
        this.redisFailures = Counter.builder("tessera.rate.limit.redis.failures")
                .description("Rate limit checks Redis failed or did not answer in time (checked locally instead)")
                .register(registry);
        Gauge.builder("tessera.rate.limit.redis.available", available, AtomicInteger::get)
                .description("1 while rate limits are shared in Redis, 0 while this instance limits alone")
                .register(registry);
        this.meters = new Meters(registry);
    }

    /** Checks one request of {@code subject} for {@code tenant} (a write if {@code write}) against its limits. */
    public Uni<Decision> check(Tenant tenant, TenantLimits limits, String subject, boolean write) {
        List<Bucket> buckets = buckets(tenant, limits, subject, write);
        long until = localUntil.get();
        if (until != 0 && System.nanoTime() - until < 0) {
            return Uni.createFrom().item(counted(locally(buckets)));
        }
        return shared.check(buckets).invoke(d -> {
            if (until != 0) {
                localUntil.compareAndSet(until, 0);
                if (available.getAndSet(1) == 0) {
                    Log.info("Rate limits are shared in Redis again");
                }
            }
        }).onFailure().recoverWithItem(e -> {
            redisFailures.increment();
            lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (available.getAndSet(0) == 1) {
                Log.warnf("Redis failed (%s): rate limits are kept by each instance alone for now", lastFailure);
            }
            localUntil.set(System.nanoTime() + backoffNanos);
            return locally(buckets);
        }).map(this::counted);
    }

    /** Whether rate limits are shared in Redis right now (false while this instance limits alone). */
    public boolean shared() {
        return available.get() == 1;
    }

    /** The last Redis failure this instance saw, if any (for the readiness check). */
    public String lastFailure() {
        return lastFailure;
    }

    private Decision locally(List<Bucket> buckets) {
        int n = config.fallbackReplicas();
        List<Bucket> divided = n <= 1 ? buckets
                : buckets.stream().map(b -> new Bucket(b.key(), b.policy(), b.rate().dividedBy(n))).toList();
        return local.check(divided, System.nanoTime() / 1_000);
    }

    private Decision counted(Decision d) {
        meters.count(d);
        return d;
    }

    /**
     * The buckets of a request. Keys carry the tenant id in braces (one Redis Cluster slot per tenant, so
     * the script's keys are together); the subject is hashed: its text is the caller's, never a key's.
     * Each key ends with its rate and burst: a bucket's stored time means something only for the
     * parameters it was counted with (a free tenant's bucket, empty for seconds to come, would hold back
     * the same tenant moved to enterprise), so a change of limits starts a fresh, full bucket and the old
     * key expires on its own.
     */
    List<Bucket> buckets(Tenant tenant, TenantLimits limits, String subject, boolean write) {
        String base = config.keyPrefix() + "{" + tenant.id() + "}:";
        List<Bucket> buckets = new ArrayList<>(3);
        buckets.add(bucket(base + "t", Decision.Policy.TENANT, limits.tenant()));
        buckets.add(bucket(base + "s:" + digest(subject), Decision.Policy.SUBJECT, limits.subject()));
        if (write) {
            buckets.add(bucket(base + "w", Decision.Policy.WRITE, limits.write()));
        }
        return buckets;
    }

    private static Bucket bucket(String key, Decision.Policy policy, TenantLimits.Rate rate) {
        return new Bucket(key + ":" + rate.intervalMicros() + "x" + rate.burst(), policy, rate);
    }

    /** The subject's part of its bucket key, remembered per subject (bounded: forgotten all at once when full). */
    private String digest(String subject) {
        String known = digests.get(subject);
        if (known != null) {
            return known;
        }
        if (digests.size() >= config.localMaxKeys()) {
            digests.clear();
        }
        String digest = hash(subject);
        digests.put(subject, digest);
        return digest;
    }

    private static String hash(String subject) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decisions by source and outcome, refusals by policy: bounded tags only. */
    private static final class Meters {
        private final Counter redisAdmitted;
        private final Counter redisRefused;
        private final Counter localAdmitted;
        private final Counter localRefused;
        private final Counter[] refusedBy = new Counter[Decision.Policy.values().length];

        Meters(MeterRegistry registry) {
            redisAdmitted = decisions(registry, "redis", "admitted");
            redisRefused = decisions(registry, "redis", "refused");
            localAdmitted = decisions(registry, "local", "admitted");
            localRefused = decisions(registry, "local", "refused");
            for (Decision.Policy p : Decision.Policy.values()) {
                refusedBy[p.ordinal()] = Counter.builder("tessera.rate.limit.refused")
                        .description("Requests refused with 429 rate-limited, by the policy that refused them")
                        .tag("policy", p.field()).register(registry);
            }
        }

        private static Counter decisions(MeterRegistry registry, String source, String outcome) {
            return Counter.builder("tessera.rate.limit.decisions")
                    .description("Rate limit decisions: shared in Redis or local to this instance (Redis away)")
                    .tag("source", source).tag("outcome", outcome).register(registry);
        }

        void count(Decision d) {
            (d.shared() ? (d.admitted() ? redisAdmitted : redisRefused) : (d.admitted() ? localAdmitted : localRefused)).increment();
            if (!d.admitted()) {
                d.policies().stream().filter(Decision.PolicyState::refused).forEach(s -> refusedBy[s.policy().ordinal()].increment());
            }
        }
    }
}
