package dev.tessera.catalog.api;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tessera.catalog.domain.Product;

/** A product as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductResponse(UUID id, String sku, String name, String description, BigDecimal price, String currency,
        OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deletedAt, String deletedBy) {

    static ProductResponse of(Product p) {
        return new ProductResponse(p.id(), p.sku(), p.name(), p.description(), p.price(), p.currency(), p.createdAt(),
                p.updatedAt(), p.deletedAt(), p.deletedBy());
    }
}
