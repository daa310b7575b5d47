package dev.tessera.orders.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Plans;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The rebuild asks for the next batch of order ids after the last one it did, as a cached prepared
 * statement. In the generic plan PostgreSQL settles on as in a custom one, the cursor must be an index
 * condition: as a filter, every batch read the tenant's events from the first, and a rebuild took time
 * in the square of the stream count (1,377 events/s over 190,000 events in bench/run).
 */
@QuarkusTest
class OrderRebuildPlanTest {

    private static final int STREAMS = 20_000;
    private static final int BATCH = 100;

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void eachBatchReadsFromItsCursorInAnyPlan(IsolationMode mode) throws Exception {
        Plans.inNewTenantRolledBack(mode, c -> {
            // Enough one-event streams for the planner to walk the index rather than sort.
            Plans.seed(c, """
                    INSERT INTO es_order_events (order_id, version, type, payload, metadata)
                    SELECT gen_random_uuid(), 1, 'OrderCreated', '{}', '{}' FROM generate_series(1, ?)""", STREAMS);
            String middle = Plans.middle(c, "es_order_events", "order_id");
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE es_order_events");
                s.execute("SET LOCAL ROLE tessera_app");
                s.execute("PREPARE next_ids(uuid, integer) AS " + OrderProjectionRebuild.NEXT_IDS);
                for (String plan : Plans.MODES) {
                    s.execute("SET LOCAL plan_cache_mode = " + plan);
                    JsonObject root = Plans.explain(s, "EXECUTE next_ids('" + middle + "', " + BATCH + ")");
                    List<JsonObject> nodes = Plans.nodes(root);
                    JsonObject events = Plans.scanOf(nodes, "es_order_events");

                    assertThat(events.getString("Index Cond")).as(plan + ": " + root.encodePrettily()).contains("order_id >");
                    assertThat(events.getInteger("Actual Rows")).as(plan + ": one event per order of the batch")
                            .isBetween(BATCH, BATCH + 1);
                    assertThat(nodes).as(plan + ": no row read only to be dropped")
                            .allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());
                }
            }
        });
    }
}
