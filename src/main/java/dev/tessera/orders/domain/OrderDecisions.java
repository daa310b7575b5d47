package dev.tessera.orders.domain;

import java.util.List;

import dev.tessera.orders.domain.OrderCommand.AddItem;
import dev.tessera.orders.domain.OrderCommand.CancelOrder;
import dev.tessera.orders.domain.OrderCommand.CapturePayment;
import dev.tessera.orders.domain.OrderCommand.CreateOrder;
import dev.tessera.orders.domain.OrderCommand.DeliverOrder;
import dev.tessera.orders.domain.OrderCommand.PlaceOrder;
import dev.tessera.orders.domain.OrderCommand.RemoveItem;
import dev.tessera.orders.domain.OrderCommand.ShipOrder;
import dev.tessera.orders.domain.OrderEvent.ItemAdded;
import dev.tessera.orders.domain.OrderEvent.ItemRemoved;
import dev.tessera.orders.domain.OrderEvent.OrderCancelled;
import dev.tessera.orders.domain.OrderEvent.OrderCreated;
import dev.tessera.orders.domain.OrderEvent.OrderDelivered;
import dev.tessera.orders.domain.OrderEvent.OrderPlaced;
import dev.tessera.orders.domain.OrderEvent.OrderShipped;
import dev.tessera.orders.domain.OrderEvent.PaymentCaptured;

/**
 * The rules of {@link Order#decide}: one method per command, so the compiler refuses a new command
 * until its rules are written here (before, an unknown command fell through to a cast and failed at
 * run time).
 */
final class OrderDecisions implements OrderCommand.Handler<List<OrderEvent>> {

    private final Order order;

    OrderDecisions(Order order) {
        this.order = order;
    }

    @Override
    public List<OrderEvent> createOrder(CreateOrder c) {
        require(!order.exists(), OrderRule.ORDER_EXISTS, "The order exists already");
        return List.of(new OrderCreated(c.customerId(), c.currency()));
    }

    @Override
    public List<OrderEvent> addItem(AddItem a) {
        requireDraft(OrderRule.ORDER_NOT_EDITABLE, "Items can change only in a draft order");
        require(order.currency().equals(a.productCurrency()), OrderRule.CURRENCY_MISMATCH,
                "The product is priced in " + a.productCurrency() + ", the order in " + order.currency());
        return List.of(new ItemAdded(a.productId(), a.sku(), a.quantity(), a.unitPrice()));
    }

    @Override
    public List<OrderEvent> removeItem(RemoveItem r) {
        requireDraft(OrderRule.ORDER_NOT_EDITABLE, "Items can change only in a draft order");
        require(order.contains(r.productId()), OrderRule.ITEM_NOT_IN_ORDER, "The product is not in the order");
        return List.of(new ItemRemoved(r.productId()));
    }

    @Override
    public List<OrderEvent> placeOrder(PlaceOrder p) {
        requireDraft(OrderRule.ORDER_NOT_DRAFT, "Only a draft order can be placed");
        require(!order.lines().isEmpty(), OrderRule.ORDER_EMPTY, "An order needs at least one item to be placed");
        return List.of(new OrderPlaced());
    }

    @Override
    public List<OrderEvent> capturePayment(CapturePayment c) {
        requireIn(OrderStatus.PLACED, OrderRule.ORDER_NOT_PLACED, "Only a placed order can be paid");
        return List.of(new PaymentCaptured(order.total()));
    }

    @Override
    public List<OrderEvent> shipOrder(ShipOrder s) {
        requireIn(OrderStatus.PAID, OrderRule.ORDER_NOT_PAID, "Only a paid order can be shipped");
        return List.of(new OrderShipped(s.trackingNumber()));
    }

    @Override
    public List<OrderEvent> deliverOrder(DeliverOrder d) {
        requireIn(OrderStatus.SHIPPED, OrderRule.ORDER_NOT_SHIPPED, "Only a shipped order can be delivered");
        return List.of(new OrderDelivered());
    }

    @Override
    public List<OrderEvent> cancelOrder(CancelOrder c) {
        requireExists();
        OrderStatus s = order.status();
        require(s == OrderStatus.DRAFT || s == OrderStatus.PLACED || s == OrderStatus.PAID,
                OrderRule.ORDER_NOT_CANCELLABLE, "Only an order that has not shipped can be cancelled");
        return List.of(new OrderCancelled(c.reason()));
    }

    private void requireDraft(OrderRule rule, String detail) {
        requireIn(OrderStatus.DRAFT, rule, detail);
    }

    /** Every command but CreateOrder needs the order to exist first; that check comes before its own rule. */
    private void requireIn(OrderStatus status, OrderRule rule, String detail) {
        requireExists();
        require(order.status() == status, rule, detail);
    }

    private void requireExists() {
        require(order.exists(), OrderRule.ORDER_EXISTS, "The order does not exist");
    }

    private static void require(boolean condition, OrderRule rule, String detail) {
        if (!condition) {
            throw new OrderRuleViolation(rule, detail);
        }
    }
}
