package dev.tessera.tenancy;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/** A SHARED tenant and a SCHEMA tenant cannot reach each other's data, through the API or in SQL. */
@QuarkusTest
class CrossModeIsolationTest {

    TwoTenants t;
    String productOfShared;
    String productOfSchema;
    String schemaOfB;

    @BeforeEach
    void sharedTenantAAndSchemaTenantB() throws SQLException {
        t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        productOfShared = as(t.memberA()).body(Api.productJson("shared")).post("/api/products").then().statusCode(201)
                .extract().path("id");
        productOfSchema = as(t.memberB()).body(Api.productJson("schema")).post("/api/products").then().statusCode(201)
                .extract().path("id");
        try (Connection owner = Db.asOwner()) {
            schemaOfB = Db.column(owner, "SELECT schema_name FROM tessera.tenants WHERE id = ?", t.idB()).get(0);
        }
    }

    @Test
    void neitherTenantSeesTheOthersProductsThroughTheApi() {
        as(t.memberA()).get("/api/products/" + productOfSchema).then().statusCode(404);
        as(t.memberB()).get("/api/products/" + productOfShared).then().statusCode(404);
        as(t.adminA()).post("/api/products/" + productOfSchema + "/restore").then().statusCode(404);
        as(t.memberB()).delete("/api/products/" + productOfShared).then().statusCode(404);

        List<String> listA = as(t.memberA()).get("/api/products?limit=100").then().extract().path("items.id");
        List<String> listB = as(t.memberB()).get("/api/products?limit=100").then().extract().path("items.id");
        assertThat(listA).containsExactly(productOfShared);
        assertThat(listB).containsExactly(productOfSchema);
    }

    @Test
    void schemaTenantRowsLiveOnlyInItsSchema() throws SQLException {
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT count(*) FROM tessera.products WHERE tenant_id = ?", t.idB())).containsExactly("0");
            assertThat(Db.column(su, "SELECT count(*) FROM " + schemaOfB + ".products")).containsExactly("1");
        }
    }

    @Test
    void sharedTenantsTransactionCannotReadTheTenantSchemaEvenByName() throws SQLException {
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true), set_config('search_path', 'tessera, public', true)",
                    t.idA().toString());

            List<String> seen = Db.column(app, "SELECT count(*) FROM " + schemaOfB + ".products");

            assertThat(seen).containsExactly("0");
            app.rollback();
        }
    }

    @Test
    void schemaTenantsTransactionCannotReadTheSharedSchemaEvenByName() throws SQLException {
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true), set_config('search_path', ?, true)",
                    t.idB().toString(), schemaOfB + ", public");

            List<String> shared = Db.column(app, "SELECT count(*) FROM tessera.products");
            List<String> own = Db.column(app, "SELECT count(*) FROM products");

            assertThat(shared).containsExactly("0");
            assertThat(own).containsExactly("1");
            app.rollback();
        }
    }

    @Test
    void anotherSchemaTenantCannotReadThisSchemaEvenByName() throws SQLException {
        TwoTenants other = TwoTenants.create(IsolationMode.SCHEMA, IsolationMode.SCHEMA);
        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", other.idA().toString());

            List<String> seen = Db.column(app, "SELECT count(*) FROM " + schemaOfB + ".products");

            assertThat(seen).containsExactly("0");
            app.rollback();
        }
        as(TestTokens.member(other.slugA())).get("/api/products/" + productOfSchema).then().statusCode(404);
    }
}
