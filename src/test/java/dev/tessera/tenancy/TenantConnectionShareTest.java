package dev.tessera.tenancy;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * A noisy neighbour: tenant A floods the service with requests that hold their connection (each waits on
 * a row lock), more than the whole pool. Without a per-tenant share A would hold every connection and B
 * would wait for the pool, then get 503. With it, A holds at most its share, its excess waits in its own
 * queue or is refused with 429 tenant-busy, and B is served throughout.
 */
@QuarkusTest
@TestProfile(TenantConnectionShareTest.SmallPool.class)
class TenantConnectionShareTest {

    static final int POOL = 6;
    static final int SHARE = 3;
    static final int QUEUE = 3;
    static final int FLOOD = 12;
    static final long LOCK_HELD_MS = 4_000;

    /** A pool of six, so that twelve slow requests are more than the whole pool; a short wait. */
    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", String.valueOf(POOL),
                    "tessera.plans.standard.connection-share", "0.5",
                    "tessera.tenancy.share.queue", String.valueOf(QUEUE),
                    "tessera.tenancy.share.max-wait", "1500ms",
                    "tessera.db.pool-acquire-timeout", "2s",
                    "tessera.tenancy.statement-timeout", "10s");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aTenantHoldingItsShareWaitsOrIsRefusedWhileTheOtherTenantIsServed(IsolationMode mode) throws Exception {
        // given A (this mode) and B (the other), each with a product; A's product locked by another session
        TwoTenants t = TwoTenants.create(mode, mode == IsolationMode.SHARED ? IsolationMode.SCHEMA : IsolationMode.SHARED);
        String productA = created(t.adminA(), "of A");
        String productB = created(t.memberB(), "of B");
        List<Long> quiet = readsOf(t.memberB(), productB, 40);

        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        List<Long> busy;
        try (Connection su = Db.asSuperuser()) {
            su.setAutoCommit(false);
            String schema = Db.column(su, "SELECT CASE isolation WHEN 'SCHEMA' THEN schema_name ELSE 'tessera' END "
                    + "FROM tessera.tenants WHERE id = ?", t.idA()).get(0);
            assertThat(Db.column(su, "SELECT public_id::text FROM " + schema + ".products WHERE public_id = ?::uuid FOR UPDATE", productA))
                    .containsExactly(productA);

            // when A sends twice the pool in updates of the locked product, each holding its connection
            long floodStart = System.nanoTime();
            for (int i = 0; i < FLOOD; i++) {
                flood.add(http.sendAsync(HttpRequest.newBuilder(uri("/api/products/" + productA))
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"renamed " + i + "\"}"))
                        .header("Authorization", "Bearer " + t.adminA()).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(300);
            // then B's reads are all served while A holds its share, none waiting for A's connections
            busy = readsOf(t.memberB(), productB, 40);
            assertThat(Duration.ofNanos(System.nanoTime() - floodStart)).as("B read while A's lock was held")
                    .isLessThan(Duration.ofMillis(LOCK_HELD_MS));
            Thread.sleep(Math.max(0, LOCK_HELD_MS - Duration.ofNanos(System.nanoTime() - floodStart).toMillis()));
            su.rollback();
        }

        // and A got its share (the locked updates, then the queue behind them) and 429 tenant-busy for the rest
        List<HttpResponse<String>> answers = flood.stream().map(CompletableFuture::join).toList();
        long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
        List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(ok + refused.size()).as("every answer is 200 or 429: %s", answers.stream().map(HttpResponse::statusCode).toList())
                .isEqualTo(FLOOD);
        assertThat(ok).as("A's share worked, one at a time after the lock").isGreaterThanOrEqualTo(SHARE);
        assertThat(refused.size()).as("beyond its share and queue, or waiting past max-wait")
                .isGreaterThanOrEqualTo(FLOOD - SHARE - QUEUE);
        for (HttpResponse<String> r : refused) {
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(r.body()).contains("\"type\":\"https://tessera.dev/problems/tenant-busy\"").contains("\"status\":429");
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        }
        Log.infof("B's p99 quiet %d ms, while A floods %d ms", p99(quiet) / 1_000_000, p99(busy) / 1_000_000);

        // and the refusals are counted for A, never for B
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(counter(metrics, "tessera_tenant_db_refused_total", t.slugA())).isEqualTo(refused.size(), org.assertj.core.data.Offset.offset(0.0));
        assertThat(counter(metrics, "tessera_tenant_db_refused_total", t.slugB())).isZero();
        assertThat(counter(metrics, "tessera_tenant_db_in_flight", t.slugA())).isZero();
    }

    /** B's reads, one after another: each must be 200 within the pool's acquire timeout; returns their latencies. */
    private List<Long> readsOf(String token, String product, int n) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/products/" + product))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            nanos.add(System.nanoTime() - start);
            assertThat(r.statusCode()).as("B's read %d: %s", i, r.body()).isEqualTo(200);
        }
        return nanos;
    }

    private static long p99(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    private static double counter(String metrics, String name, String slug) {
        Matcher m = Pattern.compile("^" + name + "\\{[^}]*tenant=\"" + Pattern.quote(slug) + "\"[^}]*\\} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String created(String token, String name) {
        return as(token).body(Api.productJson(name)).post("/api/products").then().statusCode(201).extract().path("id");
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + path);
    }
}
