package dev.tessera.orders.api;

import java.time.OffsetDateTime;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tessera.orders.eventstore.RecordedEvent;

/** One event of an order's history, as stored: its payload and metadata (actor, correlation id, schema version). */
@Schema(name = "OrderEvent")
public record OrderEventResponse(
        @Schema(example = "2") int version,
        @Schema(example = "ItemAdded") String type,
        @Schema(example = "{\"productId\": \"0193a5c4-8f2e-7c4b-9d1a-2b3c4d5e6f70\", \"sku\": \"MUG-1\", \"quantity\": 3, \"unitPrice\": \"9.99\"}")
        Map<String, Object> payload,
        @Schema(example = "{\"actor\": \"jane\", \"correlationId\": \"c-1\", \"schemaVersion\": 1}")
        Map<String, Object> metadata,
        OffsetDateTime recordedAt) {

    static OrderEventResponse of(RecordedEvent e) {
        return new OrderEventResponse(e.version(), e.type(), e.payload().getMap(), e.metadata().getMap(), e.recordedAt());
    }
}
