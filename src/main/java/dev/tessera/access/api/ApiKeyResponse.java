package dev.tessera.access.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tessera.access.ApiKey;
import dev.tessera.access.ApiKeyText;
import dev.tessera.access.ApiKeys;

/** An API key as the tenant's admins see it; {@code key} (the secret) only in the answer that created or rotated it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyResponse(UUID id,
        @Schema(description = "The key's public start, tsk_live_<prefix>: what to look for in logs and secret scanners") String prefix,
        String name, List<String> roles, String createdBy, OffsetDateTime createdAt, OffsetDateTime expiresAt,
        OffsetDateTime revokedAt, OffsetDateTime lastUsedAt,
        @Schema(description = "Until when the secret before the last rotation still works") OffsetDateTime previousSecretValidUntil,
        @Schema(description = "The whole key, shown once: in the answer of a creation or rotation, never again") String key) {

    static ApiKeyResponse of(ApiKey k) {
        return new ApiKeyResponse(k.id(), ApiKeyText.shown(k.prefix()), k.name(), k.roles(), k.createdBy(), k.createdAt(),
                k.expiresAt(), k.revokedAt(), k.lastUsedAt(), k.previousSecretValidUntil(), null);
    }

    static ApiKeyResponse of(ApiKeys.Created created) {
        ApiKey k = created.key();
        return new ApiKeyResponse(k.id(), ApiKeyText.shown(k.prefix()), k.name(), k.roles(), k.createdBy(), k.createdAt(),
                k.expiresAt(), k.revokedAt(), k.lastUsedAt(), k.previousSecretValidUntil(), created.text().text());
    }
}
