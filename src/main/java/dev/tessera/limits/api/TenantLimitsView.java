package dev.tessera.limits.api;

import java.util.UUID;

import dev.tessera.limits.LimitOverrides;
import dev.tessera.limits.Plans;
import dev.tessera.limits.TenantLimits;
import dev.tessera.tenancy.Tenant;

/**
 * A tenant's limits as platform administrators see them: its plan, its overrides (only the fields set)
 * and what is in force (the plan's values with the overrides applied).
 */
public record TenantLimitsView(UUID tenant, String plan, LimitOverrides overrides, TenantLimits effective) {

    static TenantLimitsView of(Tenant t, Plans plans) {
        return new TenantLimitsView(t.id(), t.plan(), t.limits(), plans.of(t));
    }
}
