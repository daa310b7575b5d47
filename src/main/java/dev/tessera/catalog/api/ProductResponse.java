package dev.tessera.catalog.api;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tessera.catalog.domain.Product;

/** A product as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductResponse(@Schema(example = "0193a5c4-8f2e-7c4b-9d1a-2b3c4d5e6f70") UUID id,
        @Schema(example = "MUG-1") String sku, @Schema(example = "Mug") String name,
        @Schema(example = "Stoneware, 300 ml") String description, @Schema(example = "9.99") BigDecimal price,
        @Schema(example = "EUR") String currency, OffsetDateTime createdAt, OffsetDateTime updatedAt,
        @Schema(description = "Set while the product is soft-deleted (shown with include=deleted)") OffsetDateTime deletedAt,
        String deletedBy) {

    static ProductResponse of(Product p) {
        return new ProductResponse(p.id(), p.sku(), p.name(), p.description(), p.price(), p.currency(), p.createdAt(),
                p.updatedAt(), p.deletedAt(), p.deletedBy());
    }
}
