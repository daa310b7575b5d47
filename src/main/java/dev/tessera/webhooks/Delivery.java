package dev.tessera.webhooks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One message to one endpoint and what became of it: {@code pending} (to send, or being sent),
 * {@code delivered} (2xx), {@code dead} (the retry period ended, or the endpoint answered 410 Gone).
 * {@code attempts} is filled only when one delivery is read.
 */
public record Delivery(UUID id, UUID eventId, String eventType, String status, int attemptCount, OffsetDateTime createdAt,
        OffsetDateTime nextAttemptAt, OffsetDateTime lastAttemptAt, OffsetDateTime deliveredAt, UUID replayOf,
        List<Attempt> attempts) {

    /** One attempt: when it was sent, the HTTP status (null: no answer), how long it took, and what went wrong. */
    public record Attempt(OffsetDateTime attemptedAt, Integer statusCode, int latencyMs, String error) {
    }

    public Delivery withAttempts(List<Attempt> log) {
        return new Delivery(id, eventId, eventType, status, attemptCount, createdAt, nextAttemptAt, lastAttemptAt, deliveredAt,
                replayOf, log);
    }
}
