package dev.tessera.orders.domain;

import java.math.BigDecimal;
import java.util.UUID;

/** What happened to an order; past tense, immutable, the only source of truth for an order's state. */
public sealed interface OrderEvent {

    /** A new order, in a currency, optionally for a customer. */
    record OrderCreated(UUID customerId, String currency) implements OrderEvent {
    }

    /** Units of a product added at the price the catalog had at that moment. */
    record ItemAdded(UUID productId, String sku, int quantity, BigDecimal unitPrice) implements OrderEvent {
    }

    /** A product taken out of the order entirely. */
    record ItemRemoved(UUID productId) implements OrderEvent {
    }

    /** The customer committed to the order; its items are final. */
    record OrderPlaced() implements OrderEvent {
    }

    /** Payment of exactly the order's total. */
    record PaymentCaptured(BigDecimal amount) implements OrderEvent {
    }

    /** Handed to a carrier. */
    record OrderShipped(String trackingNumber) implements OrderEvent {
    }

    /** Arrived. */
    record OrderDelivered() implements OrderEvent {
    }

    /** Called off before shipping. */
    record OrderCancelled(String reason) implements OrderEvent {
    }

    /** The stored type name of an event. */
    static String typeOf(OrderEvent e) {
        return e.getClass().getSimpleName();
    }
}
