package dev.tessera.orders.eventstore;

import java.time.OffsetDateTime;

import dev.tessera.orders.domain.OrderEvent;
import io.vertx.core.json.JsonObject;

/** An event as stored: its place in the stream, when and by whom it was recorded. */
public record RecordedEvent(int version, String type, OrderEvent event, JsonObject payload, JsonObject metadata,
        OffsetDateTime recordedAt) {
}
