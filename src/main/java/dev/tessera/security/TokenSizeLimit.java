package dev.tessera.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.http.RawProblem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a bearer token longer than {@code tessera.security.token.max-length} with 401 problem+json
 * before anything reads it: no issuer lookup, no signature check, no cache entry. Every verified token
 * is remembered (VerifiedTokenCache), so the size of one token is also the size of one cache entry.
 */
@ApplicationScoped
public class TokenSizeLimit {

    private static final String BEARER = "bearer ";

    private final long maxLength;

    TokenSizeLimit(TokenLimitConfig config) {
        this.maxLength = config.maxLength().asLongValue();
    }

    void install(@Observes Router router) {
        // After the trace id (-1000), before the body limit (-900) and long before authentication.
        router.route().order(-950).handler(this::check);
    }

    private void check(RoutingContext rc) {
        String authorization = rc.request().getHeader("Authorization");
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && authorization.length() - BEARER.length() > maxLength) {
            rc.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            RawProblem.send(rc, ProblemType.UNAUTHORIZED, "The bearer token is longer than " + maxLength + " bytes");
            return;
        }
        rc.next();
    }
}
