package dev.tessera.orders.publication;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The relay on, publishing to the real RabbitMQ on 127.0.0.1:5672 (TESSERA_RABBITMQ_* to change), into
 * an exchange of this run's own (deleted when the test JVM exits, see {@link BrokerQueue}): parallel runs
 * never see each other's events. Not auto-delete: the relays publish between tests, when no queue is bound.
 */
public class EventPublicationProfile implements QuarkusTestProfile {

    static final String EXCHANGE = "tessera.test.events." + UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tessera.events.publication-enabled", "true",
                "mp.messaging.outgoing.tessera-events.exchange.name", EXCHANGE);
    }
}
