package dev.tessera.tenancy.idp;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.http.OutboundHosts;
import dev.tessera.tenancy.TenancyConfig;

/**
 * Where the service may send requests on behalf of a tenant's own identity provider (server-side request
 * forgery guard). A tenant's issuer and JWKS URL are outside URLs: without rules, a registration could
 * point the service's discovery and key fetches at its own network (loopback, the cluster's private
 * addresses, a cloud metadata service at 169.254.169.254).
 *
 * <ul>
 * <li>https only; http only with {@code tessera.tenancy.idp.allow-http} (dev and test) or on an allowed host;</li>
 * <li>the host may be a name or a public address; a loopback, private, link-local, unique-local,
 * multicast or unspecified address, or {@code localhost}, only if {@code tessera.tenancy.idp.allowed-hosts}
 * names it (checked at registration for literal addresses and again, after resolution, before every
 * request: {@link IdpRequestGuard});</li>
 * <li>the JWKS URL, registered or from discovery, on the issuer's own origin (scheme, host, port) unless its
 * host is allowed;</li>
 * <li>redirects are not followed (the tenant configurations set {@code follow-redirects=false}).</li>
 * </ul>
 * The address rules are {@link OutboundHosts}', shared with webhook endpoints; the origin rule is the IdP's own.
 */
@ApplicationScoped
public class IdpHostPolicy {

    private final OutboundHosts hosts;

    @Inject
    IdpHostPolicy(TenancyConfig config) {
        this(config.idp().allowHttp(), config.idp().allowedHosts().orElse(List.of()));
    }

    IdpHostPolicy(boolean allowHttp, List<String> allowedHosts) {
        this.hosts = new OutboundHosts(allowHttp, allowedHosts, "tessera.tenancy.idp.allowed-hosts");
    }

    /**
     * Returns {@code value} unchanged if it may be registered as an issuer or JWKS URL: absolute, without
     * user info, query or fragment, https (or http as above), its host a name, a public address or an
     * allowed host; otherwise 400 naming {@code field}. The value is kept exactly as given: quarkus-oidc
     * compares {@code iss} as a string.
     */
    public String require(String field, String value) {
        hosts.require(field, value, false);
        return value;
    }

    /** 400 unless the JWKS URL is on the issuer's origin, or on an allowed host. */
    public void requireOnIssuersOrigin(String field, String issuer, String jwksUrl) {
        if (jwksUrl != null && issuer != null && !onIssuersOrigin(URI.create(issuer), URI.create(jwksUrl))) {
            throw new InvalidInput(field, "must be on the issuer's own origin (scheme, host and port)");
        }
    }

    /**
     * Whether a request of the identity provider registered with {@code issuer} may go to {@code target},
     * whose host resolved to {@code addresses}: the issuer's origin or an allowed host, and every address
     * public unless the host is allowed. Empty if allowed, else the reason.
     */
    Optional<String> refusal(URI issuer, URI target, List<InetAddress> addresses) {
        if (hosts.refusal(target, List.of()).isEmpty() && !onIssuersOrigin(issuer, target)) {
            return Optional.of("not on the issuer's origin");
        }
        return hosts.refusal(target, addresses);
    }

    /** Whether the host (with or without the URL's port) is on the operator's list. */
    boolean isAllowed(URI uri) {
        return hosts.isAllowed(uri);
    }

    boolean onIssuersOrigin(URI issuer, URI target) {
        return issuer.getScheme().equalsIgnoreCase(target.getScheme()) && issuer.getHost().equalsIgnoreCase(target.getHost())
                && OutboundHosts.portOf(issuer) == OutboundHosts.portOf(target) || isAllowed(target);
    }
}
