package dev.tessera.limits;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.tenancy.Tenant;

/**
 * The limits of each plan ({@code tessera.plans.*}) and of each tenant (its plan, with its overrides).
 * Nothing here reads the database: a tenant's plan and overrides travel with the cached {@link Tenant},
 * so a change reaches every instance within the tenant cache's TTL.
 */
@ApplicationScoped
public class Plans {

    /** The plans, in the order of the tenants.plan check constraint. */
    public static final java.util.List<String> NAMES = java.util.List.of("free", "standard", "enterprise");

    private final PlansConfig config;

    Plans(PlansConfig config) {
        this.config = config;
        // Fail at start-up, not on a tenant's first request, when a plan's setting is out of range.
        NAMES.forEach(name -> of(name, LimitOverrides.NONE));
    }

    /** The limits of a tenant: its plan's, with its overrides. */
    public TenantLimits of(Tenant tenant) {
        return of(tenant.plan(), tenant.limits());
    }

    /** The limits of a plan with the given overrides. */
    public TenantLimits of(String plan, LimitOverrides o) {
        PlansConfig.Plan p = plan(plan);
        double share = o.connectionShare() != null ? o.connectionShare() : p.connectionShare();
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("tessera.plans." + plan + ".connection-share must be in (0, 1], not " + share);
        }
        return new TenantLimits(
                new TenantLimits.Rate(or(o.rate(), p.rate()), or(o.burst(), p.burst())),
                new TenantLimits.Rate(or(o.subjectRate(), p.subjectRate()), or(o.subjectBurst(), p.subjectBurst())),
                new TenantLimits.Rate(or(o.writeRate(), p.writeRate()), or(o.writeBurst(), p.writeBurst())),
                share,
                o.maxProducts() != null ? o.maxProducts() : p.maxProducts().orElse(null),
                o.maxCustomers() != null ? o.maxCustomers() : p.maxCustomers().orElse(null));
    }

    private PlansConfig.Plan plan(String name) {
        return switch (name) {
            case "free" -> config.free();
            case "enterprise" -> config.enterprise();
            // The column allows three plans; an unknown one (a newer version's) gets the default plan's limits.
            default -> config.standard();
        };
    }

    /**
     * The refusal of a write past a quota (409 quota-exceeded), naming the quota: {@code what} is the
     * plural of the resource ("products"), {@code max} the tenant's quota.
     */
    public static dev.tessera.shared.error.Conflict quotaExceeded(String what, int max) {
        return new dev.tessera.shared.error.Conflict(dev.tessera.shared.error.ProblemType.QUOTA_EXCEEDED,
                "The tenant's plan allows at most " + max + " live " + what + " (quota " + what
                        + "); delete some, or ask for a bigger plan");
    }

    private static double or(Double override, double plan) {
        return override != null ? override : plan;
    }

    private static int or(Integer override, int plan) {
        return override != null ? override : plan;
    }
}
