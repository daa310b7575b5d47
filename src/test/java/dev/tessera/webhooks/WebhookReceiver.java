package dev.tessera.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A webhook receiver on 127.0.0.1 (a random port), run by the test on a Vert.x of its own. What it answers
 * depends on the first segment of the path: {@code ok} 200; {@code fail-N} 500 for the first N requests of
 * each webhook-id, then 200; {@code slow-N} the first N requests of each webhook-id answered after 1.5 s,
 * then at once; {@code gone} 410; {@code error} always 500. Every request is kept.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Received(String path, String id, String timestamp, String signature, String contentType, String body, Instant at) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final HttpServer server;

    private WebhookReceiver() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static WebhookReceiver start() throws Exception {
        return new WebhookReceiver();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(buffer -> {
            Received r = new Received(request.path(), request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
                    request.getHeader("webhook-signature"), request.getHeader("content-type"),
                    buffer.toString(StandardCharsets.UTF_8), Instant.now());
            received.add(r);
            String behaviour = request.path().split("/")[1];
            int n = seen.computeIfAbsent(request.path() + "|" + r.id(), k -> new AtomicInteger()).incrementAndGet();
            if (behaviour.startsWith("fail-")) {
                request.response().setStatusCode(n <= Integer.parseInt(behaviour.substring(5)) ? 500 : 200).end();
            } else if (behaviour.startsWith("slow-") && n <= Integer.parseInt(behaviour.substring(5))) {
                vertx.setTimer(1500, t -> request.response().setStatusCode(200).end());
            } else if (behaviour.equals("gone")) {
                request.response().setStatusCode(410).end();
            } else if (behaviour.equals("error")) {
                request.response().setStatusCode(500).end();
            } else {
                request.response().setStatusCode(200).end();
            }
        });
    }

    /** Every request to {@code path} so far. */
    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The requests to {@code path} once {@code done} holds of them; fails after {@code wait}. */
    List<Received> await(String path, Predicate<List<Received>> done, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> got = at(path);
            if (done.test(got)) {
                return got;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the receiver did not get what was expected at " + path + " within " + wait + "; got " + at(path));
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Verification as a receiver writes it from the Standard Webhooks specification: the secret is the
     * base64 after {@code whsec_}; the signed content is {@code id.timestamp.body}; the header holds
     * space-separated {@code v1,<base64 HMAC-SHA256>} entries, any of which may match; the timestamp must
     * be within five minutes of now (replay protection).
     */
    static boolean verifies(String secret, Received r) {
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(r.timestamp())) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = Base64.getEncoder().encode(mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body())
                    .getBytes(StandardCharsets.UTF_8)));
            for (String entry : r.signature().split(" ")) {
                String[] parts = entry.split(",", 2);
                if (parts.length == 2 && parts[0].equals("v1")
                        && MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.US_ASCII), expected)) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
