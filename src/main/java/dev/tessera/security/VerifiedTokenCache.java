package dev.tessera.security;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.runtime.OidcIdentityProvider;
import io.quarkus.oidc.runtime.OidcUtils;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Verifies bearer tokens through quarkus-oidc once, then remembers the verified identity until the
 * token expires (or the configured TTL passes), so that a client reusing its token does not pay for
 * signature verification and claim parsing on every request.
 *
 * <p>Why this is safe: the key is the whole token text together with the OIDC tenant that quarkus-oidc
 * chose for this request, so only the very same signed bytes, routed to the same issuer configuration,
 * can hit; a changed byte is a miss and is verified in full. Nothing that failed verification is kept.
 * An entry dies at the token's {@code exp}, so an expired token is verified again and refused. Tenant
 * state (suspended, unknown) is not part of the identity and is still checked on every request.
 */
@ApplicationScoped
public class VerifiedTokenCache implements IdentityProvider<TokenAuthenticationRequest> {

    private final OidcIdentityProvider oidc;
    private final TokenCacheConfig config;
    private final Cache<Key, SecurityIdentity> identities;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    VerifiedTokenCache(OidcIdentityProvider oidc, TokenCacheConfig config) {
        this.oidc = oidc;
        this.config = config;
        this.identities = Caffeine.newBuilder().maximumWeight(config.maximumWeight().asLongValue())
                .weigher(VerifiedTokenCache::weigh).expireAfter(new UntilExpiry(config.ttl())).build();
    }

    /**
     * Publishes the counts once the application has started: security builds its identity providers
     * early, before the metric registries are complete, and a meter registered then may never be scraped.
     */
    void publish(@Observes StartupEvent started, MeterRegistry metrics) {
        FunctionCounter.builder("tessera.auth.token.cache", hits, LongAdder::doubleValue).tag("result", "hit")
                .description("Bearer tokens served from the verified-token cache").register(metrics);
        FunctionCounter.builder("tessera.auth.token.cache", misses, LongAdder::doubleValue).tag("result", "miss")
                .description("Bearer tokens verified in full").register(metrics);
    }

    /**
     * An entry's estimated size in bytes: the token's text in the key and in the parsed token, its decoded
     * claims (about as long again), and about 1 KiB of identity, principal and role set around them. Tokens
     * are bounded in length before they get here (TokenSizeLimit), so the count cannot overflow.
     */
    static int weigh(Key key, SecurityIdentity identity) {
        return 3 * key.token().length() + 1024;
    }

    /** The estimated bytes held now (tests compare it with the configured bound). */
    long weightedSize() {
        identities.cleanUp();
        return identities.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /**
     * Ahead of quarkus-oidc's own provider, which it calls on a miss. That one has the interface's default
     * priority (SYSTEM_FIRST + 1); with an equal priority the order between the two would be arbitrary.
     */
    @Override
    public int priority() {
        return SYSTEM_FIRST * 2;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (!config.enabled() || http == null) {
            return oidc.authenticate(request, context);
        }
        Key key = new Key(http.get(OidcUtils.TENANT_ID_ATTRIBUTE), request.getToken().getToken());
        SecurityIdentity known = identities.getIfPresent(key);
        if (known != null) {
            hits.increment();
            // The identity quarkus-oidc built carries the routing context of the request that verified it.
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder(known)
                    .addAttribute(RoutingContext.class.getName(), http).build());
        }
        misses.increment();
        return oidc.authenticate(request, context).invoke(verified -> {
            if (verified != null && verified.getPrincipal() instanceof JsonWebToken) {
                identities.put(key, verified);
            }
        });
    }

    /** The OIDC tenant (configuration) the token was routed to, and the token's full text. */
    record Key(String oidcTenant, String token) {
    }

    /** An entry lives until the token's expiry, at most the configured TTL. */
    private static final class UntilExpiry implements Expiry<Key, SecurityIdentity> {

        private final long ttlNanos;

        UntilExpiry(Duration ttl) {
            this.ttlNanos = ttl.toNanos();
        }

        @Override
        public long expireAfterCreate(Key key, SecurityIdentity identity, long currentTime) {
            long expiresAt = ((JsonWebToken) identity.getPrincipal()).getExpirationTime();
            long left = Duration.between(Instant.now(), Instant.ofEpochSecond(expiresAt)).toNanos();
            return Math.max(0, Math.min(ttlNanos, left));
        }

        @Override
        public long expireAfterUpdate(Key key, SecurityIdentity identity, long currentTime, long currentDuration) {
            return expireAfterCreate(key, identity, currentTime);
        }

        @Override
        public long expireAfterRead(Key key, SecurityIdentity identity, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
