package dev.tessera.customers.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A customer with its PII decrypted (held in memory only for the request). */
public record Customer(UUID id, String displayName, Pii pii, boolean marketingConsent, int keyVersion,
        OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deletedAt, String deletedBy,
        OffsetDateTime erasedAt) {

    public boolean deleted() {
        return deletedAt != null;
    }

    public boolean erased() {
        return erasedAt != null;
    }
}
