package dev.tessera.tenancy;

import java.util.UUID;

/** A tenant as the directory knows it; {@code identityProvider} is null for a tenant of the platform IdP. */
public record Tenant(UUID id, String slug, String name, String plan, IsolationMode isolation, TenantState state,
        String schemaName, IdentityProvider identityProvider) {

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
