package dev.tessera.tenancy;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling and for which tenant: resolved once per request from the verified token.
 *
 * <p>Background work builds one explicitly (there is no ambient request to read it from).
 */
public record TenantContext(Tenant tenant, String userId, Set<String> roles) {

    public TenantContext {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(userId, "userId");
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
