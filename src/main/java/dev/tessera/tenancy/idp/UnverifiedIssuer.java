package dev.tessera.tenancy.idp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import io.vertx.core.json.JsonObject;

/**
 * Reads the {@code iss} of a bearer token before it is verified, only to choose which keys verify it.
 *
 * <p>Nothing read here is trusted: quarkus-oidc then checks signature, issuer, audience and expiry
 * against the configuration this value selected, so a forged {@code iss} only selects keys that will not
 * verify the token.
 */
final class UnverifiedIssuer {

    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private UnverifiedIssuer() {
    }

    static Optional<String> of(String authorization) {
        if (authorization == null || authorization.length() > MAX_TOKEN_LENGTH
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String[] parts = authorization.substring(7).trim().split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return payload.getValue("iss") instanceof String iss ? Optional.of(iss) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // not a JWT we can read: quarkus-oidc rejects it with the platform's config
        }
    }
}
