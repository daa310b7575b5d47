package dev.tessera.tenancy.idp;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The issuer of the platform identity provider: {@code quarkus.oidc.token.issuer} when set, otherwise
 * {@code quarkus.oidc.auth-server-url} (which, for Keycloak, is the issuer its discovery announces).
 */
@ApplicationScoped
public class PlatformIssuer {

    private final String issuer;

    PlatformIssuer(@ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> tokenIssuer,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> authServerUrl) {
        this.issuer = tokenIssuer.filter(s -> !s.isBlank()).or(() -> authServerUrl.filter(s -> !s.isBlank())).orElse("");
    }

    public boolean is(String candidate) {
        return issuer.equals(candidate);
    }
}
