package dev.tessera.orders.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.Plans;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The order list finds a later page, a customer's orders and a status's orders through their indexes,
 * however often it has run (CustomPlans): in a generic plan each would read the tenant's orders in id
 * order and drop the rest.
 */
@QuarkusTest
class OrderListPlanTest {

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void pagesAndFiltersAreIndexConditions(IsolationMode mode) throws Exception {
        Plans.inNewTenantRolledBack(mode, c -> {
            // 10,000 orders of 1,000 customers, one in 100 of them PLACED.
            Plans.seed(c, """
                    INSERT INTO rm_orders (order_id, status, customer_id, currency, total, item_count, version,
                                           created_at, updated_at)
                    SELECT gen_random_uuid(), CASE WHEN g % 100 = 0 THEN 'PLACED' ELSE 'DRAFT' END,
                           md5((g % 1000)::text)::uuid, 'EUR', 0, 0, 1, now(), now()
                      FROM generate_series(1, 10000) g""");
            String middle = Plans.middle(c, "rm_orders", "order_id");
            String customer = Db.column(c, "SELECT md5('7')::uuid").get(0);

            JsonObject page = Plans.scanOf(Plans.asServiceList(c, "rm_orders", OrderProjection.LIST,
                    "NULL, NULL, NULL, 51", "'" + middle + "', NULL, NULL, 51"), "rm_orders");
            assertThat(page.getString("Index Cond")).as(page.encode()).contains("order_id >");
            assertThat(page.getInteger("Actual Rows")).isEqualTo(51);

            List<JsonObject> byCustomer = Plans.asServiceList(c, "rm_orders", OrderProjection.LIST,
                    "NULL, NULL, NULL, 51", "NULL, NULL, '" + customer + "', 51");
            assertThat(Plans.scanOf(byCustomer, "rm_orders").getString("Index Cond")).as(byCustomer.toString())
                    .contains("customer_id =");
            assertThat(byCustomer).allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());

            List<JsonObject> byStatus = Plans.asServiceList(c, "rm_orders", OrderProjection.LIST,
                    "NULL, NULL, NULL, 51", "NULL, 'PLACED', NULL, 51");
            assertThat(Plans.scanOf(byStatus, "rm_orders").getString("Index Cond")).as(byStatus.toString())
                    .contains("status =");
            assertThat(byStatus).allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());
        });
    }
}
