package dev.tessera.tenancy;

import java.util.UUID;

import dev.tessera.limits.LimitOverrides;

/**
 * A tenant as the directory knows it; {@code identityProvider} is null for a tenant of the platform IdP;
 * {@code limits} are its overrides of its plan's limits (limits/Plans), cached with the rest.
 */
public record Tenant(UUID id, String slug, String name, String plan, IsolationMode isolation, TenantState state,
        String schemaName, IdentityProvider identityProvider, LimitOverrides limits) {

    public Tenant {
        limits = limits == null ? LimitOverrides.NONE : limits;
    }

    /** A tenant that follows its plan's limits. */
    public Tenant(UUID id, String slug, String name, String plan, IsolationMode isolation, TenantState state,
            String schemaName, IdentityProvider identityProvider) {
        this(id, slug, name, plan, isolation, state, schemaName, identityProvider, LimitOverrides.NONE);
    }

    /** Whether tokens for this tenant must come from its own identity provider (and never from the platform's). */
    public boolean hasOwnIdentityProvider() {
        return identityProvider != null;
    }

    /** Whether a token's tenant claim (a slug or an id) names this tenant. */
    public boolean isNamedBy(String claim) {
        return slug.equals(claim) || id.toString().equalsIgnoreCase(claim);
    }

    /** The schema whose tables this tenant's transactions read and write. */
    public String dataSchema() {
        return isolation == IsolationMode.SCHEMA ? schemaName : "tessera";
    }
}
