package dev.tessera.tenancy.provisioning;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.shared.error.InvalidInput;
import dev.tessera.tenancy.TenantEntity;
import dev.tessera.tenancy.idp.IdpHostPolicy;
import dev.tessera.tenancy.idp.PlatformIssuer;
import io.vertx.core.json.JsonObject;

/** Validates a tenant's own identity provider registration and writes it into the tenant row. */
@ApplicationScoped
class IdentityProviderRegistration {

    /** The unique index that keeps one issuer to one tenant (V008). */
    static final String UNIQUE_ISSUER = "ix_tenants_oidc_issuer";

    private final IdpHostPolicy hosts;
    private final PlatformIssuer platform;

    IdentityProviderRegistration(IdpHostPolicy hosts, PlatformIssuer platform) {
        this.hosts = hosts;
        this.platform = platform;
    }

    /** Registers what a create request asks for (nothing if it names no issuer). */
    void onCreate(TenantEntity t, TenantAdminRequests.CreateTenant req) {
        if (blank(req.oidcIssuer())) {
            requireAbsent(req.oidcJwksUrl(), "oidcJwksUrl");
            requireAbsent(req.oidcAudience(), "oidcAudience");
            return;
        }
        replace(t, req.oidcIssuer(), req.oidcJwksUrl(), req.oidcAudience());
    }

    /** Applies a PATCH to the registration and describes the change for the platform audit. */
    void onUpdate(TenantEntity t, TenantAdminRequests.UpdateTenant req, JsonObject details) {
        if (!req.changesIdentityProvider()) {
            return;
        }
        JsonObject before = describe(t);
        if (req.oidcIssuer() != null && req.oidcIssuer().isEmpty()) {
            requireAbsent(req.oidcJwksUrl(), "oidcJwksUrl");
            requireAbsent(req.oidcAudience(), "oidcAudience");
            t.oidcIssuer = t.oidcJwksUrl = t.oidcAudience = null;
        } else if (req.oidcIssuer() != null) {
            replace(t, req.oidcIssuer(), req.oidcJwksUrl(), req.oidcAudience());
        } else {
            if (t.oidcIssuer == null) {
                throw new InvalidInput("oidcIssuer", "is needed before a JWKS URL or an audience can be set");
            }
            if (req.oidcJwksUrl() != null) {
                t.oidcJwksUrl = req.oidcJwksUrl().isEmpty() ? null : url("oidcJwksUrl", req.oidcJwksUrl());
                hosts.requireOnIssuersOrigin("oidcJwksUrl", t.oidcIssuer, t.oidcJwksUrl);
            }
            if (req.oidcAudience() != null) {
                t.oidcAudience = audience(req.oidcAudience());
            }
        }
        details.put("identityProvider", new JsonObject().put("from", before).put("to", describe(t)));
    }

    private void replace(TenantEntity t, String issuer, String jwksUrl, String aud) {
        String checked = url("oidcIssuer", issuer);
        if (platform.is(checked)) {
            throw new InvalidInput("oidcIssuer", "is the platform's own issuer");
        }
        t.oidcIssuer = checked;
        t.oidcJwksUrl = blank(jwksUrl) ? null : url("oidcJwksUrl", jwksUrl);
        hosts.requireOnIssuersOrigin("oidcJwksUrl", t.oidcIssuer, t.oidcJwksUrl);
        t.oidcAudience = aud == null ? null : audience(aud);
    }

    private String url(String field, String value) {
        return hosts.require(field, value);
    }

    private static String audience(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.isBlank() || !value.strip().equals(value) || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput("oidcAudience", "must not be blank or have surrounding spaces");
        }
        return value;
    }

    private static void requireAbsent(String value, String field) {
        if (!blank(value)) {
            throw new InvalidInput(field, "needs an oidcIssuer");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }

    private static JsonObject describe(TenantEntity t) {
        return new JsonObject().put("issuer", t.oidcIssuer).put("jwksUrl", t.oidcJwksUrl).put("audience", t.oidcAudience);
    }
}
