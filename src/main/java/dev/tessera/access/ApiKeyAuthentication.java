package dev.tessera.access;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code Authorization: Bearer tsk_live_...}: a request authenticated by a tenant's API key. Runs before
 * the OIDC mechanism and takes only bearer credentials that start like a key; every other request is
 * left to OIDC untouched. A credential that starts like a key but is malformed, unknown, revoked, expired
 * or wrong is refused (401), never handed to the JWT verifier.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {

    private static final String BEARER = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String credential = authorization.substring(BEARER.length()).trim();
        if (!ApiKeyText.looksLikeOne(credential)) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new Request(credential), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(HttpResponseStatus.UNAUTHORIZED.code(),
                HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(Request.class);
    }

    /** Ahead of quarkus-oidc's mechanism (default priority), which would try to verify the key as a JWT. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    /** The credential of one request: the text after {@code Bearer}. */
    public static final class Request extends BaseAuthenticationRequest {

        private final String credential;

        Request(String credential) {
            this.credential = credential;
        }

        String credential() {
            return credential;
        }
    }

    /** Checks a key and builds the identity it grants: its tenant, its roles, actor {@code key:<id>}. */
    @ApplicationScoped
    public static class Provider implements IdentityProvider<Request> {

        private final ApiKeys keys;

        Provider(ApiKeys keys) {
            this.keys = keys;
        }

        @Override
        public Class<Request> getRequestType() {
            return Request.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(Request request, AuthenticationRequestContext context) {
            var text = ApiKeyText.parse(request.credential());
            if (text.isEmpty()) {
                return Uni.createFrom().failure(new AuthenticationFailedException("The API key is malformed"));
            }
            return keys.authenticate(text.get()).map(found -> {
                StoredKey key = found.orElseThrow(() -> new AuthenticationFailedException("The API key is not valid"));
                return QuarkusSecurityIdentity.builder()
                        .setPrincipal(new ApiKeyPrincipal(key.id(), key.tenantId()))
                        .addRoles(key.roles())
                        .build();
            });
        }
    }
}
