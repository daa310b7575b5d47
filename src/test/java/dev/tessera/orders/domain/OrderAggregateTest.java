package dev.tessera.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.orders.domain.OrderCommand.AddItem;
import dev.tessera.orders.domain.OrderCommand.CancelOrder;
import dev.tessera.orders.domain.OrderCommand.CapturePayment;
import dev.tessera.orders.domain.OrderCommand.CreateOrder;
import dev.tessera.orders.domain.OrderCommand.DeliverOrder;
import dev.tessera.orders.domain.OrderCommand.PlaceOrder;
import dev.tessera.orders.domain.OrderCommand.RemoveItem;
import dev.tessera.orders.domain.OrderCommand.ShipOrder;

/** Every transition of the order aggregate, allowed and forbidden; replay properties. Plain JUnit. */
class OrderAggregateTest {

    static final UUID MUG = UUID.randomUUID();
    static final UUID TEA = UUID.randomUUID();

    @Test
    void aFullLifecycleEndsDeliveredWithTheExactTotal() {
        Order o = run(Order.empty(UUID.randomUUID()), new CreateOrder(null, "EUR"), add(MUG, 3, "9.99"), add(TEA, 1, "0.03"),
                new PlaceOrder(), new CapturePayment(), new ShipOrder("TRK 1"), new DeliverOrder());

        assertThat(o.status()).isEqualTo(OrderStatus.DELIVERED);
        assertThat(o.total()).isEqualByComparingTo("30.00");
        assertThat(o.itemCount()).isEqualTo(4);
        assertThat(o.version()).isEqualTo(7);
        assertThat(o.trackingNumber()).isEqualTo("TRK 1");
    }

    @Test
    void paymentCapturesExactlyTheTotal() {
        Order placed = run(Order.empty(UUID.randomUUID()), new CreateOrder(null, "EUR"), add(MUG, 7, "0.10"), new PlaceOrder());

        List<OrderEvent> events = placed.decide(new CapturePayment());

        assertThat(events).containsExactly(new OrderEvent.PaymentCaptured(new BigDecimal("0.70")));
    }

    @Test
    void removingAnItemTakesItOutOfTheTotal() {
        Order o = run(Order.empty(UUID.randomUUID()), new CreateOrder(null, "EUR"), add(MUG, 1, "5.00"), add(TEA, 2, "1.50"),
                new RemoveItem(MUG));

        assertThat(o.total()).isEqualByComparingTo("3.00");
        assertThat(o.lines()).extracting(OrderLine::productId).containsExactly(TEA);
    }

    @ParameterizedTest
    @EnumSource(OrderStatus.class)
    void eachCommandIsAllowedExactlyInItsStates(OrderStatus status) {
        Order o = orderIn(status);

        assertAllowedOnlyIf(o, add(MUG, 1, "1.00"), status == OrderStatus.DRAFT, OrderRule.ORDER_NOT_EDITABLE);
        assertAllowedOnlyIf(o, new RemoveItem(MUG), status == OrderStatus.DRAFT, OrderRule.ORDER_NOT_EDITABLE);
        assertAllowedOnlyIf(o, new PlaceOrder(), status == OrderStatus.DRAFT, OrderRule.ORDER_NOT_DRAFT);
        assertAllowedOnlyIf(o, new CapturePayment(), status == OrderStatus.PLACED, OrderRule.ORDER_NOT_PLACED);
        assertAllowedOnlyIf(o, new ShipOrder("T"), status == OrderStatus.PAID, OrderRule.ORDER_NOT_PAID);
        assertAllowedOnlyIf(o, new DeliverOrder(), status == OrderStatus.SHIPPED, OrderRule.ORDER_NOT_SHIPPED);
        assertAllowedOnlyIf(o, new CancelOrder("r"), status == OrderStatus.DRAFT || status == OrderStatus.PLACED
                || status == OrderStatus.PAID, OrderRule.ORDER_NOT_CANCELLABLE);
        assertAllowedOnlyIf(o, new CreateOrder(null, "EUR"), false, OrderRule.ORDER_EXISTS);
    }

    @Test
    void anEmptyOrderCannotBePlaced() {
        Order o = run(Order.empty(UUID.randomUUID()), new CreateOrder(null, "EUR"));

        assertThatThrownBy(() -> o.decide(new PlaceOrder())).isInstanceOf(OrderRuleViolation.class)
                .extracting(e -> ((OrderRuleViolation) e).rule()).isEqualTo(OrderRule.ORDER_EMPTY);
    }

    @Test
    void removingAProductThatIsNotInTheOrderIsRefused() {
        Order o = run(Order.empty(UUID.randomUUID()), new CreateOrder(null, "EUR"), add(MUG, 1, "1.00"));

        assertThatThrownBy(() -> o.decide(new RemoveItem(TEA))).extracting(e -> ((OrderRuleViolation) e).rule())
                .isEqualTo(OrderRule.ITEM_NOT_IN_ORDER);
    }

    @Test
    void aProductInAnotherCurrencyIsRefused() {
        Order o = run(Order.empty(UUID.randomUUID()), new CreateOrder(null, "EUR"));

        assertThatThrownBy(() -> o.decide(new AddItem(MUG, "M", 1, BigDecimal.ONE, "USD")))
                .extracting(e -> ((OrderRuleViolation) e).rule()).isEqualTo(OrderRule.CURRENCY_MISMATCH);
    }

    @Test
    void randomValidHistoriesReplayToTheSameStateAtEveryPrefix() {
        Random random = new Random(42);
        for (int run = 0; run < 200; run++) {
            List<OrderEvent> history = new ArrayList<>();
            Order o = Order.empty(UUID.randomUUID());
            List<Order> states = new ArrayList<>();
            for (int step = 0; step < 12; step++) {
                OrderCommand c = randomCommand(random, o);
                try {
                    List<OrderEvent> events = o.decide(c);
                    for (OrderEvent e : events) {
                        o = o.apply(e);
                        history.add(e);
                        states.add(o);
                    }
                } catch (OrderRuleViolation refused) {
                    // A refused command changes nothing: that is part of the property.
                }
            }

            for (int k = 1; k <= history.size(); k++) {
                Order replayed = Order.replay(o.id(), history.subList(0, k));
                Order expected = states.get(k - 1);
                assertThat(replayed.version()).isEqualTo(k);
                assertThat(replayed.status()).isEqualTo(expected.status());
                assertThat(replayed.total()).isEqualByComparingTo(expected.total());
                assertThat(replayed.lines()).isEqualTo(expected.lines());
            }
        }
    }

    static OrderCommand randomCommand(Random r, Order o) {
        UUID product = r.nextBoolean() ? MUG : TEA;
        return switch (r.nextInt(9)) {
            case 0 -> new CreateOrder(null, "EUR");
            case 1, 2 -> add(product, 1 + r.nextInt(5), (1 + r.nextInt(2000)) / 100 + "." + String.format("%02d", r.nextInt(100)));
            case 3 -> new RemoveItem(product);
            case 4 -> new PlaceOrder();
            case 5 -> new CapturePayment();
            case 6 -> new ShipOrder("T" + r.nextInt(100));
            case 7 -> new DeliverOrder();
            default -> new CancelOrder("changed mind");
        };
    }

    static Order orderIn(OrderStatus status) {
        Order o = run(Order.empty(UUID.randomUUID()), new CreateOrder(null, "EUR"), add(MUG, 1, "2.00"));
        List<OrderCommand> path = switch (status) {
            case DRAFT -> List.of();
            case PLACED -> List.of(new PlaceOrder());
            case PAID -> List.of(new PlaceOrder(), new CapturePayment());
            case SHIPPED -> List.of(new PlaceOrder(), new CapturePayment(), new ShipOrder("T"));
            case DELIVERED -> List.of(new PlaceOrder(), new CapturePayment(), new ShipOrder("T"), new DeliverOrder());
            case CANCELLED -> List.of(new CancelOrder("r"));
        };
        return run(o, path.toArray(OrderCommand[]::new));
    }

    static void assertAllowedOnlyIf(Order o, OrderCommand c, boolean allowed, OrderRule rule) {
        if (allowed) {
            assertThat(o.decide(c)).isNotEmpty();
        } else {
            assertThatThrownBy(() -> o.decide(c)).as(c + " in " + o.status()).isInstanceOf(OrderRuleViolation.class)
                    .extracting(e -> ((OrderRuleViolation) e).rule()).isEqualTo(rule);
        }
    }

    static AddItem add(UUID product, int qty, String price) {
        return new AddItem(product, "SKU", qty, new BigDecimal(price), "EUR");
    }

    static Order run(Order o, OrderCommand... commands) {
        for (OrderCommand c : commands) {
            for (OrderEvent e : o.decide(c)) {
                o = o.apply(e);
            }
        }
        return o;
    }
}
