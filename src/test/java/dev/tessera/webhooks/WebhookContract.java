package dev.tessera.webhooks;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.customers.KeyShredding;
import dev.tessera.customers.crypto.MasterKey;
import dev.tessera.orders.publication.EventMessages;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import dev.tessera.webhooks.WebhookReceiver.Received;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * Webhooks per tenant (docs/design/webhooks.md), against a local receiver, with tenants A and B in one
 * isolation mode: registration and the secret shown once, signatures checked as the specification says,
 * retries with backoff, a slow endpoint, 410 Gone, the dead letter and disabling, rotation, replay, a
 * transaction that commits late, and each tenant receiving only its own events.
 */
abstract class WebhookContract {

    static final Duration WAIT = Duration.ofSeconds(20);

    abstract IsolationMode isolation();

    @Inject
    KeyShredding shredding;

    @Inject
    MasterKey master;

    TwoTenants t;
    WebhookReceiver receiver;

    @BeforeEach
    void twoTenantsAndAReceiver() throws Exception {
        t = TwoTenants.create(isolation(), isolation());
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopTheReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void eachTenantReceivesItsOwnCommittedEventsSignedWithTheSecretShownOnceAtRegistration() throws Exception {
        String pathA = "/ok/" + UUID.randomUUID();
        String pathB = "/ok/" + UUID.randomUUID();
        JsonPath a = register(t.adminA(), pathA, "[]");
        JsonPath b = register(t.adminB(), pathB, "[\"OrderCreated\"]");
        String secretA = a.getString("secret");

        String orderA = order(t.memberA());
        String orderB = order(t.memberB());
        String productB = product(t.memberB());
        as(t.memberB()).body("{\"productId\":\"" + productB + "\",\"quantity\":1}").post("/api/orders/" + orderB + "/items")
                .then().statusCode(200);

        assertThat(secretA).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(secretA.substring(6))).hasSizeGreaterThanOrEqualTo(24);
        assertThat(b.getString("secret")).isNotEqualTo(secretA);
        String shown = as(t.adminA()).get("/api/webhooks/" + a.getString("id")).then().statusCode(200).extract().asString();
        assertThat(shown).doesNotContain("secret\"", secretA.substring(6));
        assertThat(as(t.adminA()).get("/api/webhooks").then().statusCode(200).extract().asString()).doesNotContain(secretA.substring(6));

        Received gotA = receiver.await(pathA, r -> !r.isEmpty(), WAIT).get(0);
        List<Received> gotB = receiver.await(pathB, r -> !r.isEmpty(), WAIT);
        Thread.sleep(1000); // B's ItemAdded is not among the types it asked for; nothing else may come
        assertThat(receiver.at(pathA)).hasSize(1);
        assertThat(receiver.at(pathB)).hasSize(1);

        assertThat(WebhookReceiver.verifies(secretA, gotA)).isTrue();
        assertThat(WebhookReceiver.verifies(b.getString("secret"), gotA)).isFalse();
        assertThat(WebhookReceiver.verifies(b.getString("secret"), gotB.get(0))).isTrue();
        JsonObject body = new JsonObject(gotA.body());
        assertThat(gotA.id()).isEqualTo(EventMessages.eventId(t.idA(), UUID.fromString(orderA), 1).toString())
                .isEqualTo(body.getString("eventId"));
        assertThat(gotA.contentType()).startsWith("application/json");
        assertThat(body.getString("tenantId")).isEqualTo(t.idA().toString());
        assertThat(new JsonObject(gotB.get(0).body()).getString("tenantId")).isEqualTo(t.idB().toString());
        assertThat(new JsonObject(gotB.get(0).body()).getString("type")).isEqualTo("OrderCreated");
        // The body is the event as GET /api/orders/{id}/events shows it.
        Map<String, Object> shownEvent = as(t.memberA()).get("/api/orders/" + orderA + "/events").then().statusCode(200)
                .extract().path("items[0]");
        assertThat(body.getString("type")).isEqualTo(shownEvent.get("type"));
        assertThat(body.getJsonObject("payload").getMap()).isEqualTo(shownEvent.get("payload"));
        assertThat(body.getJsonObject("metadata").getMap()).isEqualTo(shownEvent.get("metadata"));
        // Stored encrypted under the tenant's key, never in clear.
        try (Connection su = Db.asSuperuser()) {
            List<String> clear = Db.column(su, "SELECT count(*) FROM " + schemaOf(t.idA()) + ".wh_endpoints WHERE "
                    + "position(convert_to(?, 'UTF8') IN secret_enc) > 0 OR secret_key_version < 1", secretA);
            assertThat(clear).containsExactly("0");
        }
    }

    @Test
    void aFailingEndpointIsRetriedWithBackoffUntilItSucceedsAndEveryAttemptIsLogged() throws Exception {
        String path = "/fail-3/" + UUID.randomUUID();
        JsonPath endpoint = register(t.adminA(), path, "[]");

        order(t.memberA());

        List<Received> got = receiver.await(path, r -> r.size() >= 4, WAIT);
        assertThat(got).extracting(Received::id).containsOnly(got.get(0).id());
        assertThat(got).allMatch(r -> WebhookReceiver.verifies(endpoint.getString("secret"), r));
        // Exponential backoff with jitter: the n-th retry waits between half and all of 200 ms * 2^(n-1).
        for (int i = 1; i < 4; i++) {
            long gap = Duration.between(got.get(i - 1).at(), got.get(i).at()).toMillis();
            assertThat(gap).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo((200L << (i - 1)) / 2 - 20);
        }
        JsonPath delivery = awaitDelivery(endpoint.getString("id"), d -> "delivered".equals(d.getString("status")));
        assertThat(delivery.getInt("attemptCount")).isEqualTo(4);
        assertThat(delivery.getList("attempts.statusCode", Integer.class)).containsExactly(500, 500, 500, 200);
        assertThat(delivery.getList("attempts.error", String.class)).containsExactly("HTTP 500", "HTTP 500", "HTTP 500", null);
        assertThat(delivery.getList("attempts.latencyMs", Integer.class)).allMatch(ms -> ms >= 0 && ms < 1000);
        assertThat(delivery.getString("eventId")).isEqualTo(got.get(0).id());
        as(t.adminA()).get("/api/webhooks/" + endpoint.getString("id")).then().statusCode(200)
                .body("failingSince", nullValue()).body("enabled", equalTo(true));
    }

    @Test
    void aSlowEndpointTimesOutAndIsRetried() throws Exception {
        String slow = "/slow-1/" + UUID.randomUUID();
        JsonPath endpoint = register(t.adminA(), slow, "[]");

        order(t.memberA());

        JsonPath delivery = awaitDelivery(endpoint.getString("id"), d -> "delivered".equals(d.getString("status")));
        assertThat(receiver.at(slow)).hasSize(2);
        assertThat(delivery.getList("attempts.statusCode", Integer.class)).containsExactly(null, 200);
        assertThat(delivery.getString("attempts[0].error")).isEqualTo("no answer within PT1S");
        assertThat(delivery.getInt("attempts[0].latencyMs")).isGreaterThanOrEqualTo(990).isLessThan(5000);
    }

    @Test
    void aTenantsSlowEndpointTakesAtMostItsConcurrencyLimitAndNeverHoldsUpAnotherTenant() throws Exception {
        String slow = "/slow-99/" + UUID.randomUUID();
        String fast = "/ok/" + UUID.randomUUID();
        register(t.adminA(), slow, "[]");
        register(t.adminB(), fast, "[]");

        for (int i = 0; i < 4; i++) {
            order(t.memberA());
        }
        receiver.await(slow, r -> r.size() >= 3, WAIT);
        order(t.memberB());
        Received b = receiver.await(fast, r -> !r.isEmpty(), WAIT).get(0);
        Thread.sleep(1000);

        // Every A request waits out the 1 s timeout; B's arrived while at least one of them was in flight.
        List<Received> a = receiver.at(slow);
        assertThat(a).anySatisfy(r -> assertThat(b.at()).isBetween(r.at(), r.at().plusMillis(1000)));
        // Never more than A's limit (2 in the test profile) in flight at once: each request takes the 1 s
        // timeout, and the one after it is claimed only once its outcome is recorded, so A's arrivals
        // within 800 ms of each other are at most 2 (without the limit, all 4 arrive together).
        for (Received r : a) {
            long inFlight = a.stream().filter(o -> !o.at().isAfter(r.at()) && o.at().plusMillis(800).isAfter(r.at())).count();
            assertThat(inFlight).as("A's requests in flight when one arrived at %s", r.at()).isLessThanOrEqualTo(2);
        }
        assertThat(a.stream().map(Received::id).distinct().count()).isEqualTo(4);
    }

    @Test
    void anEndpointAnswering410GoneIsDisabledWithItsReasonAndGetsNothingMoreUntilEnabled() throws Exception {
        String path = "/gone/" + UUID.randomUUID();
        JsonPath endpoint = register(t.adminA(), path, "[]");
        String id = endpoint.getString("id");

        order(t.memberA());
        receiver.await(path, r -> r.size() == 1, WAIT);
        JsonPath delivery = awaitDelivery(id, d -> "dead".equals(d.getString("status")));
        order(t.memberA());
        Thread.sleep(1500);

        assertThat(receiver.at(path)).hasSize(1);
        assertThat(delivery.getList("attempts.statusCode", Integer.class)).containsExactly(410);
        as(t.adminA()).get("/api/webhooks/" + id).then().statusCode(200).body("enabled", equalTo(false))
                .body("disabledReason", equalTo("The endpoint answered 410 Gone")).body("disabledAt", org.hamcrest.Matchers.notNullValue());
        // The tenant is told in its audit trail too.
        assertThat(as(t.adminA()).queryParam("table", "wh_endpoints").get("/api/audit").then().statusCode(200)
                .extract().asString()).contains("410 Gone").doesNotContain("secret_enc\":\"");

        // Enabled again, it gets the events appended from then on (those in between: a range replay).
        as(t.adminA()).body("{\"enabled\":true}").patch("/api/webhooks/" + id).then().statusCode(200)
                .body("enabled", equalTo(true)).body("disabledReason", nullValue()).body("disabledAt", nullValue());
        String later = order(t.memberA());
        List<Received> got = receiver.await(path, r -> r.size() == 2, WAIT);
        assertThat(new JsonObject(got.get(1).body()).getString("orderId")).isEqualTo(later);
    }

    @Test
    void aDeliveryFailingPastTheRetryPeriodIsDeadAndAnEndpointFailingTooLongIsDisabled() throws Exception {
        String path = "/error/" + UUID.randomUUID();
        JsonPath endpoint = register(t.adminA(), path, "[]");
        String id = endpoint.getString("id");

        order(t.memberA());
        JsonPath dead = awaitDelivery(id, d -> "dead".equals(d.getString("status")));
        order(t.memberA()); // keeps failing past disable-after (4 s in the test profile)
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonPath shown;
        do {
            Thread.sleep(200);
            shown = as(t.adminA()).get("/api/webhooks/" + id).then().statusCode(200).extract().jsonPath();
        } while (shown.getBoolean("enabled") && System.nanoTime() < deadline);

        assertThat(dead.getInt("attemptCount")).isGreaterThanOrEqualTo(3);
        assertThat(Duration.between(OffsetDateTime.parse(dead.getString("createdAt")),
                OffsetDateTime.parse(dead.getString("lastAttemptAt")))).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        assertThat(dead.getString("nextAttemptAt")).isNull();
        assertThat(shown.getBoolean("enabled")).isFalse();
        assertThat(shown.getString("disabledReason")).startsWith("Every attempt failed for longer than PT4S; the last: HTTP 500");
        assertThat(shown.getString("failingSince")).isNotNull();
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneDuringTheGracePeriod() throws Exception {
        String path = "/ok/" + UUID.randomUUID();
        JsonPath endpoint = register(t.adminA(), path, "[]");
        String old = endpoint.getString("secret");

        JsonPath rotated = as(t.adminA()).post("/api/webhooks/" + endpoint.getString("id") + "/rotate-secret").then()
                .statusCode(200).extract().jsonPath();
        order(t.memberA());
        Received got = receiver.await(path, r -> !r.isEmpty(), WAIT).get(0);

        String fresh = rotated.getString("secret");
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        assertThat(OffsetDateTime.parse(rotated.getString("previousSecretExpiresAt")))
                .isBetween(OffsetDateTime.now().plusHours(23), OffsetDateTime.now().plusHours(25));
        assertThat(got.signature().split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        assertThat(WebhookReceiver.verifies(fresh, got)).isTrue();
        assertThat(WebhookReceiver.verifies(old, got)).isTrue();
        assertThat(WebhookReceiver.verifies(WebhookSignature.newSecret(), got)).isFalse();
        as(t.adminA()).get("/api/webhooks/" + endpoint.getString("id")).then().statusCode(200)
                .body("secret", nullValue()).body("previousSecretExpiresAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aKeyRotationLeavesTheVersionOfAnEndpointsSecretInUseAndTheEndpointKeepsSigning() throws Exception {
        String path = "/ok/" + UUID.randomUUID();
        JsonPath endpoint = register(t.adminA(), path, "[]");
        String admin = TestTokens.platformAdmin();

        as(admin).post("/admin/tenants/" + t.idA() + "/keys/rotate").then().statusCode(202).body("version", equalTo(2));
        String state = "RUNNING";
        for (int i = 0; i < 300 && "RUNNING".equals(state); i++) {
            Thread.sleep(100);
            state = as(admin).get("/admin/tenants/" + t.idA() + "/keys").then().statusCode(200).extract().path("state");
        }
        order(t.memberA());
        Received got = receiver.await(path, r -> !r.isEmpty(), WAIT).get(0);

        assertThat(state).isEqualTo("DONE");
        assertThat(WebhookReceiver.verifies(endpoint.getString("secret"), got)).isTrue();
        try (Connection su = Db.asSuperuser()) {
            // The rotation re-encrypts customers only: the endpoint's secret is still under version 1, so 1 is not retired.
            assertThat(Db.column(su, "SELECT version || ':' || (retired_at IS NOT NULL) FROM tessera_keys.tenant_keys "
                    + "WHERE tenant_id = ? ORDER BY version", t.idA())).containsExactly("1:false", "2:false");
            assertThat(Db.column(su, "SELECT count(*) FROM tessera_keys.tenant_keys WHERE tenant_id = ? AND version > 1",
                    t.idB())).as("B's keys not rotated").containsExactly("0");
        }
    }

    @Test
    void aReplayedDeliverySendsTheSameMessageAgainAndARangeReplaysEveryDelivery() throws Exception {
        String path = "/ok/" + UUID.randomUUID();
        JsonPath endpoint = register(t.adminA(), path, "[]");
        String id = endpoint.getString("id");
        OffsetDateTime from = OffsetDateTime.now().minusMinutes(1);
        order(t.memberA());
        order(t.memberA());
        receiver.await(path, r -> r.size() == 2, WAIT);
        JsonPath first = awaitDelivery(id, d -> "delivered".equals(d.getString("status")));

        JsonPath replay = as(t.adminA()).post("/api/webhooks/" + id + "/deliveries/" + first.getString("id") + "/replay")
                .then().statusCode(202).extract().jsonPath();
        List<Received> got = receiver.await(path, r -> r.size() == 3, WAIT);

        assertThat(replay.getString("replayOf")).isEqualTo(first.getString("id"));
        assertThat(replay.getString("eventId")).isEqualTo(first.getString("eventId"));
        assertThat(got.get(2).id()).isEqualTo(first.getString("eventId"));
        assertThat(new JsonObject(got.get(2).body())).isEqualTo(new JsonObject(receiver.at(path).stream()
                .filter(r -> r.id().equals(first.getString("eventId"))).findFirst().orElseThrow().body()));
        assertThat(WebhookReceiver.verifies(endpoint.getString("secret"), got.get(2))).isTrue();

        as(t.adminA()).body("{\"from\":\"" + from + "\",\"to\":\"" + OffsetDateTime.now().plusMinutes(1) + "\"}")
                .post("/api/webhooks/" + id + "/replay").then().statusCode(202).body("replayed", equalTo(2));
        receiver.await(path, r -> r.size() == 5, WAIT);
        assertThat(as(t.adminA()).get("/api/webhooks/" + id + "/deliveries").then().statusCode(200).extract()
                .jsonPath().getList("items")).hasSize(5);
    }

    @Test
    void anEventWhoseTransactionCommitsLateIsDeliveredAfterItCommitsAndNeverSkipped() throws Exception {
        String path = "/ok/" + UUID.randomUUID();
        register(t.adminA(), path, "[]");
        String schema = schemaOf(t.idA());
        UUID slowOrder = UUID.randomUUID();
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true), set_config('search_path', ?, true)",
                    t.idA().toString(), schema);
            Db.column(app, """
                    INSERT INTO es_order_events (order_id, version, type, payload, metadata)
                    VALUES (?, 1, 'OrderCreated', '{"customerId":null,"currency":"EUR"}',
                            '{"actor":"slow-writer","correlationId":"slow","schemaVersion":1}')""", slowOrder);
            order(t.memberA());
            order(t.memberA());
            Thread.sleep(1500); // many dispatcher passes

            assertThat(receiver.at(path)).isEmpty(); // the open transaction holds the horizon: nothing after it yet

            app.commit();
        }

        List<Received> got = receiver.await(path, r -> r.size() >= 3, WAIT);
        Thread.sleep(500);
        assertThat(receiver.at(path)).hasSize(3);
        assertThat(got).extracting(r -> new JsonObject(r.body()).getString("orderId")).contains(slowOrder.toString());
    }

    @Test
    void aDeliveryWhoseOutcomeWasLostIsSentAgainWithTheSameIdWhenItsLeaseEnds() throws Exception {
        String path = "/ok/" + UUID.randomUUID();
        JsonPath endpoint = register(t.adminA(), path, "[]");
        String deliveries = schemaOf(t.idA()) + ".wh_deliveries";
        try (Connection su = Db.asSuperuser(); Connection blocker = Db.asSuperuser()) {
            blocker.setAutoCommit(false);
            // The outcome cannot be written: the sender dies after the endpoint got the message.
            Db.column(blocker, "LOCK TABLE " + schemaOf(t.idA()) + ".wh_attempts IN EXCLUSIVE MODE");
            order(t.memberA());
            receiver.await(path, r -> r.size() == 1, WAIT);
            String pid = awaitOne(su, """
                    SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                     WHERE NOT l.granted AND c.relname = 'wh_attempts' AND l.database =
                           (SELECT oid FROM pg_database WHERE datname = current_database())""");
            Db.column(su, "SELECT pg_terminate_backend(" + pid + ")");
            blocker.rollback();

            assertThat(Db.column(su, "SELECT status || ' ' || attempts || ' ' || (next_attempt_at > now() + interval '20 seconds') FROM "
                    + deliveries + " WHERE tenant_id = ?", t.idA())).containsExactly("pending 0 true");
            Thread.sleep(1000);
            assertThat(receiver.at(path)).hasSize(1); // leased: nobody sends it meanwhile
            // The lease ends (here at once, instead of after twice the timeout and 30 s) ...
            Db.column(su, "UPDATE " + deliveries + " SET next_attempt_at = now() WHERE tenant_id = ? RETURNING 1", t.idA());
        }
        product(t.memberA()); // ... and the tenant is visited (by the sweep after a restart; here a write wakes it)

        List<Received> got = receiver.await(path, r -> r.size() == 2, WAIT);
        assertThat(got.get(1).id()).isEqualTo(got.get(0).id());
        assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
        JsonPath delivery = awaitDelivery(endpoint.getString("id"), d -> "delivered".equals(d.getString("status")));
        assertThat(delivery.getInt("attemptCount")).isEqualTo(1);
    }

    private static String awaitOne(Connection c, String sql) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> rows = Db.column(c, sql);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no transaction came to wait on wh_attempts");
    }

    @Test
    void aSecretIsEncryptedUnderTheTenantsKeyAndShreddingTheKeysLeavesItUnreadable() throws Throwable {
        JsonPath a = register(t.adminA(), "/ok/" + UUID.randomUUID(), "[]");
        String table = schemaOf(t.idA()) + ".wh_endpoints";
        try (Connection su = Db.asSuperuser()) {
            assertThat(dataKeys(su)).as("a data key of the keystore opens A's secret")
                    .anySatisfy(k -> assertThat(decryptSecret(su, table, k)).isEqualTo(a.getString("secret")));
        }

        as(TestTokens.platformAdmin()).body("{\"exportWindow\":\"PT0S\"}").post("/admin/tenants/" + t.idA() + "/offboard")
                .then().statusCode(202);
        assertThat(io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> shredding.shredDue())).isPositive();

        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT count(*) FROM " + table + " WHERE tenant_id = ?", t.idA())).containsExactly("1");
            assertThat(dataKeys(su)).isNotEmpty().allSatisfy(k -> assertThat(decryptSecret(su, table, k))
                    .startsWith("refused:").contains("Wrong key"));
        }
    }

    /** Every data key of the keystore (all tenants), unwrapped as the service does. */
    private List<String> dataKeys(Connection su) throws Exception {
        List<String> keys = new java.util.ArrayList<>();
        try (var rs = su.createStatement().executeQuery("SELECT tenant_id, version, data_key_wrapped FROM tessera_keys.tenant_keys")) {
            while (rs.next()) {
                keys.add(java.util.HexFormat.of().formatHex(master.unwrap(rs.getBytes(3),
                        "tessera:" + rs.getString(1) + ":" + rs.getInt(2) + ":data")));
            }
        }
        return keys;
    }

    private String decryptSecret(Connection su, String table, String key) {
        try {
            return Db.column(su, "SELECT pgp_sym_decrypt(secret_enc, ?) FROM " + table + " WHERE tenant_id = ?", key, t.idA()).get(0);
        } catch (java.sql.SQLException e) {
            return "refused: " + e.getMessage();
        }
    }

    @Test
    void onlyTenantAdminsManageWebhooksAndAnotherTenantsEndpointIsNotFound() throws Exception {
        JsonPath a = register(t.adminA(), "/ok/" + UUID.randomUUID(), "[]");
        String id = a.getString("id");

        as(t.memberA()).get("/api/webhooks").then().statusCode(403).contentType("application/problem+json");
        as(t.memberA()).body("{\"url\":\"" + receiver.url("/ok/x") + "\"}").post("/api/webhooks").then().statusCode(403);
        as(t.adminB()).get("/api/webhooks/" + id).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://tessera.dev/problems/not-found"));
        as(t.adminB()).body("{\"enabled\":false}").patch("/api/webhooks/" + id).then().statusCode(404);
        as(t.adminB()).post("/api/webhooks/" + id + "/rotate-secret").then().statusCode(404);
        as(t.adminB()).get("/api/webhooks/" + id + "/deliveries").then().statusCode(404);
        as(t.adminB()).delete("/api/webhooks/" + id).then().statusCode(404);
        assertThat(as(t.adminB()).get("/api/webhooks").then().statusCode(200).extract().jsonPath().getList("items")).isEmpty();

        as(t.adminA()).delete("/api/webhooks/" + id).then().statusCode(204);
        as(t.adminA()).get("/api/webhooks/" + id).then().statusCode(404);
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndRegistersNothing() {
        String invalid = "https://tessera.dev/problems/invalid-parameter";
        for (String url : List.of("http://example.com/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data",
                "https://[fd00::1]/hook", "https://hooks.localhost/hook", "ftp://example.com/hook", "not a url",
                "https://user:pw@example.com/hook", "https://example.com/hook#fragment")) {
            as(t.adminA()).body(new JsonObject().put("url", url).encode()).post("/api/webhooks").then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo(invalid))
                    .body("errors[0].field", equalTo("url"));
        }
        as(t.adminA()).body("{\"url\":\"https://hooks.example.com/x\",\"eventTypes\":[\"OrderExploded\"]}")
                .post("/api/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(invalid)).body("errors[0].field", equalTo("eventTypes"));
        as(t.adminA()).body("{\"eventTypes\":[]}").post("/api/webhooks").then().statusCode(400)
                .contentType("application/problem+json").body("type", startsWith("https://tessera.dev/problems/"));
        as(t.adminA()).body("{\"url\":\"https://hooks.example.com/x\",\"enabled\":\"maybe\"}").post("/api/webhooks").then()
                .statusCode(400).contentType("application/problem+json");
        as(t.adminA()).get("/api/webhooks/not-an-id").then().statusCode(400).contentType("application/problem+json");

        JsonPath ok = register(t.adminA(), "/ok/" + UUID.randomUUID(), "[]");
        String id = ok.getString("id");
        as(t.adminA()).body("{\"url\":\"https://192.168.1.1/\"}").patch("/api/webhooks/" + id).then().statusCode(400)
                .body("type", equalTo(invalid));
        as(t.adminA()).body("{}").patch("/api/webhooks/" + id).then().statusCode(400).contentType("application/problem+json");
        as(t.adminA()).body("{\"from\":\"2026-01-02T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}")
                .post("/api/webhooks/" + id + "/replay").then().statusCode(400).contentType("application/problem+json");
        as(t.adminA()).body("{\"from\":\"yesterday\",\"to\":\"2026-01-01T00:00:00Z\"}")
                .post("/api/webhooks/" + id + "/replay").then().statusCode(400).contentType("application/problem+json");
        as(t.adminA()).post("/api/webhooks/" + id + "/deliveries/" + UUID.randomUUID() + "/replay").then().statusCode(404);
        as(t.adminA()).get("/api/webhooks/" + id).then().statusCode(200).body("url", equalTo(ok.getString("url")));
        assertThat(as(t.adminA()).get("/api/webhooks").then().statusCode(200).extract().jsonPath().getList("items")).hasSize(1);
        // A public https host is accepted, with a query string.
        as(t.adminA()).body("{\"url\":\"https://hooks.example.com/in?source=tessera\",\"enabled\":false}").post("/api/webhooks")
                .then().statusCode(201).body("enabled", equalTo(false)).body("eventTypes", org.hamcrest.Matchers.empty());
    }

    JsonPath register(String admin, String path, String types) {
        return as(admin).body("{\"url\":\"" + receiver.url(path) + "\",\"eventTypes\":" + types + "}").post("/api/webhooks")
                .then().statusCode(201).header("Location", org.hamcrest.Matchers.containsString("/api/webhooks/")).extract().jsonPath();
    }

    /** The endpoint's first delivery, read with its attempts, once {@code done} holds of it. */
    JsonPath awaitDelivery(String endpoint, java.util.function.Predicate<JsonPath> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonPath d = null;
        while (System.nanoTime() < deadline) {
            List<String> ids = as(t.adminA()).get("/api/webhooks/" + endpoint + "/deliveries").then().statusCode(200)
                    .extract().jsonPath().getList("items.id");
            if (!ids.isEmpty()) {
                d = as(t.adminA()).get("/api/webhooks/" + endpoint + "/deliveries/" + ids.get(ids.size() - 1)).then()
                        .statusCode(200).extract().jsonPath();
                if (done.test(d)) {
                    return d;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the delivery did not get there: " + (d == null ? "none" : d.prettify()));
    }

    static String order(String member) {
        return as(member).body("{\"currency\":\"EUR\"}").post("/api/orders").then().statusCode(201).extract().path("id");
    }

    static String product(String member) {
        return as(member).body(dev.tessera.testing.Api.productJson("Mug")).post("/api/products").then().statusCode(201)
                .extract().path("id");
    }

    static String schemaOf(UUID tenant) throws Exception {
        try (Connection owner = Db.asOwner()) {
            return Db.column(owner, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", tenant).get(0);
        }
    }
}
