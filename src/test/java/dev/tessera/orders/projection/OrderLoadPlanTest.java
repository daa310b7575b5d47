package dev.tessera.orders.projection;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.Plans;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Every command loads its order with {@link OrderProjection#CURRENT}. The service runs it as a cached
 * prepared statement, for which PostgreSQL settles on a generic plan after a few executions; in that
 * plan as in a custom one, the events must be found through the index bound by the snapshot's version,
 * so that a long stream costs a command no more than a short one.
 */
@QuarkusTest
class OrderLoadPlanTest {

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void loadingAnOrderReadsNoEventBeforeItsSnapshotInAnyPlan(IsolationMode mode) throws Exception {
        TwoTenants t = TwoTenants.create(mode, mode);
        String product = as(t.memberA()).body(Api.productJson("Plan")).post("/api/products").then().statusCode(201)
                .extract().path("id");
        String order = as(t.memberA()).body("{\"currency\":\"EUR\"}").post("/api/orders").then().statusCode(201)
                .extract().path("id");
        for (int i = 0; i < 30; i++) {
            as(t.memberA()).body("{\"productId\":\"" + product + "\",\"quantity\":1}").post("/api/orders/" + order + "/items")
                    .then().statusCode(200);
        }

        try (Connection owner = Db.asOwner(); Connection app = Db.asApp()) {
            String schema = Db.column(owner, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?",
                    t.idA()).get(0);
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true), set_config('search_path', ? || ', public', true)",
                    t.idA().toString(), schema);
            try (Statement s = app.createStatement()) {
                s.execute("PREPARE current_order(uuid, text) AS " + OrderProjection.CURRENT);
                for (String plan : Plans.MODES) {
                    s.execute("SET LOCAL plan_cache_mode = " + plan);
                    JsonObject root = Plans.explain(s, "EXECUTE current_order('" + order + "', '" + OrderSnapshot.SCHEMA + "')");
                    List<JsonObject> nodes = Plans.nodes(root);
                    JsonObject events = Plans.scanOf(nodes, "es_order_events");

                    assertThat(events.getString("Index Cond")).as(plan + ": " + root.encodePrettily()).contains("version >");
                    assertThat(events.getInteger("Actual Rows")).as(plan).isZero();
                    assertThat(nodes).as(plan + ": no row read only to be dropped")
                            .allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());
                }
            }
            app.rollback();
        }
    }

    /** The same for an order read (GET): the query inside tessera.read_order, as TenantTx.read runs it. */
    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void readingAnOrderReadsNoEventBeforeItsSnapshotInTheGenericPlanToo(IsolationMode mode) throws Exception {
        TwoTenants t = TwoTenants.create(mode, mode);
        String product = as(t.memberA()).body(Api.productJson("Plan")).post("/api/products").then().statusCode(201)
                .extract().path("id");
        String order = as(t.memberA()).body("{\"currency\":\"EUR\"}").post("/api/orders").then().statusCode(201)
                .extract().path("id");
        for (int i = 0; i < 30; i++) {
            as(t.memberA()).body("{\"productId\":\"" + product + "\",\"quantity\":1}").post("/api/orders/" + order + "/items")
                    .then().statusCode(200);
        }

        Plans.inTenantRolledBack(t.idA(), c -> {
            String context = Db.column(c, """
                    SELECT quote_literal(current_setting('app.tenant_id')) || ', ''plan-test'', ' ||
                           quote_literal(split_part(current_setting('search_path'), ',', 1))""").get(0);
            // Other orders' events, so that the tenant's table is worth an index in either mode (rolled back).
            Plans.seed(c, """
                    INSERT INTO es_order_events (order_id, version, type, payload, metadata)
                    SELECT gen_random_uuid(), 1, 'OrderCreated', '{}', '{}' FROM generate_series(1, 10000)""");
            String call = "tessera.read_order(" + context + ", '" + order + "', '" + OrderSnapshot.SCHEMA + "')";

            List<JsonObject> nodes = Plans.asServiceRead(c, "es_order_events", call, call, "FROM es_order_events e");

            JsonObject events = Plans.scanOf(nodes, "es_order_events");
            assertThat(events.getString("Index Cond")).as(nodes.toString()).contains("version >");
            assertThat(events.getInteger("Actual Rows")).isZero();
            assertThat(nodes).allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());
        });
    }
}
