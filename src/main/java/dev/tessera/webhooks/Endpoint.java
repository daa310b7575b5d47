package dev.tessera.webhooks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's webhook endpoint as the API shows it (never its secret): where to send which event types,
 * whether it is enabled, and if the service disabled it, why and when.
 */
public record Endpoint(UUID id, String url, List<String> eventTypes, boolean enabled, String disabledReason,
        OffsetDateTime disabledAt, OffsetDateTime failingSince, OffsetDateTime previousSecretExpiresAt,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
