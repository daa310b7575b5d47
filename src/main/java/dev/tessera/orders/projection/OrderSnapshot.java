package dev.tessera.orders.projection;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.tessera.orders.domain.Order;
import dev.tessera.orders.domain.OrderLine;
import dev.tessera.orders.domain.OrderStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The whole aggregate state as JSON, kept in the order's read-model row ({@code rm_orders.state}) so that
 * a command loads one row instead of replaying the stream. Written by hand, like the event payloads,
 * so that the stored format is explicit; a snapshot of another {@code schema} is ignored (the order is
 * then replayed from its events), so changing this format needs no migration.
 */
public final class OrderSnapshot {

    /** Format of the snapshots this code writes and reads. */
    public static final int SCHEMA = 1;

    private OrderSnapshot() {
    }

    public static JsonObject encode(Order o) {
        JsonArray lines = new JsonArray();
        for (OrderLine l : o.lines()) {
            lines.add(new JsonObject().put("productId", l.productId().toString()).put("sku", l.sku())
                    .put("quantity", l.quantity()).put("unitPrice", l.unitPrice().toPlainString()));
        }
        // The snapshot carries its own version: the row's version column is also written by releases
        // that do not know the snapshot, and must not vouch for it.
        return new JsonObject().put("schema", SCHEMA).put("version", o.version()).put("status", o.status().name())
                .put("customerId", o.customerId() == null ? null : o.customerId().toString())
                .put("currency", o.currency()).put("lines", lines).put("trackingNumber", o.trackingNumber())
                .put("cancelReason", o.cancelReason());
    }

    /** True if this code can read the snapshot. */
    public static boolean readable(JsonObject state) {
        return state != null && Integer.valueOf(SCHEMA).equals(state.getInteger("schema")) && state.getValue("version") != null;
    }

    /** The order the snapshot describes, at the version it records. */
    public static Order decode(UUID id, JsonObject s) {
        int version = s.getInteger("version");
        List<OrderLine> lines = new ArrayList<>();
        for (Object each : s.getJsonArray("lines")) {
            JsonObject l = (JsonObject) each;
            lines.add(new OrderLine(UUID.fromString(l.getString("productId")), l.getString("sku"),
                    l.getInteger("quantity"), new BigDecimal(l.getString("unitPrice"))));
        }
        String customer = s.getString("customerId");
        return Order.restore(id, version, OrderStatus.valueOf(s.getString("status")),
                customer == null ? null : UUID.fromString(customer), s.getString("currency"), lines,
                s.getString("trackingNumber"), s.getString("cancelReason"));
    }
}
