package dev.tessera.orders.domain;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * What happened to an order; past tense, immutable, the only source of truth for an order's state.
 *
 * <p>As with {@link OrderCommand}, {@link #accept} stands in for a switch over the sealed type that
 * Java 17 cannot check: a new event cannot compile until every {@link Handler} (the fold, the codec)
 * has a case for it, so no event is ever silently dropped from the state or stored as an empty payload.
 */
public sealed interface OrderEvent {

    /** Dispatches to the handler method of this event. */
    <R> R accept(Handler<R> handler);

    /** One method per event: implementing it is a compile-time checked, exhaustive switch over events. */
    interface Handler<R> {
        R orderCreated(OrderCreated e);

        R itemAdded(ItemAdded e);

        R itemRemoved(ItemRemoved e);

        R orderPlaced(OrderPlaced e);

        R paymentCaptured(PaymentCaptured e);

        R orderShipped(OrderShipped e);

        R orderDelivered(OrderDelivered e);

        R orderCancelled(OrderCancelled e);
    }

    /** A new order, in a currency, optionally for a customer. */
    record OrderCreated(UUID customerId, String currency) implements OrderEvent {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.orderCreated(this);
        }
    }

    /** Units of a product added at the price the catalog had at that moment. */
    record ItemAdded(UUID productId, String sku, int quantity, BigDecimal unitPrice) implements OrderEvent {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.itemAdded(this);
        }
    }

    /** A product taken out of the order entirely. */
    record ItemRemoved(UUID productId) implements OrderEvent {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.itemRemoved(this);
        }
    }

    /** The customer committed to the order; its items are final. */
    record OrderPlaced() implements OrderEvent {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.orderPlaced(this);
        }
    }

    /** Payment of exactly the order's total. */
    record PaymentCaptured(BigDecimal amount) implements OrderEvent {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.paymentCaptured(this);
        }
    }

    /** Handed to a carrier. */
    record OrderShipped(String trackingNumber) implements OrderEvent {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.orderShipped(this);
        }
    }

    /** Arrived. */
    record OrderDelivered() implements OrderEvent {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.orderDelivered(this);
        }
    }

    /** Called off before shipping. */
    record OrderCancelled(String reason) implements OrderEvent {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.orderCancelled(this);
        }
    }

    /** The stored type name of an event. */
    static String typeOf(OrderEvent e) {
        return e.getClass().getSimpleName();
    }
}
