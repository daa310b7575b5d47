package dev.tessera.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

/** Mints bearer tokens that the test profile verifies (the throwaway dev key), and broken ones. */
public final class TestTokens {

    public static final String ISSUER = "https://tessera.dev/dev-issuer";
    public static final String AUDIENCE = "tessera-api";

    private TestTokens() {
    }

    public static String member(String tenant) {
        return forTenant(tenant, "tenant-member");
    }

    public static String admin(String tenant) {
        return forTenant(tenant, "tenant-admin");
    }

    /** A platform administrator: no tenant. */
    public static String platformAdmin() {
        return claims("platform-ops").groups(Set.of("platform-admin")).sign(devKey());
    }

    public static String forTenant(String tenant, String... roles) {
        return claims(tenant + "-user").claim("tenant_id", tenant).groups(Set.of(roles)).sign(devKey());
    }

    /** A token carrying its roles the Keycloak way, in realm_access.roles, with no groups claim. */
    public static String keycloakStyle(String tenant, String role) {
        return claims(tenant + "-kc-user").claim("tenant_id", tenant)
                .claim("realm_access", java.util.Map.of("roles", java.util.List.of(role))).sign(devKey());
    }

    /** Standard claims of a valid token; callers add or break what they test. */
    public static JwtClaimsBuilder claims(String subject) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).upn(subject).expiresIn(300);
    }

    public static PrivateKey devKey() {
        return key(Path.of("dev/keys/dev-signing-key.pem"));
    }

    public static PrivateKey foreignKey() {
        return key(Path.of("src/test/resources/keys/foreign-key.pem"));
    }

    private static PrivateKey key(Path pem) {
        try {
            return KeyUtils.decodePrivateKey(Files.readString(pem));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read " + pem.toAbsolutePath(), e);
        }
    }
}
