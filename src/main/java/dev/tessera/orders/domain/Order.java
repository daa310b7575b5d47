package dev.tessera.orders.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * against that state ({@link #decide}, by {@link OrderDecisions}) and yield new events or a rule violation. Pure Java: no I/O,
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
        return event.accept(new Evolution());
    }

    /** The events a command produces from this state, or a rule violation. Never changes this object. */
    public List<OrderEvent> decide(OrderCommand command) {
        return command.accept(new OrderDecisions(this));
    }

    /** Whether the order has a line for the product. */
    boolean contains(UUID productId) {
        return lines.containsKey(productId);
    }

    /** This order one version later; each event names what changes (the compiler checks that none is missed). */
    private final class Evolution implements OrderEvent.Handler<Order> {

        @Override
        public Order orderCreated(OrderCreated e) {
            return next(OrderStatus.DRAFT, e.customerId(), e.currency(), lines, trackingNumber, cancelReason);
        }

        @Override
        public Order itemAdded(ItemAdded e) {
            Map<UUID, OrderLine> changed = new LinkedHashMap<>(lines);
            OrderLine old = changed.get(e.productId());
            // More of a product already in the order: quantities add up, the newest captured price applies.
            int qty = (old == null ? 0 : old.quantity()) + e.quantity();
            changed.put(e.productId(), new OrderLine(e.productId(), e.sku(), qty, e.unitPrice()));
            return next(status, customerId, currency, changed, trackingNumber, cancelReason);
        }

        @Override
        public Order itemRemoved(ItemRemoved e) {
            Map<UUID, OrderLine> changed = new LinkedHashMap<>(lines);
            changed.remove(e.productId());
            return next(status, customerId, currency, changed, trackingNumber, cancelReason);
        }

        @Override
        public Order orderPlaced(OrderPlaced e) {
            return next(OrderStatus.PLACED, customerId, currency, lines, trackingNumber, cancelReason);
        }

        @Override
        public Order paymentCaptured(PaymentCaptured e) {
            return next(OrderStatus.PAID, customerId, currency, lines, trackingNumber, cancelReason);
        }

        @Override
        public Order orderShipped(OrderShipped e) {
            return next(OrderStatus.SHIPPED, customerId, currency, lines, e.trackingNumber(), cancelReason);
        }

        @Override
        public Order orderDelivered(OrderDelivered e) {
            return next(OrderStatus.DELIVERED, customerId, currency, lines, trackingNumber, cancelReason);
        }

        @Override
        public Order orderCancelled(OrderCancelled e) {
            return next(OrderStatus.CANCELLED, customerId, currency, lines, trackingNumber, e.reason());
        }

        private Order next(OrderStatus s, UUID customer, String cur, Map<UUID, OrderLine> l, String tracking,
                String reason) {
            return new Order(id, version + 1, s, customer, cur, Collections.unmodifiableMap(l), tracking, reason);
        }
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
}
