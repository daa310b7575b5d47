package dev.tessera.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;

/**
 * Checks, as the superuser, what a write load left in the database against what its clients were told:
 * every 2xx is there, and nothing is half-written (a product without its audit row, an order stream
 * without its projection row or with a projection at another version).
 */
final class WrittenData {

    private final Map<String, UUID> tenants;

    WrittenData(TwoTenants t) {
        this.tenants = Map.of("A", t.idA(), "B", t.idB());
    }

    void assertHolds(List<WriteLoad.Outcome> outcomes) throws SQLException {
        try (Connection c = Db.asSuperuser()) {
            for (var tenant : tenants.entrySet()) {
                String schema = schemaOf(c, tenant.getValue());
                String id = tenant.getValue().toString();
                List<WriteLoad.Outcome> mine = outcomes.stream().filter(o -> o.tenant().equals(tenant.getKey()) && o.ok()).toList();

                List<String> skus = Db.column(c, "SELECT sku FROM " + schema + ".products WHERE tenant_id = ?::uuid", id);
                List<String> orders = Db.column(c, "SELECT order_id::text FROM " + schema + ".rm_orders WHERE tenant_id = ?::uuid", id);
                List<String> withItems = Db.column(c, "SELECT DISTINCT order_id::text FROM " + schema
                        + ".es_order_events WHERE tenant_id = ?::uuid AND type = 'ItemAdded'", id);

                assertThat(skus).as("tenant %s: every 2xx product is stored", tenant.getKey())
                        .containsAll(keys(mine, "product"));
                assertThat(orders).as("tenant %s: every 2xx order is stored", tenant.getKey()).containsAll(keys(mine, "order"));
                assertThat(withItems).as("tenant %s: every 2xx item is stored", tenant.getKey()).containsAll(keys(mine, "item"));
                assertThat(Db.column(c, """
                        SELECT p.sku FROM %s.products p
                        WHERE  p.tenant_id = ?::uuid
                          AND  NOT EXISTS (SELECT 1 FROM %s.audit_log a
                                           WHERE a.tenant_id = p.tenant_id AND a.table_name = 'products'
                                             AND a.record_id = p.public_id AND a.action = 'INSERT')
                        """.formatted(schema, schema), id)).as("tenant %s: products without their audit row", tenant.getKey())
                        .isEmpty();
                assertThat(Db.column(c, """
                        SELECT coalesce(e.order_id, r.order_id)::text
                        FROM   (SELECT order_id, max(version) AS version FROM %s.es_order_events
                                WHERE tenant_id = ?::uuid GROUP BY order_id) e
                        FULL   JOIN (SELECT order_id, version FROM %s.rm_orders WHERE tenant_id = ?::uuid) r USING (order_id)
                        WHERE  e.version IS DISTINCT FROM r.version
                        """.formatted(schema, schema), id, id)).as("tenant %s: streams and projection rows that disagree",
                                tenant.getKey()).isEmpty();
            }
        }
    }

    private static List<String> keys(List<WriteLoad.Outcome> outcomes, String kind) {
        return outcomes.stream().filter(o -> o.kind().equals(kind)).map(WriteLoad.Outcome::key).toList();
    }

    private static String schemaOf(Connection c, UUID tenant) throws SQLException {
        // From our own tenants table, not from a request; quoted all the same.
        String name = Db.column(c, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", tenant).get(0);
        return "\"" + name + "\"";
    }
}
