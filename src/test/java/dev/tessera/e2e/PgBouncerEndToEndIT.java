package dev.tessera.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;

/**
 * The packaged service whose runtime pool goes through PgBouncer 1.18 in transaction mode
 * (.ci/pgbouncer-up: 2 server connections), configured as docs/deployment.md says for PgBouncer < 1.21
 * (prepared-statement cache off, layer-7 proxy mode on), with Flyway going straight to PostgreSQL. A
 * concurrent mixed load from a SHARED and a SCHEMA tenant must see no row of the other tenant and no
 * server error, while server connections are constantly handed from one tenant's transaction to the
 * other's.
 */
class PgBouncerEndToEndIT {

    private static final int THREADS = 8;
    private static final int REQUESTS_PER_THREAD = 50;
    private static final int PGBOUNCER_SERVER_CONNECTIONS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FreshDatabase db;
    private static PackagedService service;
    private static Map<String, String> tokenBySlug;

    @BeforeAll
    static void startServiceBehindPgBouncer() {
        assertPgBouncerListens();
        db = FreshDatabase.create("tessera_e2e_pgb");
        service = PackagedService.start("pgbouncer-e2e", db, "127.0.0.1:" + E2eSettings.pgbouncerPort(),
                Integer.parseInt(E2eSettings.get("tessera.e2e.pgbouncer-http-port", "18091")),
                Map.of("TESSERA_DB_CACHE_PREPARED_STATEMENTS", "false", "TESSERA_DB_LAYER7_PROXY", "true",
                        "TESSERA_DB_POOL_SIZE", "4"));
        String ops = Keycloak.token("ops");
        provision(ops, "acme-e2e", "SHARED");
        provision(ops, "globex-e2e", "SCHEMA");
        tokenBySlug = Map.of("acme-e2e", Keycloak.token("alice"), "globex-e2e", Keycloak.token("bob"));
    }

    @AfterAll
    static void stopServiceAndDropDatabase() {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    @Test
    void concurrentTenantsThroughPgBouncerNeverSeeEachOthersRows() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> leaks = Collections.synchronizedList(new ArrayList<>());
        Map<String, Set<String>> created = Map.of("acme-e2e", ConcurrentHashMap.newKeySet(), "globex-e2e", ConcurrentHashMap.newKeySet());
        AtomicBoolean loadRunning = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> sampleServerConnections(loadRunning));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);

        sampler.start();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String slug = t % 2 == 0 ? "acme-e2e" : "globex-e2e";
            int thread = t;
            workers.add(pool.submit(() -> {
                runMixedLoad(http, slug, thread, statuses, leaks, created.get(slug));
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        loadRunning.set(false);
        sampler.join();

        assertThat(leaks).as("rows of another tenant seen under load").isEmpty();
        assertThat(statuses.keySet()).as("statuses seen (a 5xx means a broken connection or statement)").containsOnly(200, 201);
        assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(THREADS * REQUESTS_PER_THREAD);
        for (var e : created.entrySet()) {
            assertThat(e.getValue()).as("products created by " + e.getKey()).hasSize(THREADS / 2 * REQUESTS_PER_THREAD / 2);
            Map<String, String> listed = allProducts(http, e.getKey());
            assertThat(listed.values()).as("names of what " + e.getKey() + " lists after the load").allMatch(n -> n.startsWith(e.getKey() + " "));
            assertThat(listed.entrySet().stream().filter(p -> p.getValue().contains(" load ")).map(Map.Entry::getKey))
                    .as("load products " + e.getKey() + " lists afterwards").containsExactlyInAnyOrderElementsOf(e.getValue());
        }
        assertThat(maxServerConnections.get()).as("server connections of tessera_app while 8 clients ran: PgBouncer's pool, not the service's")
                .isBetween(1, PGBOUNCER_SERVER_CONNECTIONS);
    }

    @Test
    void anotherTenantsProductIs404ThroughPgBouncer() {
        String id = given().baseUri(service.baseUrl).auth().oauth2(tokenBySlug.get("acme-e2e")).contentType(ContentType.JSON)
                .body("{\"sku\":\"PGB-%d\",\"name\":\"acme-e2e only\",\"price\":1.00,\"currency\":\"EUR\"}".formatted(System.nanoTime()))
                .post("/api/products").then().statusCode(201).extract().path("id");

        given().baseUri(service.baseUrl).auth().oauth2(tokenBySlug.get("globex-e2e")).get("/api/products/{id}", id)
                .then().statusCode(404);
        given().baseUri(service.baseUrl).auth().oauth2(tokenBySlug.get("acme-e2e")).get("/api/products/{id}", id)
                .then().statusCode(200).body("name", equalTo("acme-e2e only"));
    }

    /** Alternates creating a product (named after the caller's tenant) and listing the newest ones. */
    private static void runMixedLoad(HttpClient http, String slug, int thread, Map<Integer, AtomicInteger> statuses,
            List<String> leaks, Set<String> created) throws IOException, InterruptedException {
        String token = tokenBySlug.get(slug);
        for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
            HttpRequest request = i % 2 == 0
                    ? request(token, "/api/products").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"sku\":\"L-%d-%d-%d\",\"name\":\"%s load t%d n%d\",\"price\":1.25,\"currency\":\"EUR\"}"
                                    .formatted(thread, i, System.nanoTime() % 1_000_000, slug, thread, i))).build()
                    : request(token, "/api/products?limit=100").GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() >= 300) {
                continue;
            }
            JsonNode body = JSON.readTree(response.body());
            for (JsonNode product : body.has("items") ? body.get("items") : List.of(body)) {
                if (!product.get("name").asText().startsWith(slug + " ")) {
                    leaks.add(slug + " saw " + product);
                }
            }
            if (response.statusCode() == 201) {
                created.add(body.get("id").asText());
            }
        }
    }

    /** Every live product the tenant lists, all pages: id to name. */
    private static Map<String, String> allProducts(HttpClient http, String slug) throws IOException, InterruptedException {
        Map<String, String> products = new HashMap<>();
        String cursor = null;
        do {
            String path = "/api/products?limit=100" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> response = http.send(request(tokenBySlug.get(slug), path).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            body.get("items").forEach(p -> products.put(p.get("id").asText(), p.get("name").asText()));
            cursor = body.path("next").isTextual() ? body.get("next").asText() : null;
        } while (cursor != null);
        return products;
    }

    private static final AtomicInteger maxServerConnections = new AtomicInteger();

    /** Records the most backends tessera_app ever had in the test database while the load ran. */
    private static void sampleServerConnections(AtomicBoolean running) {
        while (running.get()) {
            int n = Integer.parseInt(db.query("SELECT count(*) FROM pg_stat_activity WHERE usename = 'tessera_app' AND datname = current_database()").get(0));
            maxServerConnections.accumulateAndGet(n, Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static HttpRequest.Builder request(String token, String path) {
        return HttpRequest.newBuilder(URI.create(service.baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept", "application/json");
    }

    private static void provision(String opsToken, String slug, String isolation) {
        given().baseUri(service.baseUrl).auth().oauth2(opsToken).contentType(ContentType.JSON)
                .body("{\"slug\":\"%s\",\"name\":\"%s\",\"isolation\":\"%s\"}".formatted(slug, slug, isolation))
                .post("/admin/tenants").then().statusCode(201).body("isolation", equalTo(isolation));
    }

    private static void assertPgBouncerListens() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(E2eSettings.pgbouncerPort())), 2000);
        } catch (IOException e) {
            throw new IllegalStateException("PgBouncer is not listening on 127.0.0.1:" + E2eSettings.pgbouncerPort()
                    + ": start it with .ci/pgbouncer-up", e);
        }
    }
}
