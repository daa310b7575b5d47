package dev.tessera.catalog.persistence;

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
 * The product reads find their rows through the index, however often they have run: the query inside
 * tessera.list_products and tessera.read_product (R__tenant_reads.sql), as TenantTx.read runs them.
 */
@QuarkusTest
class ProductListPlanTest {

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aLaterPageStartsAtItsCursor(IsolationMode mode) throws Exception {
        Plans.inNewTenantRolledBack(mode, c -> {
            seed(c);
            String middle = Plans.middle(c, "products", "public_id");
            String context = context(c);

            List<JsonObject> nodes = Plans.asServiceRead(c, "products",
                    "tessera.list_products(" + context + ", NULL, NULL, false, 51)",
                    "tessera.list_products(" + context + ", '" + middle + "', NULL, false, 51)", "FROM products p");

            JsonObject scan = Plans.scanOf(nodes, "products");
            assertThat(scan.getString("Index Cond")).as(nodes.toString()).contains("public_id >");
            assertThat(scan.getInteger("Actual Rows")).isEqualTo(51);
            assertThat(nodes).allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());
        });
    }

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aProductIsFoundByItsIdInTheGenericPlanToo(IsolationMode mode) throws Exception {
        Plans.inNewTenantRolledBack(mode, c -> {
            seed(c);
            String middle = Plans.middle(c, "products", "public_id");
            String context = context(c);

            List<JsonObject> nodes = Plans.asServiceRead(c, "products",
                    "tessera.read_product(" + context + ", gen_random_uuid())",
                    "tessera.read_product(" + context + ", '" + middle + "')", "FROM products p");

            JsonObject scan = Plans.scanOf(nodes, "products");
            assertThat(scan.getString("Index Cond")).as(nodes.toString()).contains("public_id =").contains("tenant_id =");
            assertThat(scan.getInteger("Actual Rows")).isEqualTo(1);
            assertThat(nodes).allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());
        });
    }

    private static void seed(java.sql.Connection c) throws java.sql.SQLException {
        Plans.seed(c, """
                INSERT INTO products (public_id, sku, name, price, currency)
                SELECT gen_random_uuid(), 'PLAN-' || g, 'Plan ' || g, 1, 'EUR' FROM generate_series(1, 10000) g""");
    }

    /** The tenant context of the rolled-back transaction, as the read functions' first three arguments (SQL literals). */
    private static String context(java.sql.Connection c) throws java.sql.SQLException {
        return Db.column(c, """
                SELECT quote_literal(current_setting('app.tenant_id')) || ', ''plan-test'', ' ||
                       quote_literal(split_part(current_setting('search_path'), ',', 1))""").get(0);
    }
}
