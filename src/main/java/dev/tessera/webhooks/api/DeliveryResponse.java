package dev.tessera.webhooks.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tessera.webhooks.Delivery;

/** One delivery in the log; {@code attempts} only when one delivery is read. */
public record DeliveryResponse(UUID id,
        @Schema(description = "The webhook-id header: the event's id, the same on every attempt and replay") UUID eventId,
        String eventType,
        @Schema(enumeration = { "pending", "delivered", "dead" }) String status,
        int attemptCount, OffsetDateTime createdAt,
        @Schema(description = "When a pending delivery is next tried") OffsetDateTime nextAttemptAt,
        OffsetDateTime lastAttemptAt, OffsetDateTime deliveredAt,
        @Schema(description = "The delivery this one replays; null for the first delivery of an event") UUID replayOf,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Delivery.Attempt> attempts) {

    static DeliveryResponse of(Delivery d) {
        return new DeliveryResponse(d.id(), d.eventId(), d.eventType(), d.status(), d.attemptCount(), d.createdAt(),
                "pending".equals(d.status()) ? d.nextAttemptAt() : null, d.lastAttemptAt(), d.deliveredAt(), d.replayOf(),
                d.attempts());
    }
}
