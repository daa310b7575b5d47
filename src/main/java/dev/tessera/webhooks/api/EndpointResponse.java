package dev.tessera.webhooks.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tessera.webhooks.Endpoint;
import dev.tessera.webhooks.WebhookService.WithSecret;

/**
 * A webhook endpoint in the API. {@code secret} is there only in the answer to its registration and to a
 * rotation: the service never shows it again.
 */
public record EndpointResponse(UUID id, String url,
        @Schema(description = "Order event types sent to the endpoint; empty: all") List<String> eventTypes,
        boolean enabled,
        @Schema(description = "Why the service disabled the endpoint (410 Gone, or failing too long); null otherwise")
        String disabledReason,
        OffsetDateTime disabledAt,
        @Schema(description = "First failed attempt since the last success; null while healthy") OffsetDateTime failingSince,
        @Schema(description = "Until when the secret before the last rotation still signs; null if it no longer does")
        OffsetDateTime previousSecretExpiresAt,
        OffsetDateTime createdAt, OffsetDateTime updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "The signing secret (whsec_ + base64); only when registered or rotated, never again",
                example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") String secret) {

    static EndpointResponse of(Endpoint e) {
        return of(e, null);
    }

    static EndpointResponse of(WithSecret w) {
        return of(w.endpoint(), w.secret());
    }

    private static EndpointResponse of(Endpoint e, String secret) {
        return new EndpointResponse(e.id(), e.url(), e.eventTypes(), e.enabled(), e.disabledReason(), e.disabledAt(),
                e.failingSince(), e.previousSecretExpiresAt(), e.createdAt(), e.updatedAt(), secret);
    }
}
