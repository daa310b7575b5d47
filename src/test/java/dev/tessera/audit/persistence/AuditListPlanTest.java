package dev.tessera.audit.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.Plans;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The audit trail finds a later page and one record's history through the index, however often it has run (CustomPlans). */
@QuarkusTest
class AuditListPlanTest {

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aLaterPageAndARecordsHistoryAreIndexConditions(IsolationMode mode) throws Exception {
        Plans.inNewTenantRolledBack(mode, c -> {
            // Each product written is an audit row (the trigger).
            Plans.seed(c, """
                    INSERT INTO products (public_id, sku, name, price, currency)
                    SELECT gen_random_uuid(), 'AUDIT-' || g, 'Audit ' || g, 1, 'EUR' FROM generate_series(1, 10000) g""");
            String middle = Plans.middle(c, "audit_log", "id");
            String record = Db.column(c, """
                    SELECT record_id FROM audit_log WHERE tenant_id = current_setting('app.tenant_id')::uuid
                     ORDER BY id OFFSET 7000 LIMIT 1""").get(0);

            JsonObject page = Plans.scanOf(Plans.asServiceList(c, "audit_log", AuditRepository.LIST,
                    "NULL, NULL, NULL, NULL, NULL, NULL, 51", middle + ", NULL, NULL, NULL, NULL, NULL, 51"), "audit_log");
            assertThat(page.getString("Index Cond")).as(page.encode()).contains("id >");
            assertThat(page.getInteger("Actual Rows")).isEqualTo(51);

            List<JsonObject> history = Plans.asServiceList(c, "audit_log", AuditRepository.LIST,
                    "NULL, NULL, NULL, NULL, NULL, NULL, 51", "NULL, 'products', '" + record + "', NULL, NULL, NULL, 51");
            assertThat(Plans.scanOf(history, "audit_log").getString("Index Cond")).as(history.toString())
                    .contains("record_id =");
            assertThat(history).allSatisfy(n -> assertThat(Plans.rowsDropped(n)).isZero());
        });
    }
}
