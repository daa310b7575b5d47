package dev.tessera.orders.query;

import dev.tessera.orders.domain.Order;
import dev.tessera.orders.domain.OrderLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON an order command or read returns; amounts as strings, exact to the cent. */
public final class OrderView {

    private OrderView() {
    }

    public static JsonObject of(Order o) {
        JsonArray items = new JsonArray();
        for (OrderLine l : o.lines()) {
            items.add(new JsonObject().put("productId", l.productId().toString()).put("sku", l.sku())
                    .put("quantity", l.quantity()).put("unitPrice", l.unitPrice().toPlainString())
                    .put("subtotal", l.subtotal().toPlainString()));
        }
        return new JsonObject().put("id", o.id().toString()).put("status", o.status().name())
                .put("customerId", o.customerId() == null ? null : o.customerId().toString())
                .put("currency", o.currency()).put("total", o.total().toPlainString()).put("itemCount", o.itemCount())
                .put("version", o.version()).put("items", items).put("trackingNumber", o.trackingNumber())
                .put("cancelReason", o.cancelReason());
    }
}
