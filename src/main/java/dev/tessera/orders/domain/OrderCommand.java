package dev.tessera.orders.domain;

import java.math.BigDecimal;
import java.util.UUID;

/** What a caller asks an order to do; imperative. The aggregate decides which events follow. */
public sealed interface OrderCommand {

    record CreateOrder(UUID customerId, String currency) implements OrderCommand {
    }

    /** Adds units of a product; {@code unitPrice} is the catalog price read just before. */
    record AddItem(UUID productId, String sku, int quantity, BigDecimal unitPrice, String productCurrency)
            implements OrderCommand {
    }

    record RemoveItem(UUID productId) implements OrderCommand {
    }

    record PlaceOrder() implements OrderCommand {
    }

    record CapturePayment() implements OrderCommand {
    }

    record ShipOrder(String trackingNumber) implements OrderCommand {
    }

    record DeliverOrder() implements OrderCommand {
    }

    record CancelOrder(String reason) implements OrderCommand {
    }
}
