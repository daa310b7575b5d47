package dev.tessera.limits;

import java.util.Map;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.TooManyRequests;
import dev.tessera.tenancy.CurrentTenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantScoped;
import io.smallrye.mutiny.Uni;

/**
 * Holds every tenant request to its plan's rates: after the tenant is resolved from the token
 * (TenantRequestFilter runs first, at the default priority), before the resource and so before any
 * database work. A refused request gets 429 {@code rate-limited} with {@code Retry-After}; every answer
 * to an admitted request, 2xx or not, carries the {@code RateLimit} and {@code RateLimit-Policy} fields
 * (draft-ietf-httpapi-ratelimit-headers) of the policies that applied: {@code tenant}, {@code subject}
 * and, for a write, {@code write}.
 */
public class RateLimitFilter {

    static final String DECISION = RateLimitFilter.class.getName() + ".decision";

    private final CurrentTenant current;
    private final RateLimiter limiter;
    private final Plans plans;
    private final LimitsConfig config;

    RateLimitFilter(CurrentTenant current, RateLimiter limiter, Plans plans, LimitsConfig config) {
        this.current = current;
        this.limiter = limiter;
        this.plans = plans;
        this.config = config;
    }

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Response> limit(SimpleResourceInfo resource, ContainerRequestContext request) {
        if (!config.enabled() || resource.getResourceClass() == null
                || !resource.getResourceClass().isAnnotationPresent(TenantScoped.class)) {
            return Uni.createFrom().nullItem();
        }
        TenantContext context = current.get();
        return limiter.check(context.tenant(), plans.of(context.tenant()), context.userId(), isWrite(request.getMethod()))
                .map(decision -> {
                    if (!decision.admitted()) {
                        throw new TooManyRequests(ProblemType.RATE_LIMITED, "The tenant's plan allows no more requests "
                                + "of this kind right now; retry after " + decision.retryAfterSeconds() + " s",
                                decision.retryAfterSeconds(), fields(decision));
                    }
                    request.setProperty(DECISION, decision);
                    return null;
                });
    }

    @ServerResponseFilter
    public void addFields(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof Decision decision && !response.getHeaders().containsKey("RateLimit")) {
            response.getHeaders().add("RateLimit-Policy", policyField(decision));
            response.getHeaders().add("RateLimit", stateField(decision));
        }
    }

    static boolean isWrite(String method) {
        return !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method));
    }

    /** The two fields, as Structured Field lists: one item per policy. */
    static Map<String, String> fields(Decision d) {
        return Map.of("RateLimit-Policy", policyField(d), "RateLimit", stateField(d));
    }

    // Built on every answer: plain loops and one StringBuilder, no stream or collector per request.
    private static String policyField(Decision d) {
        StringBuilder field = new StringBuilder(64);
        for (Decision.PolicyState s : d.policies()) {
            if (!field.isEmpty()) {
                field.append(", ");
            }
            field.append('"').append(s.policy().field()).append("\";q=").append(s.rate().burst())
                    .append(";w=").append(s.rate().windowSeconds());
        }
        return field.toString();
    }

    private static String stateField(Decision d) {
        StringBuilder field = new StringBuilder(64);
        for (Decision.PolicyState s : d.policies()) {
            if (!field.isEmpty()) {
                field.append(", ");
            }
            field.append('"').append(s.policy().field()).append("\";r=").append(s.remaining()).append(";t=")
                    .append(s.refused() ? d.retryAfterSeconds() : (s.resetMicros() + 999_999) / 1_000_000);
        }
        return field.toString();
    }
}
