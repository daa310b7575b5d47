package dev.tessera.tenancy;

import java.util.Objects;

/**
 * A tenant's own identity provider: the issuer its tokens carry and how to verify them.
 *
 * @param issuer   the exact {@code iss} of its tokens; discovery is read from {@code <issuer>/.well-known/openid-configuration}
 * @param jwksUrl  an explicit JWKS URL instead of discovery, or null
 * @param audience the {@code aud} its tokens must carry, or null for the platform's audience
 */
public record IdentityProvider(String issuer, String jwksUrl, String audience) {

    public IdentityProvider {
        Objects.requireNonNull(issuer, "issuer");
    }
}
