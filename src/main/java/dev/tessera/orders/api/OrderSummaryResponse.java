package dev.tessera.orders.api;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tessera.orders.projection.OrderProjection.OrderSummary;

/** One row of the order list, from the read model; the total is a string, exact to the cent. */
@Schema(name = "OrderSummary")
public record OrderSummaryResponse(
        UUID id,
        @Schema(example = "PLACED") String status,
        @Schema(nullable = true) UUID customerId,
        @Schema(example = "EUR") String currency,
        @Schema(example = "29.97") String total,
        @Schema(example = "3") int itemCount,
        @Schema(example = "4") int version,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    static OrderSummaryResponse of(OrderSummary o) {
        return new OrderSummaryResponse(o.id(), o.status(), o.customerId(), o.currency(),
                o.total().setScale(2).toPlainString(), o.itemCount(), o.version(), o.createdAt(), o.updatedAt());
    }
}
