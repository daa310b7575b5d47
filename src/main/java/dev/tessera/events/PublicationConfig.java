package dev.tessera.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the relays that publish committed order and tenant lifecycle events to the broker (docs/design/event-publication.md). */
@ConfigMapping(prefix = "tessera.events")
public interface PublicationConfig {

    /**
     * Whether this instance runs the relay. Events are kept in the event store either way, and a relay
     * turned on later publishes everything appended since tenant migration V011. Default: true.
     */
    @WithDefault("true")
    boolean publicationEnabled();

    /**
     * How often the relay visits the tenants this instance committed events for since its last pass.
     * An event is published about this long after its transaction (and every older one) ends. Default: 100ms.
     */
    @WithDefault("100ms")
    Duration relayInterval();

    /**
     * How often the relay visits every served tenant, for events appended by other instances that
     * stopped before publishing them, or by maintenance outside the service. Default: 30s.
     */
    @WithDefault("30s")
    Duration sweepInterval();

    /** Most events published per relay transaction (one batch, confirmed by the broker as a whole). Default: 500. */
    @WithDefault("500")
    int batchSize();

    /**
     * How long the relay waits for the broker to confirm a batch; after that the batch counts as not
     * published and is sent again on a later visit (consumers drop the duplicates by message id). Default: 10s.
     */
    @WithDefault("10s")
    Duration confirmTimeout();

    /**
     * How often the lifecycle relay polls tessera.platform_audit for tenant lifecycle events to
     * publish (two small reads when there is nothing). Default: 1s.
     */
    @WithDefault("1s")
    Duration lifecycleInterval();

    /**
     * Committed events unpublished for longer than this are reported: a WARN log line per tenant (the
     * metric {@code tessera_events_lag_seconds} shows the lag at all times). Default: 5s.
     */
    @WithDefault("5s")
    Duration maxLag();
}
