package dev.tessera.tenancy;

import jakarta.enterprise.context.RequestScoped;

import dev.tessera.shared.error.Forbidden;
import dev.tessera.shared.error.ProblemType;

/** Holds the tenant context of the current request, set by {@link TenantRequestFilter}. */
@RequestScoped
public class CurrentTenant {

    private TenantContext context;

    void set(TenantContext context) {
        this.context = context;
    }

    /** The caller's tenant context; fails closed (403) if no tenant was resolved for this request. */
    public TenantContext get() {
        if (context == null) {
            throw new Forbidden(ProblemType.TENANT_CLAIM_MISSING, "This operation needs a tenant");
        }
        return context;
    }
}
