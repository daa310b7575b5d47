package dev.tessera.tenancy.idp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tessera.tenancy.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Names the quarkus-oidc tenant configuration of a tenant's own identity provider, and reads it back
 * from a verified identity.
 *
 * <p>The name is {@code idp-<tenant id>-<fingerprint of issuer, JWKS URL and audience>}. quarkus-oidc keeps
 * one verification context per name for the life of the process; with the fingerprint in it, a changed
 * registration gets a fresh context (new discovery, new keys) instead of the old one's keys.
 */
public final class OidcTenantIds {

    /** The identity attribute in which quarkus-oidc records the name of the configuration that verified the token. */
    public static final String ATTRIBUTE = "tenant-id";
    private static final Pattern NAME = Pattern.compile("idp-([0-9a-f-]{36})-[0-9a-f]{16}");

    private OidcTenantIds() {
    }

    static String of(UUID tenant, IdentityProvider idp) {
        String registration = idp.issuer() + '\n' + idp.jwksUrl() + '\n' + idp.audience();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(registration.getBytes(StandardCharsets.UTF_8));
            return "idp-" + tenant + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The tenant whose own identity provider verified this identity's token; empty for the platform IdP. */
    public static Optional<UUID> tenantOf(SecurityIdentity identity) {
        Object name = identity.getAttribute(ATTRIBUTE);
        if (!(name instanceof String s)) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(s);
        return m.matches() ? Optional.of(UUID.fromString(m.group(1))) : Optional.empty();
    }
}
