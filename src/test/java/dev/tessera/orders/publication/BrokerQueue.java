package dev.tessera.orders.publication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.vertx.core.json.JsonObject;

/**
 * A consumer on the real broker: an exclusive queue bound to the test run's exchange with one binding
 * key, collecting every delivery in arrival order.
 */
public final class BrokerQueue implements AutoCloseable {

    /** One delivery: the message id, routing key, headers and body as received. */
    public record Received(String messageId, String routingKey, Map<String, Object> headers, JsonObject body) {
        public String orderId() {
            return body.getString("orderId");
        }

        public int version() {
            return body.getInteger("version");
        }
    }

    private final Connection connection;
    private final Channel channel;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private BrokerQueue(Connection connection, Channel channel) {
        this.connection = connection;
        this.channel = channel;
    }

    /** Binds a new queue with {@code bindingKey} (for example {@code <tenant id>.order.*}) and starts consuming. */
    public static BrokerQueue bind(String bindingKey) throws IOException, TimeoutException {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(env("TESSERA_RABBITMQ_HOST", "127.0.0.1"));
        f.setPort(Integer.parseInt(env("TESSERA_RABBITMQ_PORT", "5672")));
        f.setUsername(env("TESSERA_RABBITMQ_USERNAME", "guest"));
        f.setPassword(env("TESSERA_RABBITMQ_PASSWORD", "guest"));
        Connection c = f.newConnection("tessera-test-consumer");
        Channel ch = c.createChannel();
        // Declared as the connector declares it, so the queue can be bound before the first publication.
        ch.exchangeDeclare(EventPublicationProfile.EXCHANGE, "topic", true, false, null);
        deleteExchangeAtExit(f);
        String queue = ch.queueDeclare("", false, true, true, null).getQueue();
        ch.queueBind(queue, EventPublicationProfile.EXCHANGE, bindingKey);
        BrokerQueue q = new BrokerQueue(c, ch);
        ch.basicConsume(queue, true, (tag, d) -> q.received.add(new Received(d.getProperties().getMessageId(),
                d.getEnvelope().getRoutingKey(), headers(d.getProperties().getHeaders()),
                new JsonObject(new String(d.getBody(), StandardCharsets.UTF_8)))), tag -> {
                });
        return q;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean CLEANUP = new java.util.concurrent.atomic.AtomicBoolean();

    /** The run's exchange outlives every queue (the relays publish between tests); it goes when the JVM does. */
    private static void deleteExchangeAtExit(ConnectionFactory f) {
        if (CLEANUP.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Connection c = f.newConnection("tessera-test-cleanup"); Channel ch = c.createChannel()) {
                    ch.exchangeDelete(EventPublicationProfile.EXCHANGE);
                } catch (Exception e) {
                    System.err.println("Could not delete exchange " + EventPublicationProfile.EXCHANGE + ": " + e.getMessage());
                }
            }));
        }
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Waits until what was received satisfies {@code done}, at most {@code timeout}; returns it either way. */
    public List<Received> await(Predicate<List<Received>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> now = received();
            if (done.test(now)) {
                return now;
            }
            sleep(50);
        }
        return received();
    }

    @Override
    public void close() throws Exception {
        channel.close();
        connection.close();
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> headers(Map<String, Object> raw) {
        Map<String, Object> out = new java.util.HashMap<>();
        if (raw != null) {
            raw.forEach((k, v) -> out.put(k, v == null ? null : v instanceof Number ? v : v.toString()));
        }
        return out;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
