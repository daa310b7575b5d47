package dev.tessera.audit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the audit sealer, which links committed audit rows into each tenant's hash chain. */
@ConfigMapping(prefix = "tessera.audit")
public interface AuditConfig {

    /**
     * How often the sealer seals the tenants this instance wrote for since its last pass. With the
     * default, a row is sealed about a quarter second after its transaction ends. Default: 250ms.
     */
    @WithDefault("250ms")
    Duration sealInterval();

    /**
     * How often the sealer visits every served tenant, for rows written by other instances that
     * stopped before sealing them, or by maintenance outside the service. Default: 30s.
     */
    @WithDefault("30s")
    Duration sweepInterval();

    /** Most rows in one sealed batch (one short transaction). Default: 1000. */
    @WithDefault("1000")
    int batchSize();

    /**
     * Unsealed rows older than this are reported: a WARN log line per tenant and the health of the
     * lag metric {@code tessera_audit_seal_lag_seconds} (alert on it). Default: 2s.
     */
    @WithDefault("2s")
    Duration maxLag();

    /** Turns the scheduled sealing off (tests that seal by hand). Default: true. */
    @WithDefault("true")
    boolean sealerEnabled();
}
