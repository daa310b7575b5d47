package dev.tessera.limits;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness detail of the rate limiter: always UP (a Redis outage must not take every replica out of
 * service: the limiter fails open to each instance's local limits), with {@code redis} = available or
 * unavailable and {@code mode} = shared or local, so an operator sees which one holds. Reads the limiter's
 * state only: no Redis round trip per probe.
 */
@Readiness
@ApplicationScoped
public class RateLimitHealthCheck implements HealthCheck {

    private final RateLimiter limiter;
    private final LimitsConfig config;

    RateLimitHealthCheck(RateLimiter limiter, LimitsConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("rate-limits").up();
        if (!config.enabled()) {
            return b.withData("mode", "off").build();
        }
        boolean shared = limiter.shared();
        b.withData("redis", shared ? "available" : "unavailable").withData("mode", shared ? "shared" : "local");
        if (!shared && limiter.lastFailure() != null) {
            b.withData("lastFailure", limiter.lastFailure());
        }
        return b.build();
    }
}
