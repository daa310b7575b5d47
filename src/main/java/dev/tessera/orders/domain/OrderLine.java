package dev.tessera.orders.domain;

import java.math.BigDecimal;
import java.util.UUID;

/** Units of one product in an order, at the price captured when they were added. */
public record OrderLine(UUID productId, String sku, int quantity, BigDecimal unitPrice) {

    public BigDecimal subtotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
