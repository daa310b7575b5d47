package dev.tessera.tenancy.idp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tessera.shared.error.InvalidInput;
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
 */
@ApplicationScoped
public class IdpHostPolicy {

    private static final int MAX_LENGTH = 2000;

    private final boolean allowHttp;
    /** Entries as configured, lower case: {@code host} (any port) or {@code host:port}. */
    private final Set<String> allowed;

    @Inject
    IdpHostPolicy(TenancyConfig config) {
        this(config.idp().allowHttp(), config.idp().allowedHosts().orElse(List.of()));
    }

    IdpHostPolicy(boolean allowHttp, List<String> allowedHosts) {
        this.allowHttp = allowHttp;
        this.allowed = allowedHosts.stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Returns {@code value} unchanged if it may be registered as an issuer or JWKS URL: absolute, without
     * user info, query or fragment, https (or http as above), its host a name, a public address or an
     * allowed host; otherwise 400 naming {@code field}. The value is kept exactly as given: quarkus-oidc
     * compares {@code iss} as a string.
     */
    public String require(String field, String value) {
        URI uri = parse(field, value);
        boolean allowedHost = isAllowed(uri);
        if (!schemeAllowed(uri, allowedHost)) {
            throw new InvalidInput(field, "must use https");
        }
        InetAddress literal = literal(uri.getHost());
        if (!allowedHost && (isLocalName(uri.getHost()) || literal != null && !isPublic(literal))) {
            throw new InvalidInput(field, "must not name a loopback, private or link-local host "
                    + "(unless the operator allows it: tessera.tenancy.idp.allowed-hosts)");
        }
        return value;
    }

    private boolean schemeAllowed(URI uri, boolean allowedHost) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("https") || scheme.equals("http") && (allowHttp || allowedHost);
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
        boolean allowedHost = isAllowed(target);
        if (!schemeAllowed(target, allowedHost)) {
            return Optional.of("not https");
        }
        if (!onIssuersOrigin(issuer, target)) {
            return Optional.of("not on the issuer's origin");
        }
        if (!allowedHost) {
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    return Optional.of("its host resolves to a non-public address");
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the host (with or without the URL's port) is on the operator's list. */
    boolean isAllowed(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        return allowed.contains(host) || allowed.contains(host + ":" + port);
    }

    boolean onIssuersOrigin(URI issuer, URI target) {
        return issuer.getScheme().equalsIgnoreCase(target.getScheme()) && issuer.getHost().equalsIgnoreCase(target.getHost())
                && portOf(issuer) == portOf(target) || isAllowed(target);
    }

    /** Public unicast: not loopback, private (RFC 1918, fc00::/7), link-local (incl. 169.254.169.254), CGNAT, multicast or any. */
    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128) // 100.64/10 carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0/24 protocol assignments
                    && first < 240; // 240/4 reserved, 255.255.255.255
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local
                return false;
            }
            // ::ffff:a.b.c.d and the like: judge the embedded IPv4 address
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int portOf(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    private static boolean isLocalName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost");
    }

    /** The address a host literally is (an IPv4 or bracketed IPv6 literal), without any lookup; else null. */
    static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipv4 = h.matches("[0-9.]+");
        boolean ipv6 = h.contains(":") && h.matches("[0-9a-fA-F:.%]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static URI parse(String field, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidInput(field, "must be an absolute https URL");
        }
        if (value.length() > MAX_LENGTH || !uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidInput(field, "must be an absolute https URL without user info, query or fragment");
        }
        return uri;
    }
}
