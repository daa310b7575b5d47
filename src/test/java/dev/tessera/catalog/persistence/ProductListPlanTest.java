package dev.tessera.catalog.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Plans;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** A later page of the product list starts at its cursor through the index, however often the list has run (CustomPlans). */
@QuarkusTest
class ProductListPlanTest {

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aLaterPageStartsAtItsCursor(IsolationMode mode) throws Exception {
        Plans.inNewTenantRolledBack(mode, c -> {
            Plans.seed(c, """
                    INSERT INTO products (public_id, sku, name, price, currency)
                    SELECT gen_random_uuid(), 'PLAN-' || g, 'Plan ' || g, 1, 'EUR' FROM generate_series(1, 10000) g""");
            String middle = Plans.middle(c, "products", "public_id");

            List<JsonObject> nodes = Plans.asServiceList(c, "products", ProductRepository.LIST,
                    "NULL, NULL, false, 51", "'" + middle + "', NULL, false, 51");

            JsonObject scan = Plans.scanOf(nodes, "products");
            assertThat(scan.getString("Index Cond")).as(nodes.toString()).contains("public_id >");
            assertThat(scan.getInteger("Actual Rows")).isEqualTo(51);
            assertThat(nodes).allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());
        });
    }
}
