package dev.tessera.audit;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The audit chain sealed after commit (docs/design/audit-trail.md), tried with tenants A and B in one
 * isolation mode: concurrent writers, every kind of tampering, a sealer killed mid-batch, sealers
 * racing each other, and a transaction that commits its audit row late.
 */
abstract class AuditSealContract {

    abstract IsolationMode isolation();

    TwoTenants t;

    @BeforeEach
    void twoTenants() {
        t = TwoTenants.create(isolation(), isolation());
    }

    @Test
    void thirtyTwoConcurrentWritersAcrossTwoTenantsAreAllSealedIntoSeparateIntactChains() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int writer = 0; writer < 32; writer++) {
                String token = writer % 2 == 0 ? t.memberA() : t.memberB();
                sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + "/api/products")).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Api.productJson("w" + writer))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        }
        assertThat(sent).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(201));

        JsonPath a = quietlySealed(t.adminA());
        JsonPath b = quietlySealed(t.adminB());

        assertThat(a.getBoolean("intact")).isTrue();
        assertThat(b.getBoolean("intact")).isTrue();
        assertThat(a.getLong("sealed")).isEqualTo(64);
        assertThat(b.getLong("sealed")).isEqualTo(64);
        // Looked at under RLS: each tenant's batches cover exactly its own rows, and no row twice.
        try (Connection su = Db.asSuperuser()) {
            for (UUID tenant : List.of(t.idA(), t.idB())) {
                String s = AuditTrailContract.schemaOf(tenant);
                assertThat(Db.column(su, "SELECT sum(row_count) FROM " + s + ".audit_seal WHERE tenant_id = ?", tenant))
                        .containsExactly("64");
                assertThat(Db.column(su, """
                        SELECT count(*) FROM %1$s.audit_seal s JOIN %1$s.audit_log a
                            ON (a.txid, a.id) > (s.from_txid, s.from_id) AND (a.txid, a.id) <= (s.to_txid, s.to_id)
                         WHERE s.tenant_id = ? AND a.tenant_id = s.tenant_id""".formatted(s), tenant)).containsExactly("64");
            }
        }
    }

    @Test
    void aRowChangedAfterSealingIsNamed() throws Exception {
        List<Integer> ids = threeSealedRows();

        tamper("UPDATE %s.audit_log SET actor = 'mallory' WHERE id = " + ids.get(1));

        as(t.adminA()).get("/api/audit/verify").then().statusCode(200).body("intact", equalTo(false))
                .body("firstBrokenId", equalTo(ids.get(1))).body("reason", equalTo("content does not match its hash"));
        as(t.adminB()).get("/api/audit/verify").then().body("intact", equalTo(true));
    }

    @Test
    void aSealedRowDeletedIsDetected() throws Exception {
        List<Integer> ids = threeSealedRows();

        tamper("DELETE FROM %s.audit_log WHERE id = " + ids.get(1));

        as(t.adminA()).get("/api/audit/verify").then().body("intact", equalTo(false))
                .body("reason", equalTo("a sealed row was removed")).body("firstBrokenBatch", equalTo(1));
        as(t.adminB()).get("/api/audit/verify").then().body("intact", equalTo(true));
    }

    @Test
    void aForgedRowAmongSealedRowsIsDetected() throws Exception {
        List<Integer> ids = threeSealedRows();

        // A complete, self-consistent row (its own hash right), placed between two sealed rows.
        tamper("""
                INSERT INTO %1$s.audit_log (tenant_id, table_name, record_id, action, new_data, actor, txid, at, row_hash)
                SELECT tenant_id, table_name, r, 'INSERT', '{}'::jsonb, 'mallory', txid, at,
                       tessera.audit_hash(NULL, table_name, r, 'INSERT', NULL, '{}'::jsonb, 'mallory', txid, at)
                  FROM %1$s.audit_log, (SELECT gen_random_uuid() AS r) x WHERE id = """ + ids.get(0));

        as(t.adminA()).get("/api/audit/verify").then().body("intact", equalTo(false))
                .body("reason", equalTo("a row was inserted among sealed rows"));
    }

    @Test
    void sealedRowsReorderedAreDetected() throws Exception {
        // The chain's order is (txid, id), and txid is part of each row's hash: rows can only be
        // reordered among the rows of one transaction. Three inserts in one transaction, then.
        String schema = AuditTrailContract.schemaOf(t.idA());
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", t.idA().toString());
            for (int i = 0; i < 3; i++) {
                Db.column(app, "INSERT INTO " + schema + ".products (public_id, sku, name, price, currency) "
                        + "VALUES (gen_random_uuid(), 'ONE-TX-" + i + "', 'one tx', 1, 'EUR')");
            }
            app.commit();
        }
        assertThat(quietlySealed(t.adminA()).getLong("sealed")).isEqualTo(3);
        List<Integer> ids = as(t.adminA()).get("/api/audit").then().extract().path("items.id");

        // Swap the whole content of two of them (each still matches its own hash): their order changes.
        tamper("""
                UPDATE %1$s.audit_log a SET table_name = b.table_name, record_id = b.record_id, action = b.action,
                       old_data = b.old_data, new_data = b.new_data, changed_columns = b.changed_columns,
                       actor = b.actor, txid = b.txid, at = b.at, row_hash = b.row_hash
                  FROM %1$s.audit_log b
                 WHERE (a.id, b.id) IN ((%2$d, %3$d), (%3$d, %2$d))""".formatted("%1$s", ids.get(0), ids.get(2)));

        as(t.adminA()).get("/api/audit/verify").then().body("intact", equalTo(false))
                .body("reason", equalTo("sealed rows were reordered"));
    }

    @Test
    void aSealerKilledMidBatchLeavesNothingHalfSealedAndTheNextRunCompletes() throws Exception {
        String schema = AuditTrailContract.schemaOf(t.idA());
        try (Connection su = Db.asSuperuser(); Connection blocker = Db.asSuperuser()) {
            blocker.setAutoCommit(false);
            // Every batch insert now waits: the sealer that takes tenant A stops after its state update.
            Db.column(blocker, "LOCK TABLE " + schema + ".audit_seal IN EXCLUSIVE MODE");
            for (int i = 0; i < 3; i++) {
                as(t.memberA()).body(Api.productJson("k" + i)).post("/api/products").then().statusCode(201);
            }
            String sealer = awaitOne(su, """
                    SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                     WHERE NOT l.granted AND c.relname = 'audit_seal' AND l.database =
                           (SELECT oid FROM pg_database WHERE datname = current_database())""");

            Db.column(su, "SELECT pg_terminate_backend(" + sealer + ")");
            awaitGone(su, sealer);

            // The killed batch left neither its state change nor its batch.
            assertThat(Db.column(su, "SELECT count(*) FROM " + schema + ".audit_seal WHERE tenant_id = ?", t.idA()))
                    .containsExactly("0");
            assertThat(Db.column(su, "SELECT coalesce(max(batch_no), 0) FROM " + schema
                    + ".audit_seal_state WHERE tenant_id = ?", t.idA())).containsExactly("0");
            blocker.rollback();
        }

        JsonPath v = quietlySealed(t.adminA());
        assertThat(v.getBoolean("intact")).isTrue();
        assertThat(v.getLong("sealed")).isEqualTo(3);
    }

    @Test
    void sealersRacingOnOneTenantNeverSealARowTwiceOrForkTheChain() throws Exception {
        for (int i = 0; i < 40; i++) {
            as(t.memberA()).body(Api.productJson("r" + i)).post("/api/products").then().statusCode(201);
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> racers = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                racers.add(pool.submit(() -> sealInBatchesOfThree(t.idA())));
            }
            for (Future<Integer> f : racers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        JsonPath v = quietlySealed(t.adminA());
        assertThat(v.getBoolean("intact")).isTrue();
        assertThat(v.getLong("sealed")).isEqualTo(40);
        String schema = AuditTrailContract.schemaOf(t.idA());
        try (Connection su = Db.asSuperuser()) {
            // Batches 1..n without a gap or a repeat, each starting where the one before ended.
            assertThat(Db.column(su, """
                    SELECT count(*) = max(batch_no) AND bool_and((from_txid, from_id) IS NOT DISTINCT FROM
                           (coalesce(p_txid, 0), coalesce(p_id, 0)))
                      FROM (SELECT batch_no, from_txid, from_id, lag(to_txid) OVER w AS p_txid, lag(to_id) OVER w AS p_id
                              FROM %s.audit_seal WHERE tenant_id = ? WINDOW w AS (ORDER BY batch_no)) s""".formatted(schema),
                    t.idA())).containsExactly("t");
        }
    }

    @Test
    void aLongTransactionsAuditRowIsSealedAfterItCommitsAndNeverSkipped() throws Exception {
        as(t.memberA()).body(Api.productJson("before")).post("/api/products").then().statusCode(201);
        quietlySealed(t.adminA());
        String schema = AuditTrailContract.schemaOf(t.idA());

        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true), set_config('app.user_id', 'slow-writer', true)",
                    t.idA().toString());
            // Its audit row takes a txid and an id now, and commits after the writes below.
            Db.column(app, "INSERT INTO " + schema + ".products (public_id, sku, name, price, currency) "
                    + "VALUES (gen_random_uuid(), 'SLOW-1', 'slow', 1, 'EUR')");
            for (int i = 0; i < 3; i++) {
                as(t.memberA()).body(Api.productJson("after" + i)).post("/api/products").then().statusCode(201);
            }
            Thread.sleep(1500); // several sealer passes

            // The later rows committed, but sealing them now would close the chain over the open one.
            as(t.adminA()).get("/api/audit/verify").then().body("intact", equalTo(true))
                    .body("sealed", equalTo(1)).body("unsealed", equalTo(3));

            app.commit();
        }

        JsonPath v = quietlySealed(t.adminA());
        assertThat(v.getBoolean("intact")).isTrue();
        assertThat(v.getLong("sealed")).isEqualTo(5);
        as(t.adminA()).get("/api/audit?actor=slow-writer").then().body("items.size()", equalTo(1));
    }

    @Test
    void rowsChainedBeforeSealingStillVerifyAndTheSealedChainLinksToThem() throws Exception {
        // What tenant V009 finds on an existing installation: rows linked by the old trigger.
        String schema = AuditTrailContract.schemaOf(t.idA());
        List<String> legacy;
        try (Connection su = Db.asSuperuser()) {
            su.setAutoCommit(false);
            for (int i = 0; i < 3; i++) {
                Db.column(su, """
                        INSERT INTO %1$s.audit_log (tenant_id, table_name, record_id, action, new_data, actor, txid, at,
                                                    prev_hash, hash)
                        SELECT ?, 'products', r, 'INSERT', '{"name":"old"}'::jsonb, 'old-release', 1000 + %2$d, now(), p,
                               tessera.audit_hash(p, 'products', r, 'INSERT', NULL, '{"name":"old"}'::jsonb,
                                                  'old-release', 1000 + %2$d, now())
                          FROM (SELECT gen_random_uuid() AS r,
                                       (SELECT hash FROM %1$s.audit_log WHERE tenant_id = ? ORDER BY id DESC LIMIT 1) AS p) x
                        """.formatted(schema, i), t.idA(), t.idA());
            }
            su.commit();
            legacy = Db.column(su, "SELECT id FROM " + schema + ".audit_log WHERE tenant_id = ? ORDER BY id", t.idA());
        }
        as(t.memberA()).body(Api.productJson("new")).post("/api/products").then().statusCode(201);

        JsonPath v = quietlySealed(t.adminA());
        assertThat(v.getBoolean("intact")).isTrue();
        assertThat(v.getLong("checked")).isEqualTo(4);
        assertThat(v.getLong("sealed")).isEqualTo(1);

        tamper("UPDATE %s.audit_log SET actor = 'mallory' WHERE id = " + legacy.get(1));
        as(t.adminA()).get("/api/audit/verify").then().body("intact", equalTo(false))
                .body("firstBrokenId", equalTo(Integer.parseInt(legacy.get(1))))
                .body("reason", equalTo("content does not match its hash"));
    }

    @Test
    void anEmptyTrailVerifiesWithNothingUnsealed() {
        as(t.adminB()).get("/api/audit/verify").then().statusCode(200).body("intact", equalTo(true))
                .body("checked", equalTo(0)).body("unsealed", equalTo(0)).body("oldestUnsealedAgeMs", nullValue());
    }

    /**
     * Three product inserts of tenant A, sealed by the service's sealer as one batch: an older
     * transaction held open meanwhile keeps the sealing horizon below all three until it ends.
     */
    private List<Integer> threeSealedRows() throws SQLException {
        try (Connection horizon = Db.asSuperuser()) {
            horizon.setAutoCommit(false);
            Db.column(horizon, "SELECT txid_current()");
            for (int i = 0; i < 3; i++) {
                as(t.memberA()).body(Api.productJson("p" + i)).post("/api/products").then().statusCode(201);
            }
            horizon.commit();
        }
        JsonPath v = quietlySealed(t.adminA());
        assertThat(v.getBoolean("intact")).isTrue();
        assertThat(v.getLong("sealed")).isEqualTo(3);
        assertThat(v.getLong("batches")).isEqualTo(1);
        return as(t.adminA()).get("/api/audit").then().extract().path("items.id");
    }

    /** Waits until the service's sealer has sealed every committed row of the admin's tenant. */
    static JsonPath quietlySealed(String admin) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            JsonPath v = as(admin).get("/api/audit/verify").then().statusCode(200).extract().jsonPath();
            if (v.getLong("unsealed") == 0 || System.nanoTime() > deadline) {
                assertThat(v.getLong("unsealed")).as("rows left unsealed").isZero();
                return v;
            }
            sleep(100);
        }
    }

    /** Runs audit_seal(3) as the service role until the tenant has nothing left, whoever else seals. */
    private static int sealInBatchesOfThree(UUID tenant) throws SQLException {
        int total = 0;
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            for (int round = 0; round < 200; round++) {
                Db.column(app, "SELECT set_config('app.tenant_id', ?, true), set_config('search_path', ?, true)",
                        tenant.toString(), schemaOfUnchecked(tenant));
                List<String> r = Db.column(app, "SELECT sealed || ',' || (oldest_unsealed IS NULL) FROM audit_seal(3)");
                app.commit();
                String[] parts = r.get(0).split(",");
                int sealed = Integer.parseInt(parts[0]);
                total += Math.max(sealed, 0);
                if (sealed == 0 && parts[1].equals("true")) {
                    return total;
                }
            }
        }
        return total;
    }

    private static String schemaOfUnchecked(UUID tenant) {
        try {
            return AuditTrailContract.schemaOf(tenant);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement as the superuser on tenant A's schema (%s): tampering the service cannot do. */
    private void tamper(String sql) throws Exception {
        String schema = AuditTrailContract.schemaOf(t.idA());
        try (Connection su = Db.asSuperuser()) {
            Db.column(su, sql.formatted(schema));
        }
    }

    private static String awaitOne(Connection c, String sql) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> rows = Db.column(c, sql);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            sleep(50);
        }
        throw new AssertionError("no sealer came to wait on the batch insert");
    }

    private static void awaitGone(Connection c, String pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline
                && !Db.column(c, "SELECT 1 FROM pg_stat_activity WHERE pid = " + pid).isEmpty()) {
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
