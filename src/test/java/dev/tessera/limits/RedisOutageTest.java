package dev.tessera.limits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * Redis slow, then stopped, under load: the service answers every request (200 or 429, never a 5xx), none
 * waits for Redis (a frozen Redis holds no request longer than the bounded timeout allows), the tenant's
 * limit is still approximately kept by the instance alone, and readiness and metrics say so; when Redis is
 * back, limits are shared again.
 */
@QuarkusTest
@TestProfile(RedisOutageTest.OwnRedisProfile.class)
class RedisOutageTest {

    static final double RATE = 50;
    static final int BURST = 25;
    static final int CLIENTS = 8;
    /** Shared, then Redis frozen for FROZEN, then shared again until STOP, then stopped until END. */
    static final Duration FREEZE = Duration.ofMillis(1500);
    static final Duration FROZEN = Duration.ofSeconds(4);
    static final Duration STOP = Duration.ofSeconds(7);
    static final Duration END = Duration.ofSeconds(10);

    /** The service's Redis is the test's own (OwnRedis); a short timeout and backoff. */
    public static class OwnRedisProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tessera.limits.redis-timeout", "100ms", "tessera.limits.redis-backoff", "500ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnRedis.class));
        }
    }

    /** One answer: status and how long it took. */
    record Answer(int status, long millis, long atMillis) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void redisStoppedUnderLoadLeavesNo5xxNoHangAndTheLimitApproximatelyKept() throws Exception {
        // given a tenant limited to 50 requests per second (burst 25), checked in the test's own Redis
        String slug = TestTenants.active();
        given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON)
                .body("{\"rate\":%s,\"burst\":%d}".formatted(RATE, BURST))
                .put("/admin/tenants/" + TestTenants.idOf(slug) + "/limits").then().statusCode(200);
        String token = TestTokens.member(slug);
        assertThat(readiness()).contains("\"mode\":\"shared\"");

        // when eight clients send requests as fast as they can, Redis freezes for 4 s, recovers, and is stopped
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long end = start + END.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            loops.add(clients.submit(() -> load(token, start, end, answers)));
        }
        Thread.sleep(FREEZE.toMillis());
        OwnRedis.freeze(FROZEN.toMillis());
        Thread.sleep(STOP.minus(FREEZE).toMillis());
        OwnRedis.down();
        long stoppedAt = (System.nanoTime() - start) / 1_000_000;
        for (Future<?> f : loops) {
            f.get();
        }
        clients.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;

        // then every answer is 200 or 429
        assertThat(answers).extracting(Answer::status).as("statuses").allMatch(s -> s == 200 || s == 429);
        // and no request waited for the frozen Redis (4 s): each waited at most the 100 ms timeout, plus the
        // noise of a shared machine
        List<Answer> whileFrozen = answers.stream().filter(a -> a.atMillis() >= FREEZE.toMillis()
                && a.atMillis() < FREEZE.plus(FROZEN).toMillis() - 1_000).toList();
        assertThat(whileFrozen).as("answers while Redis was frozen").isNotEmpty();
        assertThat(answers.stream().mapToLong(Answer::millis).max().orElseThrow()).as("slowest answer, ms")
                .isLessThan(FROZEN.toMillis() - 1_000);
        // and the limit held throughout: at most burst + rate x time, plus one burst each time the instance's
        // local bucket takes over (twice: frozen, stopped)
        long admitted = answers.stream().filter(a -> a.status() == 200).count();
        long admittedAfter = answers.stream().filter(a -> a.status() == 200 && a.atMillis() > stoppedAt + 200).count();
        double limit = BURST + RATE * seconds;
        assertThat((double) admitted).as("admitted in %.1f s (%d answers)", seconds, answers.size())
                .isBetween(0.9 * (RATE * seconds), 1.1 * (limit + 2 * BURST));
        double afterSeconds = (END.toMillis() - stoppedAt - 200) / 1000.0;
        assertThat(admittedAfter).as("admitted by the instance alone, after Redis stopped").isPositive()
                .isLessThanOrEqualTo((long) (1.1 * (BURST + RATE * afterSeconds)));
        assertThat(answers.stream().filter(a -> a.status() == 429).count()).as("refused").isPositive();
        // and readiness stays UP, saying the instance limits alone; the metrics count the failures
        String ready = readiness();
        assertThat(ready).contains("\"status\":\"UP\"").contains("\"mode\":\"local\"").contains("\"redis\":\"unavailable\"");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metric(metrics, "tessera_rate_limit_redis_failures_total")).isPositive();
        assertThat(metric(metrics, "tessera_rate_limit_redis_available")).isZero();
        assertThat(metric(metrics, "tessera_rate_limit_decisions_total\\{outcome=\"admitted\",source=\"local\"")).isPositive();

        // when Redis is back, the next requests after the backoff are shared again
        OwnRedis.up();
        Thread.sleep(700);
        for (int i = 0; i < 3; i++) {
            assertThat(send(token).statusCode()).isIn(200, 429);
        }
        assertThat(readiness()).contains("\"mode\":\"shared\"");
    }

    private void load(String token, long start, long end, ConcurrentLinkedQueue<Answer> answers) {
        while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            int status;
            try {
                status = send(token).statusCode();
            } catch (Exception e) {
                status = -1;
            }
            long now = System.nanoTime();
            answers.add(new Answer(status, (now - sent) / 1_000_000, (sent - start) / 1_000_000));
        }
    }

    private HttpResponse<String> send(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/api/tenant"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String readiness() {
        return given().get("/q/health/ready").then().extract().asString().replace(" ", "").replace("\n", "");
    }

    private static double metric(String metrics, String nameAndTags) {
        Matcher m = Pattern.compile("^" + nameAndTags + "[^\\n]*? (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
