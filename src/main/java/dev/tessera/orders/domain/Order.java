package dev.tessera.orders.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * The order aggregate: its state is a left fold of its events ({@link #apply}); commands are decided
 * against that state ({@link #decide}) and yield new events or a rule violation. Pure Java: no I/O,
 * no framework, so every rule is testable on its own and replay is deterministic.
 */
public final class Order {

    private final UUID id;
    private final int version;
    private final OrderStatus status;
    private final UUID customerId;
    private final String currency;
    private final Map<UUID, OrderLine> lines;
    private final String trackingNumber;
    private final String cancelReason;

    private Order(UUID id, int version, OrderStatus status, UUID customerId, String currency, Map<UUID, OrderLine> lines,
            String trackingNumber, String cancelReason) {
        this.id = id;
        this.version = version;
        this.status = status;
        this.customerId = customerId;
        this.currency = currency;
        this.lines = lines;
        this.trackingNumber = trackingNumber;
        this.cancelReason = cancelReason;
    }

    /** The state before the first event: version 0, nothing else. */
    public static Order empty(UUID id) {
        return new Order(id, 0, null, null, null, Map.of(), null, null);
    }

    /**
     * The state a snapshot recorded after {@code version} events; replaying the same events gives an
     * equal order (the projection rebuild checks that).
     */
    public static Order restore(UUID id, int version, OrderStatus status, UUID customerId, String currency,
            List<OrderLine> lines, String trackingNumber, String cancelReason) {
        Map<UUID, OrderLine> byProduct = new LinkedHashMap<>();
        lines.forEach(l -> byProduct.put(l.productId(), l));
        return new Order(id, version, status, customerId, currency, Collections.unmodifiableMap(byProduct),
                trackingNumber, cancelReason);
    }

    /** Replays events in order. */
    public static Order replay(UUID id, List<OrderEvent> events) {
        Order o = empty(id);
        for (OrderEvent e : events) {
            o = o.apply(e);
        }
        return o;
    }

    /** The state after one more event. */
    public Order apply(OrderEvent event) {
        Map<UUID, OrderLine> next = lines;
        OrderStatus s = status;
        UUID customer = customerId;
        String cur = currency;
        String tracking = trackingNumber;
        String reason = cancelReason;
        if (event instanceof OrderCreated c) {
            s = OrderStatus.DRAFT;
            customer = c.customerId();
            cur = c.currency();
        } else if (event instanceof ItemAdded a) {
            next = new LinkedHashMap<>(lines);
            OrderLine old = next.get(a.productId());
            // More of a product already in the order: quantities add up, the newest captured price applies.
            int qty = (old == null ? 0 : old.quantity()) + a.quantity();
            next.put(a.productId(), new OrderLine(a.productId(), a.sku(), qty, a.unitPrice()));
        } else if (event instanceof ItemRemoved r) {
            next = new LinkedHashMap<>(lines);
            next.remove(r.productId());
        } else if (event instanceof OrderPlaced) {
            s = OrderStatus.PLACED;
        } else if (event instanceof PaymentCaptured) {
            s = OrderStatus.PAID;
        } else if (event instanceof OrderShipped sh) {
            s = OrderStatus.SHIPPED;
            tracking = sh.trackingNumber();
        } else if (event instanceof OrderDelivered) {
            s = OrderStatus.DELIVERED;
        } else if (event instanceof OrderCancelled c) {
            s = OrderStatus.CANCELLED;
            reason = c.reason();
        }
        return new Order(id, version + 1, s, customer, cur, Collections.unmodifiableMap(next), tracking, reason);
    }

    /** The events a command produces from this state, or a rule violation. Never changes this object. */
    public List<OrderEvent> decide(OrderCommand command) {
        if (command instanceof CreateOrder c) {
            require(status == null, OrderRule.ORDER_EXISTS, "The order exists already");
            return List.of(new OrderCreated(c.customerId(), c.currency()));
        }
        require(status != null, OrderRule.ORDER_EXISTS, "The order does not exist");
        if (command instanceof AddItem a) {
            require(status == OrderStatus.DRAFT, OrderRule.ORDER_NOT_EDITABLE, "Items can change only in a draft order");
            require(currency.equals(a.productCurrency()), OrderRule.CURRENCY_MISMATCH,
                    "The product is priced in " + a.productCurrency() + ", the order in " + currency);
            return List.of(new ItemAdded(a.productId(), a.sku(), a.quantity(), a.unitPrice()));
        }
        if (command instanceof RemoveItem r) {
            require(status == OrderStatus.DRAFT, OrderRule.ORDER_NOT_EDITABLE, "Items can change only in a draft order");
            require(lines.containsKey(r.productId()), OrderRule.ITEM_NOT_IN_ORDER, "The product is not in the order");
            return List.of(new ItemRemoved(r.productId()));
        }
        if (command instanceof PlaceOrder) {
            require(status == OrderStatus.DRAFT, OrderRule.ORDER_NOT_DRAFT, "Only a draft order can be placed");
            require(!lines.isEmpty(), OrderRule.ORDER_EMPTY, "An order needs at least one item to be placed");
            return List.of(new OrderPlaced());
        }
        if (command instanceof CapturePayment) {
            require(status == OrderStatus.PLACED, OrderRule.ORDER_NOT_PLACED, "Only a placed order can be paid");
            return List.of(new PaymentCaptured(total()));
        }
        if (command instanceof ShipOrder sh) {
            require(status == OrderStatus.PAID, OrderRule.ORDER_NOT_PAID, "Only a paid order can be shipped");
            return List.of(new OrderShipped(sh.trackingNumber()));
        }
        if (command instanceof DeliverOrder) {
            require(status == OrderStatus.SHIPPED, OrderRule.ORDER_NOT_SHIPPED, "Only a shipped order can be delivered");
            return List.of(new OrderDelivered());
        }
        CancelOrder c = (CancelOrder) command;
        require(status == OrderStatus.DRAFT || status == OrderStatus.PLACED || status == OrderStatus.PAID,
                OrderRule.ORDER_NOT_CANCELLABLE, "Only an order that has not shipped can be cancelled");
        return List.of(new OrderCancelled(c.reason()));
    }

    /** Sum of the lines, exact to the cent. */
    public BigDecimal total() {
        return lines.values().stream().map(OrderLine::subtotal).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.UNNECESSARY);
    }

    public int itemCount() {
        return lines.values().stream().mapToInt(OrderLine::quantity).sum();
    }

    public boolean exists() {
        return status != null;
    }

    public UUID id() {
        return id;
    }

    public int version() {
        return version;
    }

    public OrderStatus status() {
        return status;
    }

    public UUID customerId() {
        return customerId;
    }

    public String currency() {
        return currency;
    }

    public List<OrderLine> lines() {
        return List.copyOf(lines.values());
    }

    public String trackingNumber() {
        return trackingNumber;
    }

    public String cancelReason() {
        return cancelReason;
    }

    private static void require(boolean condition, OrderRule rule, String detail) {
        if (!condition) {
            throw new OrderRuleViolation(rule, detail);
        }
    }
}
