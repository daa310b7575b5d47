package dev.tessera.orders.eventstore;

import java.math.BigDecimal;
import java.util.UUID;

import dev.tessera.orders.domain.OrderEvent;
import dev.tessera.orders.domain.OrderEvent.ItemAdded;
import dev.tessera.orders.domain.OrderEvent.ItemRemoved;
import dev.tessera.orders.domain.OrderEvent.OrderCancelled;
import dev.tessera.orders.domain.OrderEvent.OrderCreated;
import dev.tessera.orders.domain.OrderEvent.OrderDelivered;
import dev.tessera.orders.domain.OrderEvent.OrderPlaced;
import dev.tessera.orders.domain.OrderEvent.OrderShipped;
import dev.tessera.orders.domain.OrderEvent.PaymentCaptured;
import io.vertx.core.json.JsonObject;

/**
 * Event payloads as JSON, written by hand so that the stored format is explicit and stable. Each event
 * records {@code schemaVersion} in its metadata; {@link #decode} is where an old version would be
 * upcast when a payload changes shape.
 */
public final class EventCodec {

    /** Schema version of the payloads this code writes. */
    public static final int SCHEMA_VERSION = 1;

    private EventCodec() {
    }

    public static JsonObject encode(OrderEvent e) {
        return e.accept(PAYLOAD);
    }

    /** The stored payload of each event; a new event does not compile until it has one here. */
    private static final OrderEvent.Handler<JsonObject> PAYLOAD = new OrderEvent.Handler<>() {

        @Override
        public JsonObject orderCreated(OrderCreated c) {
            return new JsonObject().put("customerId", c.customerId() == null ? null : c.customerId().toString())
                    .put("currency", c.currency());
        }

        @Override
        public JsonObject itemAdded(ItemAdded a) {
            return new JsonObject().put("productId", a.productId().toString()).put("sku", a.sku())
                    .put("quantity", a.quantity()).put("unitPrice", a.unitPrice().toPlainString());
        }

        @Override
        public JsonObject itemRemoved(ItemRemoved r) {
            return new JsonObject().put("productId", r.productId().toString());
        }

        @Override
        public JsonObject orderPlaced(OrderPlaced p) {
            return new JsonObject();
        }

        @Override
        public JsonObject paymentCaptured(PaymentCaptured p) {
            return new JsonObject().put("amount", p.amount().toPlainString());
        }

        @Override
        public JsonObject orderShipped(OrderShipped s) {
            return new JsonObject().put("trackingNumber", s.trackingNumber());
        }

        @Override
        public JsonObject orderDelivered(OrderDelivered d) {
            return new JsonObject();
        }

        @Override
        public JsonObject orderCancelled(OrderCancelled c) {
            return new JsonObject().put("reason", c.reason());
        }
    };

    public static OrderEvent decode(String type, JsonObject p, int schemaVersion) {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalStateException("No upcaster for " + type + " schema version " + schemaVersion);
        }
        return switch (type) {
            case "OrderCreated" -> new OrderCreated(uuid(p.getString("customerId")), p.getString("currency"));
            case "ItemAdded" -> new ItemAdded(UUID.fromString(p.getString("productId")), p.getString("sku"),
                    p.getInteger("quantity"), new BigDecimal(p.getString("unitPrice")));
            case "ItemRemoved" -> new ItemRemoved(UUID.fromString(p.getString("productId")));
            case "OrderPlaced" -> new OrderPlaced();
            case "PaymentCaptured" -> new PaymentCaptured(new BigDecimal(p.getString("amount")));
            case "OrderShipped" -> new OrderShipped(p.getString("trackingNumber"));
            case "OrderDelivered" -> new OrderDelivered();
            case "OrderCancelled" -> new OrderCancelled(p.getString("reason"));
            default -> throw new IllegalStateException("Unknown event type " + type);
        };
    }

    private static UUID uuid(String s) {
        return s == null ? null : UUID.fromString(s);
    }
}
