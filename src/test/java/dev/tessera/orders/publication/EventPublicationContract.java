package dev.tessera.orders.publication;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.orders.publication.BrokerQueue.Received;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantState;
import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;

/**
 * The broker feed of order events (docs/design/event-publication.md), tried against the real RabbitMQ
 * with tenants A and B in one isolation mode: exactly the committed events, in version order per order,
 * a transaction that commits late, an inversion of txid and version order, a relay killed before its
 * cursor moves, and relays racing each other.
 */
abstract class EventPublicationContract {

    static final Duration WAIT = Duration.ofSeconds(20);

    abstract IsolationMode isolation();

    @Inject
    EventRelay relay;

    TwoTenants t;
    BrokerQueue feedA;
    BrokerQueue feedB;

    @BeforeEach
    void twoTenantsAndTheirQueues() throws Exception {
        t = TwoTenants.create(isolation(), isolation());
        feedA = BrokerQueue.bind(t.idA() + ".order.*");
        feedB = BrokerQueue.bind(t.idB() + ".order.*");
    }

    @AfterEach
    void closeQueues() throws Exception {
        feedA.close();
        feedB.close();
    }

    @Test
    void consumersReceiveExactlyTheCommittedEventsOfEachTenantInVersionOrderWithoutGap() throws Exception {
        String productA = product(t.memberA());
        String productB = product(t.memberB());
        List<String> ordersA = orders(t.memberA(), 3);
        List<String> ordersB = orders(t.memberB(), 3);
        // 24 concurrent item commands per tenant on 3 orders: some lose the race (409) and append nothing.
        List<HttpResponse<String>> responses = concurrentItems(ordersA, productA, t.memberA(), 24);
        responses.addAll(concurrentItems(ordersB, productB, t.memberB(), 24));
        // Refused by a rule (an empty order cannot be placed... it has items now; an unknown product then): nothing appended.
        as(t.memberA()).body("{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":1}")
                .post("/api/orders/" + ordersA.get(0) + "/items").then().statusCode(org.hamcrest.Matchers.not(200));

        assertThat(responses).anySatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        for (var tenant : List.of(new Object[] { t.idA(), feedA }, new Object[] { t.idB(), feedB })) {
            UUID id = (UUID) tenant[0];
            BrokerQueue feed = (BrokerQueue) tenant[1];
            List<String> committed = committedEvents(id);
            List<Received> got = feed.await(r -> r.size() >= committed.size(), WAIT);
            BrokerQueue.sleep(500); // anything more would be a duplicate or a foreign event
            got = feed.received();

            assertThat(got.stream().map(r -> r.orderId() + "/" + r.version()).sorted().toList())
                    .containsExactlyElementsOf(committed.stream().sorted().toList());
            assertVersionOrderWithoutGap(got);
            assertThat(got).allSatisfy(r -> {
                assertThat(r.messageId()).isEqualTo(EventMessages.eventId(id, UUID.fromString(r.orderId()), r.version()).toString())
                        .isEqualTo(r.body().getString("eventId"));
                assertThat(r.routingKey()).isEqualTo(id + ".order." + r.body().getString("type"));
                assertThat(r.headers()).containsEntry("tenant-id", id.toString()).containsEntry("order-id", r.orderId())
                        .containsEntry("version", r.version()).containsEntry("type", r.body().getString("type"))
                        .containsEntry("schema-version", 1);
                assertThat(r.body().getString("tenantId")).isEqualTo(id.toString());
            });
        }
        // The body is the event as GET /api/orders/{id}/events shows it.
        Map<String, Object> first = as(t.memberA()).get("/api/orders/" + ordersA.get(0) + "/events").then().statusCode(200)
                .extract().path("items[0]");
        Received created = feedA.received().stream().filter(r -> r.orderId().equals(ordersA.get(0)) && r.version() == 1)
                .findFirst().orElseThrow();
        assertThat(created.body().getString("type")).isEqualTo(first.get("type"));
        assertThat(created.body().getJsonObject("payload").getMap()).isEqualTo(first.get("payload"));
        assertThat(created.body().getJsonObject("metadata").getMap()).isEqualTo(first.get("metadata"));
        assertThat(java.time.OffsetDateTime.parse(created.body().getString("recordedAt")).toInstant())
                .isEqualTo(java.time.OffsetDateTime.parse((String) first.get("recordedAt")).toInstant());
    }

    @Test
    void aLongOpenTransactionsEventIsPublishedAfterItCommitsAndNeverSkipped() throws Exception {
        String schema = schemaOf(t.idA());
        UUID slowOrder = UUID.randomUUID();
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true), set_config('search_path', ?, true)",
                    t.idA().toString(), schema);
            // Its event takes a txid and a position now, and commits after the commands below.
            Db.column(app, """
                    INSERT INTO es_order_events (order_id, version, type, payload, metadata)
                    VALUES (?, 1, 'OrderCreated', '{"customerId":null,"currency":"EUR"}',
                            '{"actor":"slow-writer","correlationId":"slow","schemaVersion":1}')""", slowOrder);
            List<String> later = orders(t.memberA(), 3);
            BrokerQueue.sleep(1500); // many relay passes

            assertThat(feedA.received()).noneMatch(r -> r.orderId().equals(slowOrder.toString()));
            assertThat(later).isNotEmpty();

            app.commit();
        }

        List<String> committed = committedEvents(t.idA());
        List<Received> got = feedA.await(r -> r.size() >= committed.size(), WAIT);
        assertThat(committed).hasSize(4).contains(slowOrder + "/1");
        assertThat(got.stream().map(r -> r.orderId() + "/" + r.version()).sorted().toList())
                .containsExactlyElementsOf(committed.stream().sorted().toList());
    }

    @Test
    void anEventWhoseTransactionIdIsBelowItsPredecessorsWaitsForItAndFollowsIt() throws Exception {
        String schema = schemaOf(t.idA());
        String product = product(t.memberA());
        String order = orders(t.memberA(), 1).get(0);
        feedA.await(r -> r.size() == 1, WAIT);
        try (Connection late = Db.asApp(); Connection horizon = Db.asSuperuser()) {
            late.setAutoCommit(false);
            horizon.setAutoCommit(false);
            // The shape of a command that claims its Idempotency-Key (a write, so a txid) before it reads
            // the order: its txid is older than that of the command whose version it reads and follows.
            Db.column(late, "SELECT set_config('app.tenant_id', ?, true), set_config('search_path', ?, true)",
                    t.idA().toString(), schema);
            long lateTxid = Long.parseLong(Db.column(late, "SELECT txid_current()").get(0));
            Db.column(horizon, "SELECT txid_current()"); // a transaction between the two, held open
            as(t.memberA()).body("{\"productId\":\"" + product + "\",\"quantity\":1}").post("/api/orders/" + order + "/items")
                    .then().statusCode(200);
            Db.column(late, """
                    INSERT INTO es_order_events (order_id, version, type, payload, metadata)
                    VALUES (?::uuid, 3, 'ItemRemoved', ?::jsonb, '{"actor":"late","correlationId":"late","schemaVersion":1}')""",
                    order, "{\"productId\":\"" + product + "\"}");
            late.commit();
            try (Connection su = Db.asSuperuser()) {
                List<String> txids = Db.column(su, "SELECT txid FROM " + schema
                        + ".es_order_events WHERE order_id = ?::uuid AND version IN (2, 3) ORDER BY version", order);
                // Version 3 sorts before version 2 in (txid, position): the feed order alone would invert them.
                assertThat(Long.parseLong(txids.get(1))).isEqualTo(lateTxid).isLessThan(Long.parseLong(txids.get(0)));
            }
            BrokerQueue.sleep(1000);

            // Version 3 is below the horizon and version 2 is not: neither goes before version 2 can.
            assertThat(feedA.received()).hasSize(1);

            horizon.commit();
        }

        List<Received> got = feedA.await(r -> r.size() >= 3, WAIT);
        assertThat(got.stream().map(Received::version).toList()).containsExactly(1, 2, 3);
    }

    @Test
    void aRelayKilledBeforeItsCursorMovesLosesNothingAndSendsTheSameIdsAgain() throws Exception {
        String schema = schemaOf(t.idA());
        List<String> committed;
        try (Connection su = Db.asSuperuser(); Connection blocker = Db.asSuperuser()) {
            blocker.setAutoCommit(false);
            // The cursor update now waits: the relay stops after the broker confirmed its batch.
            Db.column(blocker, "LOCK TABLE " + schema + ".es_publication_state IN EXCLUSIVE MODE");
            orders(t.memberA(), 4);
            committed = committedEvents(t.idA());
            List<Received> before = feedA.await(r -> distinct(r) >= committed.size(), WAIT);
            assertThat(distinct(before)).isEqualTo(committed.size());
            // Confirmed by the broker, but the cursor has not moved: a relay waits on its update (or
            // gave up at the statement timeout and sent the batch again, which is as good a proof).
            String relayPid = awaitOne(su, """
                    SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                     WHERE NOT l.granted AND c.relname = 'es_publication_state' AND l.database =
                           (SELECT oid FROM pg_database WHERE datname = current_database())""");

            Db.column(su, "SELECT pg_terminate_backend(" + relayPid + ")");
            blocker.rollback();
        }

        // Every event again (the batch was confirmed, the cursor never moved), each copy with the same id.
        List<Received> got = feedA.await(r -> copiesOfEach(r).values().stream().allMatch(ids -> ids.size() >= 2)
                && copiesOfEach(r).size() == committed.size(), WAIT);
        Map<String, List<String>> copies = copiesOfEach(got);
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(copies.values()).allSatisfy(ids -> assertThat(ids).hasSizeGreaterThanOrEqualTo(2)
                .allMatch(ids.get(0)::equals));
        // Then the cursor moved: nothing more arrives.
        BrokerQueue.sleep(1000);
        int settled = feedA.received().size();
        BrokerQueue.sleep(1000);
        assertThat(feedA.received()).hasSize(settled);
    }

    private static long distinct(List<Received> got) {
        return got.stream().map(Received::messageId).distinct().count();
    }

    private static Map<String, List<String>> copiesOfEach(List<Received> got) {
        return got.stream().collect(Collectors.groupingBy(r -> r.orderId() + "/" + r.version(), LinkedHashMap::new,
                Collectors.mapping(Received::messageId, Collectors.toList())));
    }

    @Test
    void relaysRacingOnOneTenantLoseNothingAndPublishNothingTwice() throws Exception {
        String product = product(t.memberA());
        List<String> orders = orders(t.memberA(), 4);
        String schema = schemaOf(t.idA());
        // As the sweep hands it to the relay (the directory is read through Panache, on Vert.x threads only).
        Tenant tenant = new Tenant(t.idA(), t.slugA(), "A", "standard", isolation(), TenantState.ACTIVE,
                isolation() == IsolationMode.SCHEMA ? schema : null, null);
        List<CompletableFuture<?>> racers = new ArrayList<>();
        List<HttpResponse<String>> responses;
        for (int i = 0; i < 6; i++) {
            racers.add(Uni.createFrom().voidItem().flatMap(x -> relay.publish(tenant)).subscribeAsCompletionStage());
        }
        responses = concurrentItems(orders, product, t.memberA(), 16);
        for (int i = 0; i < 6; i++) {
            racers.add(relay.publish(tenant).subscribeAsCompletionStage());
        }
        CompletableFuture.allOf(racers.toArray(CompletableFuture[]::new)).get();
        assertThat(responses).anySatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));

        List<String> committed = committedEvents(t.idA());
        List<Received> got = feedA.await(r -> r.size() >= committed.size(), WAIT);
        BrokerQueue.sleep(500);
        got = feedA.received();
        assertThat(got.stream().map(r -> r.orderId() + "/" + r.version()).toList())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(committed);
        assertVersionOrderWithoutGap(got);
    }

    // --- fixtures ---

    private static void assertVersionOrderWithoutGap(List<Received> got) {
        Map<String, List<Integer>> byOrder = got.stream().collect(Collectors.groupingBy(Received::orderId,
                LinkedHashMap::new, Collectors.mapping(Received::version, Collectors.toList())));
        byOrder.forEach((order, versions) -> {
            List<Integer> expected = new ArrayList<>();
            for (int v = 1; v <= versions.size(); v++) {
                expected.add(v);
            }
            assertThat(versions).as("versions of order " + order + " as received").isEqualTo(expected);
        });
    }

    static String product(String token) {
        return as(token).body(Api.productJson("Mug")).post("/api/products").then().statusCode(201).extract().path("id");
    }

    static List<String> orders(String token, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(as(token).body("{\"currency\":\"EUR\"}").post("/api/orders").then().statusCode(201).extract().path("id"));
        }
        return ids;
    }

    static List<HttpResponse<String>> concurrentItems(List<String> orders, String product, String token, int n) {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                    + "/api/orders/" + orders.get(i % orders.size()) + "/items")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":\"" + product + "\",\"quantity\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        List<HttpResponse<String>> out = new ArrayList<>();
        sent.forEach(f -> out.add(f.join()));
        assertThat(out).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 409));
        return out;
    }

    /** Every committed event of the tenant that the feed carries, as "order/version", seen by the superuser. */
    static List<String> committedEvents(UUID tenant) throws Exception {
        try (Connection su = Db.asSuperuser()) {
            return Db.column(su, "SELECT order_id || '/' || version FROM " + schemaOf(tenant)
                    + ".es_order_events WHERE tenant_id = ? AND txid IS NOT NULL ORDER BY order_id, version", tenant);
        }
    }

    static String schemaOf(UUID tenant) throws Exception {
        try (Connection owner = Db.asOwner()) {
            return Db.column(owner, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", tenant).get(0);
        }
    }

    private static String awaitOne(Connection c, String sql) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> rows = Db.column(c, sql);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            BrokerQueue.sleep(50);
        }
        throw new AssertionError("no relay came to wait on the cursor update");
    }
}
