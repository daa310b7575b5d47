package dev.tessera.tenancy;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The tenant read functions (R__tenant_reads.sql, run by TenantTx.read) keep every isolation guarantee
 * of the tenant transaction, as the role the service logs in as, each call a statement of its own in
 * autocommit, as the service sends it: a read sees its tenant's rows only, nothing without a tenant,
 * and leaves no context behind on the connection.
 */
@QuarkusTest
class TenantReadTest {

    private static final String READ = "SELECT sku FROM tessera.read_product(?, 'reader', ?, ?::uuid)";
    private static final String LIST = "SELECT sku FROM tessera.list_products(?, 'reader', ?, NULL, NULL, true, 100)";

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aReadSeesOnlyItsOwnTenantsRows(IsolationMode mode) throws SQLException {
        Given g = given(mode);

        try (Connection app = Db.asApp()) {

            assertThat(Db.column(app, LIST, g.t.idA().toString(), g.schemaA)).containsExactly("SKU-A");
            assertThat(Db.column(app, LIST, g.t.idB().toString(), g.schemaB)).containsExactly("SKU-B");
            assertThat(Db.column(app, READ, g.t.idA().toString(), g.schemaA, g.productA)).containsExactly("SKU-A");
            assertThat(Db.column(app, READ, g.t.idA().toString(), g.schemaA, g.productB)).isEmpty();
            // Another tenant's schema on the search path (SCHEMA mode), own tenant id: RLS is the second wall.
            assertThat(Db.column(app, LIST, g.t.idA().toString(), g.schemaB))
                    .isEqualTo(mode == IsolationMode.SCHEMA ? List.of() : List.of("SKU-A"));
            assertThat(Db.column(app, READ, g.t.idA().toString(), g.schemaB, g.productB)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void withoutATenantAReadSeesNothing(IsolationMode mode) throws SQLException {
        Given g = given(mode);

        try (Connection app = Db.asApp()) {

            assertThat(Db.column(app, LIST, null, g.schemaA)).isEmpty();
            assertThat(Db.column(app, LIST, "", g.schemaA)).isEmpty();
            assertThat(Db.column(app, READ, null, g.schemaA, g.productA)).isEmpty();
            assertThat(Db.column(app, READ, "", null, g.productA)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aReadLeavesNoContextOnItsConnection(IsolationMode mode) throws SQLException {
        Given g = given(mode);

        try (Connection app = Db.asApp()) {
            assertThat(Db.column(app, LIST, g.t.idA().toString(), g.schemaA)).containsExactly("SKU-A");

            List<String> after = Db.column(app, """
                    SELECT coalesce(current_setting('app.tenant_id', true), '') || '|' ||
                           coalesce(current_setting('app.user_id', true), '') || '|' ||
                           current_setting('search_path') || '|' ||
                           current_setting('plan_cache_mode') || '|' ||
                           (SELECT count(*) FROM tessera.products)""");

            assertThat(after).containsExactly("||\"$user\", public|auto|0");
        }
    }

    @Test
    void onlyTheContextSettingFunctionsAreTenantReads() {
        assertThatThrownBy(() -> TenantRead.of("products", 0, rows -> rows))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TenantRead.of("tessera.read_product(1); SELECT 1", 0, rows -> rows))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(TenantRead.of("tessera.read_product", 1, rows -> rows).toString())
                .isEqualTo("SELECT * FROM tessera.read_product($1, $2, $3, $4)");
    }

    @Test
    void theAppRoleMayOnlyExecuteTheReadFunctionsNotReplaceThem() throws SQLException {
        try (Connection app = Db.asApp()) {

            assertThatThrownBy(() -> Db.column(app, """
                    CREATE OR REPLACE FUNCTION tessera.enter_tenant(p_tenant text, p_user text, p_schema text)
                    RETURNS void LANGUAGE sql AS 'SELECT'""")).isInstanceOf(SQLException.class);
        }
    }

    private record Given(TwoTenants t, String schemaA, String schemaB, String productA, String productB) {
    }

    private static Given given(IsolationMode mode) {
        TwoTenants t = TwoTenants.create(mode, mode);
        return new Given(t, schemaOf(t.idA()), schemaOf(t.idB()), product(t.memberA(), "SKU-A"), product(t.memberB(), "SKU-B"));
    }

    private static String product(String token, String sku) {
        return as(token).body("""
                {"sku":"%s","name":"Read test","price":1.00,"currency":"EUR"}""".formatted(sku))
                .post("/api/products").then().statusCode(201).extract().path("id");
    }

    private static String schemaOf(java.util.UUID tenant) {
        try (Connection owner = Db.asOwner()) {
            return Db.column(owner, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", tenant)
                    .get(0);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
