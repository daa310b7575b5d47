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
        JsonObject j = new JsonObject();
        if (e instanceof OrderCreated c) {
            j.put("customerId", c.customerId() == null ? null : c.customerId().toString()).put("currency", c.currency());
        } else if (e instanceof ItemAdded a) {
            j.put("productId", a.productId().toString()).put("sku", a.sku()).put("quantity", a.quantity())
                    .put("unitPrice", a.unitPrice().toPlainString());
        } else if (e instanceof ItemRemoved r) {
            j.put("productId", r.productId().toString());
        } else if (e instanceof PaymentCaptured p) {
            j.put("amount", p.amount().toPlainString());
        } else if (e instanceof OrderShipped s) {
            j.put("trackingNumber", s.trackingNumber());
        } else if (e instanceof OrderCancelled c) {
            j.put("reason", c.reason());
        }
        return j;
    }

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
