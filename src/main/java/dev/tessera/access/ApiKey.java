package dev.tessera.access;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A tenant's API key as its admins see it: everything but the secret. */
public record ApiKey(UUID id, String prefix, String name, List<String> roles, String createdBy, OffsetDateTime createdAt,
        OffsetDateTime expiresAt, OffsetDateTime revokedAt, OffsetDateTime lastUsedAt, OffsetDateTime previousSecretValidUntil) {
}
