package dev.tessera.customers.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Plans;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The customer list finds a later page, and a customer by email (its blind index), through the index,
 * however often it has run (CustomPlans): in a generic plan a search by email read every customer.
 */
@QuarkusTest
class CustomerListPlanTest {

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aLaterPageAndAnEmailAreIndexConditions(IsolationMode mode) throws Exception {
        Plans.inNewTenantRolledBack(mode, c -> {
            Plans.seed(c, """
                    INSERT INTO customers (public_id, display_name, email_hmac, key_version)
                    SELECT gen_random_uuid(), 'Plan ' || g, decode(md5(g::text), 'hex'), 1
                      FROM generate_series(1, 10000) g""");
            String middle = Plans.middle(c, "customers", "public_id");

            JsonObject page = Plans.scanOf(Plans.asServiceList(c, "customers", CustomerStore.LIST,
                    "ARRAY['k1'], NULL, NULL, false, 51", "ARRAY['k1'], '" + middle + "', NULL, false, 51"), "customers");
            assertThat(page.getString("Index Cond")).as(page.encode()).contains("public_id >");
            assertThat(page.getInteger("Actual Rows")).isEqualTo(51);

            List<JsonObject> byEmail = Plans.asServiceList(c, "customers", CustomerStore.LIST,
                    "ARRAY['k1'], NULL, NULL, false, 51", "ARRAY['k1'], NULL, ARRAY[decode(md5('4242'), 'hex')], false, 51");
            JsonObject scan = Plans.scanOf(byEmail, "customers");
            assertThat(scan.getString("Index Cond")).as(byEmail.toString()).contains("email_hmac =");
            assertThat(scan.getInteger("Actual Rows")).isEqualTo(1);
            assertThat(byEmail).allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());
        });
    }
}
