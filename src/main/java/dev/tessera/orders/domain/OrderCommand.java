package dev.tessera.orders.domain;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * What a caller asks an order to do; imperative. The aggregate decides which events follow.
 *
 * <p>Java 17 has no pattern matching over sealed types, so {@link #accept} is how a command is told
 * apart: each command names its own {@link Handler} method, and a new command cannot compile until
 * the handler, and therefore the aggregate, has a case for it.
 */
public sealed interface OrderCommand {

    /** Dispatches to the handler method of this command. */
    <R> R accept(Handler<R> handler);

    /** One method per command: implementing it is a compile-time checked, exhaustive switch over commands. */
    interface Handler<R> {
        R createOrder(CreateOrder c);

        R addItem(AddItem c);

        R removeItem(RemoveItem c);

        R placeOrder(PlaceOrder c);

        R capturePayment(CapturePayment c);

        R shipOrder(ShipOrder c);

        R deliverOrder(DeliverOrder c);

        R cancelOrder(CancelOrder c);
    }

    record CreateOrder(UUID customerId, String currency) implements OrderCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.createOrder(this);
        }
    }

    /** Adds units of a product; {@code unitPrice} is the catalog price read just before. */
    record AddItem(UUID productId, String sku, int quantity, BigDecimal unitPrice, String productCurrency)
            implements OrderCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.addItem(this);
        }
    }

    record RemoveItem(UUID productId) implements OrderCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.removeItem(this);
        }
    }

    record PlaceOrder() implements OrderCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.placeOrder(this);
        }
    }

    record CapturePayment() implements OrderCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.capturePayment(this);
        }
    }

    record ShipOrder(String trackingNumber) implements OrderCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.shipOrder(this);
        }
    }

    record DeliverOrder() implements OrderCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.deliverOrder(this);
        }
    }

    record CancelOrder(String reason) implements OrderCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.cancelOrder(this);
        }
    }
}
