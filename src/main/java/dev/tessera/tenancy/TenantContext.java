package dev.tessera.tenancy;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling and for which tenant: resolved once per request from the verified token.
 *
 * <p>Background work builds one explicitly (there is no ambient request to read it from). A support
 * user acting under a grant carries its {@link SupportAccess}: every transaction of the request then
 * checks the grant in the database and records the request in the tenant's audit trail.
 */
public record TenantContext(Tenant tenant, String userId, Set<String> roles, SupportAccess support) {

    public TenantContext {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(userId, "userId");
        roles = Set.copyOf(roles);
    }

    public TenantContext(Tenant tenant, String userId, Set<String> roles) {
        this(tenant, userId, roles, null);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether a support user acts under a grant (rather than a member of the tenant or its key). */
    public boolean underSupportGrant() {
        return support != null;
    }
}
