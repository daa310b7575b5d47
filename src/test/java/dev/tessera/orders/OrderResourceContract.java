package dev.tessera.orders;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** Event-sourced orders over HTTP, as tenant A and tenant B; run once per isolation mode. */
abstract class OrderResourceContract {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    abstract IsolationMode isolation();

    TwoTenants t;
    String mug;
    String tea;

    @BeforeEach
    void tenantsAndProducts() {
        t = TwoTenants.create(isolation(), isolation());
        mug = product(t.memberA(), "9.99");
        tea = product(t.memberA(), "0.03");
    }

    @Test
    void aWholeLifecycleOverHttp() {
        String id = createOrder(t.memberA());

        item(t.memberA(), id, mug, 3).then().statusCode(200).header("ETag", "\"2\"");
        item(t.memberA(), id, tea, 1).then().statusCode(200).body("total", equalTo("30.00"));
        as(t.memberA()).post("/api/orders/" + id + "/place").then().statusCode(200).body("status", equalTo("PLACED"));
        as(t.memberA()).post("/api/orders/" + id + "/pay").then().statusCode(200).body("status", equalTo("PAID"));
        as(t.memberA()).body("{\"trackingNumber\":\"TRK-1\"}").post("/api/orders/" + id + "/ship").then().statusCode(200);
        as(t.memberA()).post("/api/orders/" + id + "/deliver").then().statusCode(200).header("ETag", "\"7\"")
                .body("status", equalTo("DELIVERED"));

        as(t.memberA()).get("/api/orders/" + id).then().statusCode(200).body("version", equalTo(7))
                .body("trackingNumber", equalTo("TRK-1"));
        as(t.memberA()).get("/api/orders/" + id + "/events").then().statusCode(200).body("items.type",
                contains("OrderCreated", "ItemAdded", "ItemAdded", "OrderPlaced", "PaymentCaptured", "OrderShipped",
                        "OrderDelivered"))
                .body("items[4].payload.amount", equalTo("30.00")).body("items[0].metadata.actor", equalTo(t.slugA() + "-user"));
        as(t.memberA()).get("/api/orders?status=DELIVERED&limit=100").then().body("items.id", hasItem(id));
    }

    @Test
    void invalidTransitionsAre409NamingTheRule() {
        String id = createOrder(t.memberA());

        as(t.memberA()).post("/api/orders/" + id + "/place").then().statusCode(409).body("type", equalTo(PROBLEM + "order-empty"));
        as(t.memberA()).post("/api/orders/" + id + "/pay").then().statusCode(409).body("type", equalTo(PROBLEM + "order-not-placed"));
        as(t.memberA()).delete("/api/orders/" + id + "/items/" + mug).then().statusCode(409)
                .body("type", equalTo(PROBLEM + "item-not-in-order"));
        item(t.memberA(), id, mug, 1).then().statusCode(200);
        as(t.memberA()).post("/api/orders/" + id + "/place").then().statusCode(200);
        item(t.memberA(), id, tea, 1).then().statusCode(409).body("type", equalTo(PROBLEM + "order-not-editable"));
        as(t.memberA()).post("/api/orders/" + id + "/pay").then().statusCode(200);
        as(t.memberA()).body("{\"trackingNumber\":\"T1\"}").post("/api/orders/" + id + "/ship").then().statusCode(200);
        as(t.memberA()).body("{\"reason\":\"too late\"}").post("/api/orders/" + id + "/cancel").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "order-not-cancellable"));
    }

    @Test
    void ifMatchThatDoesNotMatchIs412() {
        String id = createOrder(t.memberA());

        as(t.memberA()).header("If-Match", "\"1\"").body("{\"productId\":\"" + mug + "\",\"quantity\":1}")
                .post("/api/orders/" + id + "/items").then().statusCode(200);
        as(t.memberA()).header("If-Match", "\"1\"").body("{\"productId\":\"" + tea + "\",\"quantity\":1}")
                .post("/api/orders/" + id + "/items").then().statusCode(412).body("type", equalTo(PROBLEM + "precondition-failed"));
        as(t.memberA()).header("If-Match", "garbage").post("/api/orders/" + id + "/place").then().statusCode(400);
    }

    @Test
    void anotherTenantCanNeitherSeeNorChangeTheOrder() {
        String id = createOrder(t.memberA());
        item(t.memberA(), id, mug, 1).then().statusCode(200);

        as(t.memberB()).get("/api/orders/" + id).then().statusCode(404);
        as(t.memberB()).get("/api/orders/" + id + "/events").then().statusCode(404);
        as(t.memberB()).post("/api/orders/" + id + "/place").then().statusCode(404);
        as(t.memberB()).get("/api/orders?limit=100").then().body("items.id", not(hasItem(id)));
        // B cannot add A's product to its own order either: the catalog lookup is tenant-scoped.
        String own = createOrder(t.memberB());
        item(t.memberB(), own, mug, 1).then().statusCode(422).body("type", equalTo(PROBLEM + "unknown-product"));
        as(t.memberA()).get("/api/orders/" + id).then().statusCode(200).body("version", equalTo(2));
    }

    @Test
    void timeTravelRebuildsTheOrderAsItWas() {
        String id = createOrder(t.memberA());
        item(t.memberA(), id, mug, 1).then().statusCode(200);
        String between = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString();
        sleep(50);
        item(t.memberA(), id, tea, 2).then().statusCode(200);

        as(t.memberA()).get("/api/orders/" + id + "?version=2").then().statusCode(200).body("total", equalTo("9.99"))
                .body("version", equalTo(2)).header("ETag", "\"2\"");
        as(t.memberA()).queryParam("at", between).get("/api/orders/" + id).then().statusCode(200).body("version", equalTo(2));
        as(t.memberA()).get("/api/orders/" + id + "?at=2000-01-01T00:00:00Z").then().statusCode(404);
        as(t.memberA()).get("/api/orders/" + id).then().body("total", equalTo("10.05"));
    }

    @Test
    void theServiceRoleCannotRewriteHistory() throws Exception {
        String id = createOrder(t.memberA());
        try (Connection app = Db.asApp(); Connection owner = Db.asOwner()) {
            String schema = Db.column(owner, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?",
                    t.idA()).get(0);
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", t.idA().toString());
            for (String sql : List.of("UPDATE " + schema + ".es_order_events SET type = 'X'",
                    "DELETE FROM " + schema + ".es_order_events", "TRUNCATE " + schema + ".es_order_events")) {
                assertThatThrownBy(() -> Db.column(app, sql)).as(sql).hasMessageContaining("permission denied");
                app.rollback();
                Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", t.idA().toString());
            }
        }
        as(t.memberA()).get("/api/orders/" + id).then().statusCode(200);
    }

    @Test
    void concurrentCommandsOnOneOrderNeverLoseOrDuplicateEvents() throws Exception {
        String id = createOrder(t.memberA());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String product = i % 2 == 0 ? mug : tea;
            calls.add(() -> item(t.memberA(), id, product, 1).then().extract());
        }

        List<Integer> statuses = new ArrayList<>();
        for (Future<ExtractableResponse<Response>> f : pool.invokeAll(calls)) {
            statuses.add(f.get().statusCode());
        }
        pool.shutdown();

        long ok = statuses.stream().filter(s -> s == 200).count();
        assertThat(statuses).allMatch(s -> s == 200 || s == 409 || s == 412);
        List<Integer> versions = as(t.memberA()).get("/api/orders/" + id + "/events?limit=100").then().extract()
                .path("items.version");
        assertThat(versions).hasSize((int) ok + 1);
        for (int v = 1; v <= versions.size(); v++) {
            assertThat(versions.get(v - 1)).isEqualTo(v);
        }
        as(t.memberA()).get("/api/orders/" + id).then().body("itemCount", equalTo((int) ok));
        as(t.memberA()).get("/api/orders?limit=100").then().body("items.find { it.id == '" + id + "' }.version",
                equalTo((int) ok + 1));
    }

    @Test
    void twentyConcurrentRetriesWithOneKeyCreateOneOrder() throws Exception {
        String key = "create-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Callable<ExtractableResponse<Response>>> calls = Collections.nCopies(20,
                () -> as(t.memberA()).header("Idempotency-Key", key).body("{\"currency\":\"EUR\"}").post("/api/orders")
                        .then().extract());

        List<ExtractableResponse<Response>> responses = new ArrayList<>();
        for (Future<ExtractableResponse<Response>> f : pool.invokeAll(calls)) {
            responses.add(f.get());
        }
        pool.shutdown();

        assertThat(responses).allMatch(r -> r.statusCode() == 201);
        assertThat(responses.stream().map(r -> (String) r.path("id")).distinct()).hasSize(1);
        assertThat(responses.stream().map(r -> r.header("ETag")).distinct()).containsExactly("\"1\"");
        assertThat(responses.stream().map(r -> r.header("Location")).distinct()).hasSize(1);
        List<String> ids = as(t.memberA()).get("/api/orders?limit=100").then().extract().path("items.id");
        assertThat(ids).containsOnlyOnce((String) responses.get(0).path("id"));
        as(t.memberA()).header("Idempotency-Key", key).body("{\"currency\":\"USD\"}").post("/api/orders").then()
                .statusCode(422).body("type", equalTo(PROBLEM + "idempotency-key-reused"));
        as(t.memberB()).header("Idempotency-Key", key).body("{\"currency\":\"EUR\"}").post("/api/orders").then()
                .statusCode(201).body("id", not(equalTo(responses.get(0).path("id"))));
    }

    @Test
    void theProjectionRebuiltFromEventsEqualsTheLiveOneAndRepairsADamagedOne() throws Exception {
        String first = createOrder(t.memberA());
        item(t.memberA(), first, mug, 2).then().statusCode(200);
        String second = createOrder(t.memberA());
        item(t.memberA(), second, tea, 1).then().statusCode(200);
        as(t.memberA()).post("/api/orders/" + second + "/place").then().statusCode(200);
        String admin = dev.tessera.testing.TestTokens.platformAdmin();
        String url = "/admin/tenants/" + t.idA() + "/projections/orders/rebuild?batchSize=1";

        as(admin).post(url).then().statusCode(200).body("orders", equalTo(2)).body("events", equalTo(5))
                .body("mismatches", equalTo(0));

        try (Connection su = Db.asSuperuser()) {
            String schema = Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?",
                    t.idA()).get(0);
            Db.column(su, "UPDATE " + schema + ".rm_orders SET status = 'DELIVERED', total = 0 WHERE order_id = ?::uuid",
                    second);
        }
        as(admin).post(url).then().statusCode(200).body("mismatches", equalTo(1));
        as(t.memberA()).get("/api/orders?status=PLACED").then().body("items.id", contains(second))
                .body("items[0].total", equalTo("0.03"));
        as(t.adminA()).post(url).then().statusCode(403);
    }

    @Test
    void commandsDecideOnTheSnapshotAndFallBackToTheEventsWhenItIsMissingStaleOrForeign() throws Exception {
        String id = createOrder(t.memberA());
        item(t.memberA(), id, mug, 2).then().statusCode(200);
        item(t.memberA(), id, tea, 1).then().statusCode(200).header("ETag", "\"3\"");
        String row = rmOrders() + " WHERE order_id = ?::uuid";

        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT version || ' ' || (state ->> 'version') || ' ' || (state ->> 'schema') || ' '"
                    + " || jsonb_array_length(state -> 'lines') FROM " + row, id)).containsExactly("3 3 1 2");
            Db.column(su, "UPDATE " + rmOrders() + " SET state = NULL WHERE order_id = ?::uuid", id);
        }
        item(t.memberA(), id, tea, 1).then().statusCode(200).header("ETag", "\"4\"").body("total", equalTo("20.04"));

        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT version || ' ' || (state ->> 'version') FROM " + row, id)).containsExactly("4 4");
            // Stale: the snapshot of version 1 (created, no lines); events 2..4 must be replayed on top of it.
            Db.column(su, "UPDATE " + rmOrders() + " SET state = jsonb_set(jsonb_set(state, '{lines}', '[]'), '{version}', '1')"
                    + " WHERE order_id = ?::uuid", id);
        }
        as(t.memberA()).get("/api/orders/" + id).then().statusCode(200).body("version", equalTo(4))
                .body("total", equalTo("20.04"));
        as(t.memberA()).delete("/api/orders/" + id + "/items/" + tea).then().statusCode(200).header("ETag", "\"5\"")
                .body("total", equalTo("19.98"));

        try (Connection su = Db.asSuperuser()) {
            // Foreign: a format this code does not read is ignored; the whole stream is replayed.
            Db.column(su, "UPDATE " + rmOrders() + " SET state = '{\"schema\": 99}' WHERE order_id = ?::uuid", id);
        }
        as(t.memberA()).get("/api/orders/" + id).then().statusCode(200).body("version", equalTo(5))
                .body("total", equalTo("19.98"));
        as(t.memberA()).post("/api/orders/" + id + "/place").then().statusCode(200).header("ETag", "\"6\"")
                .body("status", equalTo("PLACED")).body("total", equalTo("19.98"));
        as(t.memberB()).get("/api/orders/" + id).then().statusCode(404);
        as(t.memberB()).post("/api/orders/" + id + "/pay").then().statusCode(404);
        as(t.memberA()).get("/api/orders/" + id + "?version=6").then().body("status", equalTo("PLACED"))
                .body("total", equalTo("19.98"));
    }

    @Test
    void aRefusedCommandIsNotRememberedUnderItsKey() {
        String id = createOrder(t.memberA());
        String key = "place-" + UUID.randomUUID();
        as(t.memberA()).header("Idempotency-Key", key).post("/api/orders/" + id + "/place").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "order-empty"));
        item(t.memberA(), id, mug, 1).then().statusCode(200);

        as(t.memberA()).header("Idempotency-Key", key).post("/api/orders/" + id + "/place").then().statusCode(200)
                .header("ETag", "\"3\"").body("status", equalTo("PLACED"));

        as(t.memberA()).header("Idempotency-Key", key).post("/api/orders/" + id + "/place").then().statusCode(200)
                .header("ETag", "\"3\"");
        as(t.memberA()).get("/api/orders/" + id + "/events").then().body("items.type",
                contains("OrderCreated", "ItemAdded", "OrderPlaced"));
        as(t.memberB()).header("Idempotency-Key", key).post("/api/orders/" + id + "/place").then().statusCode(404);
    }

    @Test
    void aRetryGetsTheFirstAnswerExactly() {
        String id = createOrder(t.memberA());
        String key = "add-" + UUID.randomUUID();
        Response first = as(t.memberA()).header("Idempotency-Key", key)
                .body("{\"productId\":\"%s\",\"quantity\":2}".formatted(mug)).post("/api/orders/" + id + "/items");
        first.then().statusCode(200).header("ETag", "\"2\"");

        Response retry = as(t.memberA()).header("Idempotency-Key", key)
                .body("{\"productId\":\"%s\",\"quantity\":2}".formatted(mug)).post("/api/orders/" + id + "/items");

        retry.then().statusCode(200).header("ETag", "\"2\"");
        assertThat(retry.jsonPath().getMap("$")).isEqualTo(first.jsonPath().getMap("$"))
                .isEqualTo(as(t.memberA()).get("/api/orders/" + id + "?version=2").then().extract().jsonPath().getMap("$"))
                .containsEntry("trackingNumber", null).containsEntry("total", "19.98");
        as(t.memberA()).get("/api/orders/" + id + "/events").then().body("items.type", contains("OrderCreated", "ItemAdded"));
    }

    /** A release before V008, still serving during a rolling update, moves the row on but not its snapshot. */
    @Test
    void aSnapshotLeftBehindByAnOlderReleaseIsCompletedFromTheEvents() throws Exception {
        String id = createOrder(t.memberA());
        item(t.memberA(), id, mug, 2).then().statusCode(200).header("ETag", "\"2\"");
        try (Connection su = Db.asSuperuser()) {
            String events = rmOrders().replace(".rm_orders", ".es_order_events");
            Db.column(su, "INSERT INTO " + events + " (tenant_id, order_id, version, type, payload, metadata)"
                    + " VALUES (?::uuid, ?::uuid, 3, 'ItemAdded', jsonb_build_object('productId', ?::text, 'sku', 'T',"
                    + " 'quantity', 1, 'unitPrice', '0.03'), '{\"schemaVersion\": 1, \"actor\": \"old-release\"}')",
                    t.idA(), id, tea);
            Db.column(su, "UPDATE " + rmOrders() + " SET version = 3, item_count = 3, total = 20.01 WHERE order_id = ?::uuid", id);
        }

        as(t.memberA()).get("/api/orders/" + id).then().statusCode(200).body("version", equalTo(3))
                .body("total", equalTo("20.01"));

        item(t.memberA(), id, tea, 1).then().statusCode(200).header("ETag", "\"4\"").body("total", equalTo("20.04"))
                .body("itemCount", equalTo(4));
        as(t.memberB()).get("/api/orders/" + id).then().statusCode(404);
    }

    @Test
    void theRebuildReportsAndRepairsASnapshotThatDisagreesWithTheEvents() throws Exception {
        String id = createOrder(t.memberA());
        item(t.memberA(), id, mug, 2).then().statusCode(200);
        String admin = dev.tessera.testing.TestTokens.platformAdmin();
        String url = "/admin/tenants/" + t.idA() + "/projections/orders/rebuild";
        try (Connection su = Db.asSuperuser()) {
            Db.column(su, "UPDATE " + rmOrders() + " SET state = jsonb_set(state, '{lines,0,quantity}', '7')"
                    + " WHERE order_id = ?::uuid", id);
        }

        as(admin).post(url).then().statusCode(200).body("mismatches", equalTo(1));

        as(admin).post(url).then().statusCode(200).body("mismatches", equalTo(0));
        item(t.memberA(), id, mug, 1).then().statusCode(200).body("itemCount", equalTo(3)).body("total", equalTo("29.97"));
    }

    @Test
    void aBatchedRebuildRecreatesMissingRowsAndNeverOverwritesACommandRunningBesideIt() throws Exception {
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            orders.add(createOrder(t.memberA()));
        }
        String admin = dev.tessera.testing.TestTokens.platformAdmin();
        String url = "/admin/tenants/" + t.idA() + "/projections/orders/rebuild?batchSize=5";
        try (Connection su = Db.asSuperuser()) {
            Db.column(su, "DELETE FROM " + rmOrders() + " WHERE order_id = ?::uuid", orders.get(6));
        }
        as(admin).post(url).then().statusCode(200).body("orders", equalTo(12)).body("events", equalTo(12))
                .body("mismatches", equalTo(1));
        as(t.memberA()).get("/api/orders?limit=100").then().body("items.id", hasItem(orders.get(6)));

        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<ExtractableResponse<Response>>> commands = new ArrayList<>();
            Future<ExtractableResponse<Response>> rebuild = pool.submit(() -> as(admin).post(url).then().extract());
            for (int round = 0; round < 3; round++) {
                for (String order : orders) {
                    commands.add(pool.submit(() -> item(t.memberA(), order, mug, 1).then().extract()));
                }
            }
            assertThat(rebuild.get().statusCode()).isEqualTo(200);
            assertThat(rebuild.get().<Integer>path("orders")).isEqualTo(12);
            // The rebuild locks a batch's rows before it reads their events: a command on one of them waits
            // for the batch to commit, or committed before the events were read.
            for (Future<ExtractableResponse<Response>> c : commands) {
                assertThat(c.get().statusCode()).isIn(200, 409);
            }
        } finally {
            pool.shutdownNow();
        }

        // Whatever interleaved, each row and snapshot equals its stream: a second rebuild finds nothing to repair.
        as(admin).post(url).then().statusCode(200).body("orders", equalTo(12)).body("mismatches", equalTo(0));
        for (String order : orders) {
            int events = as(t.memberA()).get("/api/orders/" + order + "/events?limit=100").then().statusCode(200)
                    .extract().path("items.size()");
            as(t.memberA()).get("/api/orders/" + order).then().statusCode(200).body("version", equalTo(events));
        }
        as(t.memberB()).get("/api/orders/" + orders.get(6)).then().statusCode(404);
    }

    private String rmOrders() throws Exception {
        try (Connection su = Db.asSuperuser()) {
            return Db.column(su, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", t.idA()).get(0)
                    + ".rm_orders";
        }
    }

    /**
     * Property over real HTTP: random command sequences (seeded, so a failure can be replayed) on several
     * orders. Every accepted command's response is the state at its version; a refused one changes
     * nothing; at the end, the state rebuilt at every version equals the response of that version, the
     * projection equals the rebuilt state, and a rebuild from events finds no mismatch.
     */
    @Test
    void randomCommandSequencesKeepHistoryProjectionAndRebuiltStateEqual() {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        java.util.Map<String, List<java.util.Map<String, Object>>> statesByOrder = new java.util.LinkedHashMap<>();
        for (int n = 0; n < 4; n++) {
            String id = createOrder(t.memberA());
            List<java.util.Map<String, Object>> states = new ArrayList<>();
            states.add(as(t.memberA()).get("/api/orders/" + id).then().statusCode(200).extract().jsonPath().getMap("$"));
            for (int step = 0; step < 10; step++) {
                Response r = randomCommand(random, id);
                java.util.Map<String, Object> last = states.get(states.size() - 1);
                if (r.statusCode() == 200) {
                    java.util.Map<String, Object> state = r.jsonPath().getMap("$");
                    assertThat(state.get("version")).as("seed %d", seed).isEqualTo(states.size() + 1);
                    states.add(state);
                } else {
                    assertThat(r.statusCode()).as("seed %d: %s", seed, r.asString()).isEqualTo(409);
                    as(t.memberA()).get("/api/orders/" + id).then().header("ETag", "\"" + last.get("version") + "\"");
                }
            }
            statesByOrder.put(id, states);
        }

        List<java.util.Map<String, Object>> projected = as(t.memberA()).get("/api/orders?limit=100").then().statusCode(200)
                .extract().jsonPath().getList("items");
        for (var entry : statesByOrder.entrySet()) {
            List<java.util.Map<String, Object>> states = entry.getValue();
            for (int v = 1; v <= states.size(); v++) {
                assertThat(as(t.memberA()).get("/api/orders/" + entry.getKey() + "?version=" + v).then().statusCode(200)
                        .extract().jsonPath().getMap("$")).as("seed %d, version %d", seed, v).isEqualTo(states.get(v - 1));
            }
            java.util.Map<String, Object> now = states.get(states.size() - 1);
            java.util.Map<String, Object> row = projected.stream().filter(o -> o.get("id").equals(entry.getKey())).findFirst()
                    .orElseThrow();
            assertThat(List.of(row.get("status"), row.get("version"), row.get("itemCount"),
                    new java.math.BigDecimal((String) row.get("total")))).as("seed %d", seed)
                    .isEqualTo(List.of(now.get("status"), now.get("version"), now.get("itemCount"),
                            new java.math.BigDecimal((String) now.get("total")).setScale(2)));
        }
        as(dev.tessera.testing.TestTokens.platformAdmin()).post("/admin/tenants/" + t.idA() + "/projections/orders/rebuild")
                .then().statusCode(200).body("orders", equalTo(4)).body("mismatches", equalTo(0));
        as(t.memberB()).get("/api/orders?limit=100").then().body("items", org.hamcrest.Matchers.empty());
    }

    private Response randomCommand(java.util.Random random, String id) {
        String product = random.nextBoolean() ? mug : tea;
        String base = "/api/orders/" + id;
        return switch (random.nextInt(9)) {
            case 0, 1, 2 -> item(t.memberA(), id, product, 1 + random.nextInt(4));
            case 3 -> as(t.memberA()).delete(base + "/items/" + product);
            case 4 -> as(t.memberA()).post(base + "/place");
            case 5 -> as(t.memberA()).post(base + "/pay");
            case 6 -> as(t.memberA()).body("{\"trackingNumber\":\"TRK-" + random.nextInt(100) + "\"}").post(base + "/ship");
            case 7 -> as(t.memberA()).post(base + "/deliver");
            default -> as(t.memberA()).body("{\"reason\":\"changed mind\"}").post(base + "/cancel");
        };
    }

    private static String product(String token, String price) {
        return as(token).body("{\"sku\":\"P-%s\",\"name\":\"p\",\"price\":%s,\"currency\":\"EUR\"}"
                .formatted(UUID.randomUUID().toString().substring(0, 8), price)).post("/api/products").then().statusCode(201)
                .extract().path("id");
    }

    private static String createOrder(String token) {
        return as(token).body("{\"currency\":\"EUR\"}").post("/api/orders").then().statusCode(201).header("ETag", "\"1\"")
                .extract().path("id");
    }

    private static Response item(String token, String order, String product, int qty) {
        return as(token).body("{\"productId\":\"%s\",\"quantity\":%d}".formatted(product, qty))
                .post("/api/orders/" + order + "/items");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
