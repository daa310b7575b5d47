package dev.tessera.ops;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The database goes away in the middle of a write load, and comes back.
 *
 * <p>The outage is real but confined to this test's own database: as the superuser, {@code ALTER DATABASE
 * … WITH ALLOW_CONNECTIONS false} refuses new connections and {@code pg_terminate_backend} kills the
 * service's open ones, as a restart would. (Restarting the cluster itself would break every other test
 * run sharing the machine's PostgreSQL.)
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.ShortAcquireWait.class)
class DatabaseOutageTest {

    /** A fresh database for this test alone (a profile restarts Quarkus), and one second of waiting for a connection. */
    public static class ShortAcquireWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tessera.db.pool-acquire-timeout", "1s");
        }
    }

    /** Acquire timeout plus a margin for this loaded 2-core machine: no request may take longer. */
    private static final long BOUND_MS = 1_000 + 3_000;

    @Test
    void writesFailFastDuringAnOutageAndNothingIsHalfWritten() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        WriteLoad load = new WriteLoad(List.of(target("A", t.memberA()), target("B", t.memberB())), 6);
        OutageTimeline timeline = new OutageTimeline();
        List<WriteLoad.Outcome> outcomes;
        long downAfter;
        long upAfter;
        // PostgreSQL refuses ALLOW_CONNECTIONS false on the current database: work from the maintenance one.
        Connection su = Db.asSuperuserOnMaintenanceDb();
        try {
            load.start();
            Thread.sleep(2_000);

            timeline.cut(su);
            downAfter = timeline.awaitReadiness(503, 8_000);
            Thread.sleep(3_000);
            given().get("/q/health/live").then().statusCode(200);
            timeline.restore(su);
            upAfter = timeline.awaitReadiness(200, 10_000);
            Thread.sleep(2_000);
            outcomes = load.stop();
        } finally {
            load.stop();
            timeline.restoreIfCut();
            su.close();
        }

        // A probe's own bound is 1 s; the rest is polling and this loaded 2-core machine.
        assertThat(downAfter).as("readiness DOWN after the cut, ms").isLessThan(5_000);
        assertThat(upAfter).as("readiness UP after the restore, ms").isLessThan(10_000);
        assertThat(outcomes).as("every request ended in time with 2xx or 503 problem+json")
                .allSatisfy(o -> {
                    assertThat(o.millis()).as("%s took", o).isLessThan(BOUND_MS);
                    assertThat(o.status()).as("%s", o).isIn(200, 201, 503);
                    if (o.status() == 503) {
                        assertThat(o.contentType()).startsWith("application/problem+json");
                        assertThat(o.problemType()).isEqualTo("https://tessera.dev/problems/service-unavailable");
                        assertThat(o.retryAfter()).as("Retry-After of %s", o).matches("[1-9][0-9]*");
                    }
                });
        assertThat(count(outcomes, o -> o.ok() && o.endedAtMs() < timeline.cutAt())).as("2xx before the cut").isPositive();
        assertThat(count(outcomes, o -> o.startedAtMs() > timeline.downAt() && o.endedAtMs() < timeline.restoredAt()))
                .as("requests during the outage").isPositive()
                .isEqualTo(count(outcomes, o -> o.status() == 503 && o.startedAtMs() > timeline.downAt()
                        && o.endedAtMs() < timeline.restoredAt()));
        for (String tenant : List.of("A", "B")) {
            assertThat(count(outcomes, o -> o.ok() && o.tenant().equals(tenant) && o.startedAtMs() > timeline.upAt()))
                    .as("tenant %s writes again after the restore", tenant).isPositive();
        }
        new WrittenData(t).assertHolds(outcomes);
        as(t.memberA()).body(Api.productJson("after")).post("/api/products").then().statusCode(201);
        as(t.memberB()).body(Api.productJson("after")).post("/api/products").then().statusCode(201);
    }

    private static WriteLoad.Target target(String label, String token) {
        String product = as(token).body(Api.productJson("for-orders")).post("/api/products").then().statusCode(201).extract()
                .path("id");
        return new WriteLoad.Target(label, token, product);
    }

    private static long count(List<WriteLoad.Outcome> outcomes, Predicate<WriteLoad.Outcome> p) {
        return outcomes.stream().filter(p).count();
    }

    /** Cuts and restores the database, remembering when each step happened. */
    static final class OutageTimeline {
        private long cutAt;
        private long downAt;
        private long restoredAt = Long.MAX_VALUE;
        private long upAt;
        private Connection cutBy;

        void cut(Connection su) throws Exception {
            cutBy = su;
            String db = Db.databaseName();
            try (Statement s = su.createStatement()) {
                s.execute("ALTER DATABASE \"" + db + "\" WITH ALLOW_CONNECTIONS false");
            }
            cutAt = System.currentTimeMillis();
            Db.column(su, """
                    SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity
                    WHERE  datname = ? AND usename IN ('tessera_app', 'tessera_owner')
                    """, db);
        }

        void restore(Connection su) throws Exception {
            try (Statement s = su.createStatement()) {
                s.execute("ALTER DATABASE \"" + Db.databaseName() + "\" WITH ALLOW_CONNECTIONS true");
            }
            restoredAt = System.currentTimeMillis();
            cutBy = null;
        }

        void restoreIfCut() throws Exception {
            if (cutBy != null) {
                restore(cutBy);
            }
        }

        /** Polls readiness until it answers {@code status}; returns how long that took after the last cut or restore. */
        long awaitReadiness(int status, long timeoutMs) throws InterruptedException {
            long from = cutBy != null ? cutAt : restoredAt;
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (System.currentTimeMillis() < deadline) {
                if (given().get("/q/health/ready").statusCode() == status) {
                    long now = System.currentTimeMillis();
                    if (status == 503) {
                        downAt = now;
                    } else {
                        upAt = now;
                    }
                    return now - from;
                }
                Thread.sleep(100);
            }
            return Long.MAX_VALUE;
        }

        long cutAt() {
            return cutAt;
        }

        long downAt() {
            return downAt;
        }

        long restoredAt() {
            return restoredAt;
        }

        long upAt() {
            return upAt;
        }
    }
}
