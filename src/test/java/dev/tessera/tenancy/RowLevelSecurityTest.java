package dev.tessera.tenancy;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/** Isolation holds in PostgreSQL itself, for the role the service logs in as, whatever the SQL. */
@QuarkusTest
class RowLevelSecurityTest {

    UUID tenantA;
    UUID tenantB;

    @BeforeEach
    void productsOfTwoTenants() {
        TwoTenants t = TwoTenants.create();
        tenantA = t.idA();
        tenantB = t.idB();
        as(t.memberA()).body(Api.productJson("of A")).post("/api/products").then().statusCode(201);
        as(t.memberB()).body(Api.productJson("of B")).post("/api/products").then().statusCode(201);
    }

    @Test
    void withNoTenantSetTheAppRoleSeesNoRows() throws SQLException {
        try (Connection app = Db.asApp()) {

            String count = Db.column(app, "SELECT count(*) FROM tessera.products").get(0);

            assertThat(count).isEqualTo("0");
        }
    }

    @Test
    void withNoTenantSetTheAppRoleCannotInsert() throws SQLException {
        try (Connection app = Db.asApp()) {

            assertThatThrownBy(() -> Db.column(app, """
                    INSERT INTO tessera.products (public_id, sku, name, price, currency)
                    VALUES (gen_random_uuid(), 'X', 'x', 1, 'EUR')""")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void tenantSetInOneTransactionIsGoneInTheNextOnTheSameConnection() throws SQLException {
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", tenantA.toString());
            String seenInside = Db.column(app, "SELECT count(*) FROM tessera.products").get(0);
            app.commit();

            String setting = Db.column(app, "SELECT coalesce(current_setting('app.tenant_id', true), '')").get(0);
            String seenAfter = Db.column(app, "SELECT count(*) FROM tessera.products").get(0);
            app.commit();

            assertThat(seenInside).isEqualTo("1");
            assertThat(setting).isEmpty();
            assertThat(seenAfter).isEqualTo("0");
        }
    }

    @Test
    void aTenantSeesOnlyItsOwnRowsEvenWithoutAWhereClause() throws SQLException {
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", tenantB.toString());

            var tenants = Db.column(app, "SELECT DISTINCT tenant_id::text FROM tessera.products");

            assertThat(tenants).containsExactly(tenantB.toString());
            app.rollback();
        }
    }

    @Test
    void aTenantCannotWriteRowsForAnotherTenant() throws SQLException {
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", tenantA.toString());

            assertThatThrownBy(() -> Db.column(app, """
                    INSERT INTO tessera.products (tenant_id, public_id, sku, name, price, currency)
                    VALUES (?::uuid, gen_random_uuid(), 'X', 'x', 1, 'EUR')""", tenantB.toString()))
                    .hasMessageContaining("row-level security");
            app.rollback();
        }
    }

    @Test
    void aTenantCannotMoveItsRowsToAnotherTenant() throws SQLException {
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", tenantA.toString());

            assertThatThrownBy(() -> Db.column(app, "UPDATE tessera.products SET tenant_id = ?::uuid",
                    tenantB.toString())).hasMessageContaining("row-level security");
            app.rollback();
        }
    }

    @Test
    void theAppRoleCannotTurnRowLevelSecurityOffOrChangeTheSchema() throws SQLException {
        try (Connection app = Db.asApp()) {
            assertThatThrownBy(() -> Db.column(app, "ALTER TABLE tessera.products DISABLE ROW LEVEL SECURITY"))
                    .hasMessageContaining("must be owner");
            assertThatThrownBy(() -> Db.column(app, "DROP POLICY tenant_isolation ON tessera.products"))
                    .hasMessageContaining("must be owner");
            assertThatThrownBy(() -> Db.column(app, "SET row_security = off; SELECT count(*) FROM tessera.products"))
                    .hasMessageContaining("row-level security");
            assertThatThrownBy(() -> Db.column(app, "TRUNCATE tessera.products")).hasMessageContaining("permission denied");
            assertThat(Db.column(app, "WITH gone AS (DELETE FROM tessera.products RETURNING 1) SELECT count(*) FROM gone"))
                    .as("with no tenant set, a DELETE reaches no row").containsExactly("0");
            assertThatThrownBy(() -> Db.column(app, "DELETE FROM tessera.audit_log")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> Db.column(app, "CREATE TABLE public.sneaky (id int)"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> Db.column(app, "UPDATE tessera.tenants SET slug = 'renamed'"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void everyTenantTableForcesRowLevelSecurity() throws SQLException {
        try (Connection owner = Db.asOwner()) {

            var unprotected = Db.column(owner, """
                    SELECT c.relname
                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'tessera' AND c.relkind = 'r'
                       AND c.relname NOT IN ('tenants', 'platform_audit', 'platform_publication_state', 'lifecycle_policy', 'master_key_check',
                                         'flyway_schema_history', 'flyway_tenant_history')
                       AND NOT (c.relrowsecurity AND c.relforcerowsecurity)""");

            assertThat(unprotected).isEmpty();
        }
    }

    @Test
    void everyTableAndColumnHasAComment() throws SQLException {
        try (Connection owner = Db.asOwner()) {

            var uncommented = Db.column(owner, """
                    SELECT c.relname || coalesce('.' || a.attname, '')
                      FROM pg_class c
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                     WHERE n.nspname = 'tessera' AND c.relkind = 'r' AND c.relname NOT LIKE 'flyway%'
                       AND (obj_description(c.oid, 'pg_class') IS NULL
                            OR (a.attnum IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL))""");

            assertThat(uncommented).isEmpty();
        }
    }
}
