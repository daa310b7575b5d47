package dev.tessera.orders.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tessera.orders.domain.OrderEvent;

/** Every event survives the stored payload unchanged. Plain JUnit. */
class EventCodecTest {

    @Test
    void everyEventDecodesToWhatWasEncoded() {
        UUID product = UUID.randomUUID();
        List<OrderEvent> events = List.of(new OrderEvent.OrderCreated(UUID.randomUUID(), "EUR"),
                new OrderEvent.OrderCreated(null, "USD"),
                new OrderEvent.ItemAdded(product, "MUG-1", 3, new BigDecimal("9.99")),
                new OrderEvent.ItemRemoved(product), new OrderEvent.OrderPlaced(),
                new OrderEvent.PaymentCaptured(new BigDecimal("29.97")), new OrderEvent.OrderShipped("TRK 1"),
                new OrderEvent.OrderDelivered(), new OrderEvent.OrderCancelled("changed my mind"));

        for (OrderEvent e : events) {
            OrderEvent decoded = EventCodec.decode(OrderEvent.typeOf(e), EventCodec.encode(e), EventCodec.SCHEMA_VERSION);

            assertThat(decoded).isEqualTo(e);
        }
    }
}
