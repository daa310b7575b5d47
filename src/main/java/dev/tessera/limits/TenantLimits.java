package dev.tessera.limits;

/**
 * The limits that hold for one tenant now: its plan's, with its overrides applied.
 *
 * @param tenant every request of the tenant, all replicas together
 * @param subject every request of one token subject within the tenant
 * @param write every write of the tenant (writes count against {@code tenant} and {@code subject} too)
 * @param connectionShare the fraction of an instance's pool that works for the tenant at a time
 * @param maxProducts live products the tenant may hold, null for no quota
 * @param maxCustomers live customers the tenant may hold, null for no quota
 */
public record TenantLimits(Rate tenant, Rate subject, Rate write, double connectionShare, Integer maxProducts,
        Integer maxCustomers) {

    /**
     * A sustained rate with a burst (GCRA, equivalent to a token bucket of {@code burst} tokens refilled at
     * {@code perSecond}).
     */
    public record Rate(double perSecond, int burst) {

        public Rate {
            if (!(perSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("a rate must be > 0 and a burst >= 1, not " + perSecond + "/" + burst);
            }
        }

        /** Microseconds between two requests at the sustained rate (GCRA's emission interval), at least 1. */
        public long intervalMicros() {
            return Math.max(1, Math.round(1_000_000 / perSecond));
        }

        /** Seconds a full burst takes to come back: the window of the RateLimit-Policy field, at least 1. */
        public long windowSeconds() {
            return Math.max(1, (long) Math.ceil(burst / perSecond));
        }

        /** This rate shared by {@code n} instances that cannot see each other (the local fallback). */
        public Rate dividedBy(int n) {
            return n <= 1 ? this : new Rate(perSecond / n, Math.max(1, (int) Math.ceil((double) burst / n)));
        }
    }
}
