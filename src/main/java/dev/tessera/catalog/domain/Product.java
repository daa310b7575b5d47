package dev.tessera.catalog.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A catalog entry of one tenant, as stored. */
public record Product(UUID id, String sku, String name, String description, BigDecimal price, String currency,
        OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deletedAt, String deletedBy) {

    public boolean deleted() {
        return deletedAt != null;
    }
}
