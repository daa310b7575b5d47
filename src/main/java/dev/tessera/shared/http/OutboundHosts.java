package dev.tessera.shared.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.tessera.shared.error.InvalidInput;

/**
 * Where the service may send a request on behalf of a tenant (server-side request forgery guard), for
 * every outside URL a tenant registers: its own identity provider, its webhook endpoints. Without rules,
 * a registration could point the service at its own network (loopback, the cluster's private addresses,
 * a cloud metadata service at 169.254.169.254).
 *
 * <ul>
 * <li>https only; http only if the operator allows it (dev and test) or on an allowed host;</li>
 * <li>the host may be a name or a public address; a loopback, private, link-local, unique-local,
 * multicast or unspecified address, or {@code localhost}, only if the operator's list names it: checked at
 * registration for literal addresses ({@link #require}) and again, after resolution, before every request
 * ({@link #refusal});</li>
 * <li>redirects are never followed (each caller's client is configured so).</li>
 * </ul>
 * One instance per use, each with its own settings ({@code setting} names the allowed-hosts property in
 * messages).
 */
public final class OutboundHosts {

    private static final int MAX_LENGTH = 2000;

    private final boolean allowHttp;
    /** Entries as configured, lower case: {@code host} (any port) or {@code host:port}. */
    private final Set<String> allowed;
    private final String setting;

    public OutboundHosts(boolean allowHttp, List<String> allowedHosts, String setting) {
        this.allowHttp = allowHttp;
        this.allowed = allowedHosts.stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.setting = setting;
    }

    /**
     * The URL {@code value} if it may be registered: absolute, without user info, query or fragment, https
     * (or http as above), its host a name, a public address or an allowed host; otherwise 400 naming
     * {@code field}. With {@code query} true a query string is accepted (webhook URLs often carry one).
     */
    public URI require(String field, String value, boolean query) {
        URI uri = parse(field, value, query);
        boolean allowedHost = isAllowed(uri);
        if (!schemeAllowed(uri, allowedHost)) {
            throw new InvalidInput(field, "must use https");
        }
        InetAddress literal = literal(uri.getHost());
        if (!allowedHost && (isLocalName(uri.getHost()) || literal != null && !isPublic(literal))) {
            throw new InvalidInput(field, "must not name a loopback, private or link-local host "
                    + "(unless the operator allows it: " + setting + ")");
        }
        return uri;
    }

    /**
     * Whether a request may go to {@code target}, whose host resolved to {@code addresses}: the scheme
     * allowed, and every address public unless the host is allowed. Empty if allowed, else the reason.
     */
    public Optional<String> refusal(URI target, List<InetAddress> addresses) {
        boolean allowedHost = isAllowed(target);
        if (!schemeAllowed(target, allowedHost)) {
            return Optional.of("not https");
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
    public boolean isAllowed(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return allowed.contains(host) || allowed.contains(host + ":" + portOf(uri));
    }

    private boolean schemeAllowed(URI uri, boolean allowedHost) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("https") || scheme.equals("http") && (allowHttp || allowedHost);
    }

    /** The port a URL means: its own, or its scheme's default. */
    public static int portOf(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    /** Public unicast: not loopback, private (RFC 1918, fc00::/7), link-local (incl. 169.254.169.254), CGNAT, multicast or any. */
    public static boolean isPublic(InetAddress a) {
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
                    return isPublic(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isLocalName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost");
    }

    /** The address a host literally is (an IPv4 or bracketed IPv6 literal), without any lookup; else null. */
    public static InetAddress literal(String host) {
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

    private static URI parse(String field, String value, boolean query) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidInput(field, "must be an absolute https URL");
        }
        if (value.length() > MAX_LENGTH || !uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null
                || !query && uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidInput(field, "must be an absolute https URL without user info, " + (query ? "" : "query ")
                    + "or fragment");
        }
        return uri;
    }
}
