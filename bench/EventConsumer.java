// The consumer side of bench/orders PUBLICATION=on: binds a queue to the run's exchange, counts every
// message, and measures how long after its append each event arrived (the body's recordedAt against
// this host's clock: the service, PostgreSQL and the broker share it here). Run as a single-file
// source program with amqp-client and slf4j-api on the class path (bench/orders does). On SIGTERM it
// prints: received, distinct ids, and the lag from append to delivery (p50, p99, max), then deletes its
// exchange. Args: EXCHANGE [HOST [PORT]].
import com.rabbitmq.client.*;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.*;
import java.util.concurrent.*;
import java.util.regex.*;

public class EventConsumer {
    static final Pattern RECORDED = Pattern.compile("\"recordedAt\":\"([^\"]+)\"");

    public static void main(String[] a) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(a.length > 1 ? a[1] : "127.0.0.1");
        f.setPort(a.length > 2 ? Integer.parseInt(a[2]) : 5672);
        Connection c = f.newConnection("tessera-bench-consumer");
        Channel ch = c.createChannel();
        ch.exchangeDeclare(a[0], "topic", true);
        String q = ch.queueDeclare("", false, true, true, null).getQueue();
        ch.queueBind(q, a[0], "#");
        List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ch.basicConsume(q, true, (tag, d) -> {
            long now = System.currentTimeMillis();
            Matcher m = RECORDED.matcher(new String(d.getBody(), StandardCharsets.UTF_8));
            if (m.find()) {
                lags.add(now - Instant.parse(m.group(1)).toEpochMilli());
            }
            ids.add(d.getProperties().getMessageId());
        }, tag -> { });
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<Long> l;
            synchronized (lags) { l = new ArrayList<>(lags); }
            Collections.sort(l);
            System.out.printf("received %d messages, %d distinct ids; append to delivery: p50 %d ms, p99 %d ms, max %d ms%n",
                    l.size(), ids.size(), pct(l, 0.5), pct(l, 0.99), l.isEmpty() ? 0 : l.get(l.size() - 1));
            try { ch.exchangeDelete(a[0]); c.close(); } catch (Exception e) { }
            stop.countDown();
        }));
        System.out.println("ready");
        stop.await();
    }

    static long pct(List<Long> l, double p) {
        return l.isEmpty() ? 0 : l.get(Math.min(l.size() - 1, (int) Math.ceil(p * l.size()) - 1));
    }
}
