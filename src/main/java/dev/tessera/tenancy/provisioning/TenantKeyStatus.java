package dev.tessera.tenancy.provisioning;

import dev.tessera.tenancy.Tenant;
import io.smallrye.mutiny.Uni;

/**
 * What the tenant's keys look like, for {@code GET /admin/tenants/{id}}; implemented by the feature that
 * owns the keys (customers), so that tenancy does not depend on it.
 */
public interface TenantKeyStatus {

    Uni<TenantAdminView.Keys> of(Tenant tenant);
}
