package dev.tessera.orders.publication;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The relay on, publishing to the real RabbitMQ on 127.0.0.1:5672 (TESSERA_RABBITMQ_* to change), into
 * an exchange of this run's own, deleted with its last queue: parallel runs never see each other's events.
 */
public class EventPublicationProfile implements QuarkusTestProfile {

    static final String EXCHANGE = "tessera.test.events." + UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tessera.events.publication-enabled", "true",
                "mp.messaging.outgoing.tessera-events.exchange.name", EXCHANGE,
                "mp.messaging.outgoing.tessera-events.exchange.auto-delete", "true");
    }
}
