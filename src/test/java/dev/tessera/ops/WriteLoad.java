package dev.tessera.ops;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A steady concurrent write load over HTTP (product creates, order creates and item adds) for a list of
 * tenants, recording every request's outcome and timing so a fault test can check what the clients saw
 * against what the database holds.
 */
final class WriteLoad {

    /** One tenant under load: its token and a product its orders add. */
    record Target(String label, String token, String productId) {
    }

    /** What one request got: kind is product, order or item; key the SKU or the order id. */
    record Outcome(String tenant, String kind, String key, int status, long startedAtMs, long millis, String contentType,
            String problemType, String retryAfter) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        long endedAtMs() {
            return startedAtMs + millis;
        }
    }

    /** No request may hang: the client gives up after this, and the test counts that as a failure. */
    static final int CLIENT_TIMEOUT_MS = 15_000;

    private final List<Target> targets;
    private final int workers;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private ExecutorService pool;

    WriteLoad(List<Target> targets, int workers) {
        this.targets = targets;
        this.workers = workers;
    }

    void start() {
        pool = Executors.newFixedThreadPool(workers);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            pool.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    Target t = targets.get((worker + i) % targets.size());
                    if (i % 2 == 0) {
                        createProduct(t);
                    } else {
                        createOrderWithItem(t);
                    }
                }
            });
        }
    }

    List<Outcome> stop() throws InterruptedException {
        running.set(false);
        pool.shutdown();
        if (!pool.awaitTermination(CLIENT_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("load workers did not stop: a request hangs");
        }
        return List.copyOf(outcomes);
    }

    private void createProduct(Target t) {
        String sku = "LOAD-" + UUID.randomUUID().toString().substring(0, 12);
        send(t, "product", sku, () -> request(t).body("{\"sku\":\"%s\",\"name\":\"load\",\"price\":1.00,\"currency\":\"EUR\"}"
                .formatted(sku)).post("/api/products"));
    }

    private void createOrderWithItem(Target t) {
        Response created = send(t, "order", null, () -> request(t).body("{\"currency\":\"EUR\"}").post("/api/orders"));
        if (created != null && created.statusCode() == 201) {
            String order = created.jsonPath().getString("id");
            send(t, "item", order, () -> request(t).body("{\"productId\":\"%s\",\"quantity\":1}".formatted(t.productId()))
                    .post("/api/orders/" + order + "/items"));
        }
    }

    private Response send(Target t, String kind, String key, java.util.function.Supplier<Response> call) {
        long start = System.currentTimeMillis();
        Response r;
        try {
            r = call.get();
        } catch (RuntimeException e) {
            // A client timeout or a reset connection: recorded as status 0, which the test refuses.
            outcomes.add(new Outcome(t.label(), kind, key, 0, start, System.currentTimeMillis() - start, null, null, null));
            return null;
        }
        long millis = System.currentTimeMillis() - start;
        String k = key != null ? key : r.statusCode() == 201 ? r.jsonPath().getString("id") : null;
        String type = r.contentType() != null && r.contentType().startsWith("application/problem+json")
                ? r.jsonPath().getString("type")
                : null;
        outcomes.add(new Outcome(t.label(), kind, k, r.statusCode(), start, millis, r.contentType(), type,
                r.header("Retry-After")));
        return r;
    }

    private static RequestSpecification request(Target t) {
        return given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", CLIENT_TIMEOUT_MS).setParam("http.connection.timeout", 5_000)))
                .auth().oauth2(t.token()).contentType(ContentType.JSON).accept(ContentType.JSON);
    }
}
