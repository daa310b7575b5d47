package dev.tessera.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the tenants' webhooks (docs/design/webhooks.md). */
@ConfigMapping(prefix = "tessera.webhooks")
public interface WebhookConfig {

    /**
     * Whether this instance fans committed order events out to webhook deliveries and sends them. The
     * endpoints API works either way; deliveries wait in the tenants' tables until an instance sends them.
     * Default: true.
     */
    @WithDefault("true")
    boolean enabled();

    /** How often the dispatcher visits the tenants it has work for (new events, due retries). Default: 1s. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * How often every served tenant is visited, for events and deliveries other instances left when they
     * stopped (or a retry due on a tenant this instance has not visited). Default: 30s.
     */
    @WithDefault("30s")
    Duration sweepInterval();

    /** How long one request to an endpoint may take, connection included; then the attempt failed. Default: 10s. */
    @WithDefault("10s")
    Duration timeout();

    /** Delay before the second attempt; it doubles with every attempt (with jitter: half to all of it). Default: 10s. */
    @WithDefault("10s")
    Duration retryInitialDelay();

    /** Longest delay between two attempts. Default: 1h. */
    @WithDefault("1h")
    Duration retryMaxDelay();

    /** How long a delivery is retried, from its creation; a failure after that makes it dead. Default: 24h. */
    @WithDefault("24h")
    Duration retryPeriod();

    /**
     * An endpoint whose attempts have all failed for this long (since its last success) is disabled, with
     * a reason the tenant reads in the endpoint (and an audit entry). Default: 5d.
     */
    @WithDefault("5d")
    Duration disableAfter();

    /** How long the previous signing secret keeps signing after a rotation. Default: 24h. */
    @WithDefault("24h")
    Duration secretGracePeriod();

    /** Requests in flight at once per tenant on this instance, over all its endpoints. Default: 4. */
    @WithDefault("4")
    int maxConcurrencyPerTenant();

    /** Most events fanned out, or deliveries claimed, per tenant transaction. Default: 100. */
    @WithDefault("100")
    int batchSize();

    /** Endpoint URLs over plain http accepted on any host (dev and test only). Default: false. */
    @WithDefault("false")
    boolean allowHttp();

    /**
     * Hosts ({@code host} or {@code host:port}) a webhook URL may name although they are loopback, private
     * or link-local; http is accepted on them too. Empty by default: every endpoint must be a public https host.
     */
    Optional<List<String>> allowedHosts();
}
