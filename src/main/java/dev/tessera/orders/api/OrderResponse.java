package dev.tessera.orders.api;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tessera.orders.domain.Order;
import dev.tessera.orders.domain.OrderLine;

/**
 * An order as a command or a read returns it; amounts are strings, exact to the cent. Absent values
 * are written as {@code null}, not left out, so that every version of an order has the same keys.
 */
@Schema(name = "Order")
public record OrderResponse(
        @Schema(example = "0193a5c4-8f2e-7c4b-9d1a-2b3c4d5e6f70") UUID id,
        @Schema(example = "DRAFT", enumeration = { "DRAFT", "PLACED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED" })
        String status,
        @Schema(nullable = true) UUID customerId,
        @Schema(example = "EUR") String currency,
        @Schema(example = "29.97", description = "Sum of the lines, exact to the cent") String total,
        @Schema(example = "3") int itemCount,
        @Schema(example = "2", description = "Number of events so far; the ETag carries it too") int version,
        List<Line> items,
        @Schema(nullable = true, example = "TRK-1") String trackingNumber,
        @Schema(nullable = true) String cancelReason) {

    /** Units of one product, at the price captured when they were added. */
    @Schema(name = "OrderLine")
    public record Line(UUID productId, @Schema(example = "MUG-1") String sku, @Schema(example = "3") int quantity,
            @Schema(example = "9.99") String unitPrice, @Schema(example = "29.97") String subtotal) {

        static Line of(OrderLine l) {
            return new Line(l.productId(), l.sku(), l.quantity(), l.unitPrice().toPlainString(),
                    l.subtotal().toPlainString());
        }
    }

    static OrderResponse of(Order o) {
        return new OrderResponse(o.id(), o.status().name(), o.customerId(), o.currency(), o.total().toPlainString(),
                o.itemCount(), o.version(), o.lines().stream().map(Line::of).toList(), o.trackingNumber(), o.cancelReason());
    }
}
