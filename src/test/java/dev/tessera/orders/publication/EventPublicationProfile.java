package dev.tessera.orders.publication;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The relay on, publishing to the real RabbitMQ on 127.0.0.1:5672 (TESSERA_RABBITMQ_* to change), into
 * an exchange of this run's own (deleted when the test JVM exits, see {@link BrokerQueue}): parallel runs
 * never see each other's events. Not auto-delete: the relays publish between tests, when no queue is bound.
 * Webhooks are on too (dev.tessera.webhooks), with short timings.
 */
public class EventPublicationProfile implements QuarkusTestProfile {

    static final String EXCHANGE = "tessera.test.events." + UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(Map.entry("tessera.events.publication-enabled", "true"),
                Map.entry("mp.messaging.outgoing.tessera-events.exchange.name", EXCHANGE),
                // Webhooks follow the same committed-events feed: their tests share this profile (one Quarkus
                // start), with timings short enough to watch retries, dead letters and disabling happen.
                Map.entry("tessera.webhooks.enabled", "true"),
                Map.entry("tessera.webhooks.poll-interval", "100ms"),
                Map.entry("tessera.webhooks.timeout", "1s"),
                Map.entry("tessera.webhooks.retry-initial-delay", "200ms"),
                Map.entry("tessera.webhooks.retry-max-delay", "1s"),
                Map.entry("tessera.webhooks.retry-period", "2500ms"),
                Map.entry("tessera.webhooks.disable-after", "4s"),
                Map.entry("tessera.webhooks.max-concurrency-per-tenant", "2"));
    }
}
