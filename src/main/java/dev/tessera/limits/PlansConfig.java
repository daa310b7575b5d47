package dev.tessera.limits;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * What each plan allows (docs/plans.md). Every value is set in application.properties, per plan; an
 * operator overrides any of them for one tenant through {@code PUT /admin/tenants/{id}/limits}.
 */
@ConfigMapping(prefix = "tessera.plans")
public interface PlansConfig {

    /** The free plan. */
    Plan free();

    /** The standard plan (a new tenant's default). */
    Plan standard();

    /** The enterprise plan. */
    Plan enterprise();

    /** The limits of one plan. Rates are sustained requests per second, bursts a number of requests. */
    interface Plan {

        /** Requests per second one tenant may make, all its callers and all replicas together. */
        double rate();

        /** Requests one tenant may make at once above its rate (the bucket's size). */
        int burst();

        /** Requests per second one token subject (a user or a client) may make within its tenant. */
        double subjectRate();

        /** Requests one token subject may make at once above its rate. */
        int subjectBurst();

        /** Writes (any method but GET, HEAD and OPTIONS) per second one tenant may make; they count as requests too. */
        double writeRate();

        /** Writes one tenant may make at once above its write rate. */
        int writeBurst();

        /** The fraction of each instance's pool that works for one tenant at a time (TenantConnectionShare), in (0, 1]. */
        double connectionShare();

        /** Live (not deleted) products one tenant may hold; unset: no quota. */
        Optional<Integer> maxProducts();

        /** Live (not deleted) customers one tenant may hold; unset: no quota. */
        Optional<Integer> maxCustomers();
    }
}
