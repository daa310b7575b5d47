package dev.tessera.tenancy.idp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

import dev.tessera.shared.error.InvalidInput;

/** Checks the URLs of a tenant identity provider registration before they are stored. */
public final class IssuerUrls {

    /** Hosts on which http:// is accepted without the dev/test switch. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
    private static final int MAX_LENGTH = 2000;

    private IssuerUrls() {
    }

    /**
     * Returns {@code value} unchanged if it is an absolute https URL (http only on a loopback host, or
     * anywhere when {@code allowHttp}), without user info, query or fragment; otherwise 400 naming {@code field}.
     * The issuer is kept exactly as given: quarkus-oidc compares {@code iss} as a string.
     */
    public static String require(String field, String value, boolean allowHttp) {
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
        String scheme = uri.getScheme().toLowerCase();
        boolean http = scheme.equals("http") && (allowHttp || LOOPBACK.contains(uri.getHost().toLowerCase()));
        if (!scheme.equals("https") && !http) {
            throw new InvalidInput(field, "must use https (http only for 127.0.0.1 or localhost)");
        }
        return value;
    }
}
