package dev.tessera.tenancy.idp;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;
import io.quarkus.logging.Log;
import io.quarkus.oidc.common.OidcRequestFilter;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;

/**
 * Checks every request quarkus-oidc sends for a tenant's own identity provider (discovery, JWKS) just
 * before it leaves: the target must be on the issuer's origin (or an allowed host), and its host must
 * resolve to public addresses only (or be allowed): {@link IdpHostPolicy}. A refused request fails, so
 * the token it was for is answered 401; nothing is sent. The platform's own IdP is not checked (the
 * operator configured it).
 *
 * <p>Resolution happens here with the JVM's resolver, and the tenant configurations use the same
 * (blocking) lookup for the request itself, so both see the JVM's cached answer: a name that resolves to
 * a public address for this check and to a private one a moment later (DNS rebinding) would need its
 * answer to change inside the JVM's cache lifetime ({@code networkaddress.cache.ttl}, 30 s by default)
 * between two lookups microseconds apart.
 */
@ApplicationScoped
@Unremovable
public class IdpRequestGuard implements OidcRequestFilter {

    private final IdpHostPolicy policy;
    private final TenantIdpConfigResolver resolver;

    IdpRequestGuard(IdpHostPolicy policy, TenantIdpConfigResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    @Override
    public Uni<Void> filter(OidcRequestFilterContext context) {
        Optional<String> issuer = resolver.issuerOf(context.contextProperties().getString(OidcTenantIds.ATTRIBUTE));
        if (issuer.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        var request = context.request().getDelegate();
        // Belt and braces: the tenant configurations already say follow-redirects=false.
        request.followRedirects(false);
        String host = request.host().contains(":") && !request.host().startsWith("[") ? "[" + request.host() + "]" : request.host();
        URI target = URI.create((Boolean.TRUE.equals(request.ssl()) ? "https" : "http") + "://" + host + ":" + request.port()
                + request.uri());
        return context.runBlocking(() -> {
            List<InetAddress> addresses;
            try {
                addresses = List.of(InetAddress.getAllByName(target.getHost()));
            } catch (UnknownHostException e) {
                throw refused("its host does not resolve");
            }
            policy.refusal(URI.create(issuer.get()), target, addresses).ifPresent(reason -> {
                Log.warnf("Refused a request to a tenant identity provider (issuer %s): %s is %s", issuer.get(), target, reason);
                throw refused(reason);
            });
        });
    }

    /** The token cannot be verified: 401, as for any other token that fails verification. */
    private static AuthenticationFailedException refused(String reason) {
        return new AuthenticationFailedException("Request to the tenant identity provider refused: " + reason);
    }
}
