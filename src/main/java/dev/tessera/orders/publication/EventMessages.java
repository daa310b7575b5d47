package dev.tessera.orders.publication;

import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import dev.tessera.events.EventIds;
import dev.tessera.orders.eventstore.EventCodec;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.json.JsonObject;

/**
 * The broker message of an order event (the contract is in docs/api.md, "Event feed"): id, headers,
 * routing key and body.
 */
public final class EventMessages {

    private EventMessages() {
    }

    /**
     * The event's id: stable for (tenant, order, version), which the primary key makes unique, so the
     * same event published twice (after a crash) carries the same id and consumers can drop the copy.
     */
    public static UUID eventId(UUID tenant, UUID order, int version) {
        return EventIds.of(tenant + "/" + order + "/" + version);
    }

    /** Routing key: {@code <tenant id>.order.<event type>}, for bindings by tenant, by type, or both. */
    public static String routingKey(UUID tenant, String type) {
        return tenant + ".order." + type;
    }

    /** The body: the event as {@code GET /api/orders/{id}/events} shows it, plus its id, tenant and order. */
    public static JsonObject body(UUID tenant, FeedEvent e) {
        return new JsonObject().put("eventId", eventId(tenant, e.orderId(), e.version()).toString())
                .put("tenantId", tenant.toString()).put("orderId", e.orderId().toString()).put("version", e.version())
                .put("type", e.type()).put("payload", e.payload()).put("metadata", e.metadata())
                .put("recordedAt", e.recordedAt().toString());
    }

    public static Message<JsonObject> of(UUID tenant, FeedEvent e) {
        String id = eventId(tenant, e.orderId(), e.version()).toString();
        int schema = e.metadata().getInteger("schemaVersion", EventCodec.SCHEMA_VERSION);
        OutgoingRabbitMQMetadata rabbit = OutgoingRabbitMQMetadata.builder()
                .withMessageId(id)
                .withRoutingKey(routingKey(tenant, e.type()))
                .withContentType("application/json")
                .withDeliveryMode(2)
                .withType(e.type())
                .withTimestamp(e.recordedAt().toZonedDateTime())
                .withHeaders(Map.of("tenant-id", tenant.toString(), "order-id", e.orderId().toString(),
                        "version", e.version(), "type", e.type(), "schema-version", schema))
                .build();
        return Message.of(body(tenant, e), Metadata.of(rabbit));
    }
}
