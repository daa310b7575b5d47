package dev.tessera.tenancy.provisioning;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Start-up migration of tenant schemas: a schema that fails is reported and refused without touching
 * the others, and its tenant is never served from an old schema.
 */
@QuarkusTest
class TenantSchemaMigrationTest {

    @Inject
    TenantSchemas schemas;

    @Inject
    SchemaRegistry registry;

    @Test
    void aSchemaThatFailsToMigrateIsRefusedAndNamedWhileTheOthersAreServed() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SCHEMA, IsolationMode.SCHEMA);
        String broken = schemaOf(t.idB());
        try (Connection su = Db.asSuperuser()) {
            // Lose B's migration history: migrating it again collides with its existing tables.
            Db.column(su, "DROP TABLE " + broken + ".flyway_tenant_history");
        }
        try {

            schemas.migrateAll();

            assertThat(registry.statusOf(broken)).get().extracting(SchemaStatus::state).isEqualTo(SchemaStatus.State.FAILED);
            assertThat(registry.statusOf(schemaOf(t.idA()))).get().extracting(SchemaStatus::state)
                    .isEqualTo(SchemaStatus.State.CURRENT);
            as(t.memberB()).get("/api/products").then().statusCode(503)
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                    .body("type", equalTo("https://tessera.dev/problems/tenant-schema-unavailable"));
            as(t.memberA()).get("/api/products").then().statusCode(200);
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'tenant-schemas' }.data." + broken, equalTo("migration failed"));
        } finally {
            // Take the broken tenant out of later start-up runs and forget its failure.
            try (Connection su = Db.asSuperuser()) {
                Db.column(su, "UPDATE tessera.tenants SET state = 'OFFBOARDED' WHERE id = ?", t.idB());
            }
            registry.record(new SchemaStatus(broken, SchemaStatus.State.CURRENT, null, null));
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void migratingCurrentSchemasAgainChangesNothing() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SCHEMA, IsolationMode.SCHEMA);
        String product = as(t.memberA()).body(dev.tessera.testing.Api.productJson("kept")).post("/api/products").then()
                .statusCode(201).extract().path("id");

        schemas.migrateAll();

        assertThat(registry.statusOf(schemaOf(t.idA()))).get().extracting(SchemaStatus::state)
                .isEqualTo(SchemaStatus.State.CURRENT);
        as(t.memberA()).get("/api/products/" + product).then().statusCode(200);
    }

    private static String schemaOf(java.util.UUID tenant) throws Exception {
        try (Connection owner = Db.asOwner()) {
            return Db.column(owner, "SELECT schema_name FROM tessera.tenants WHERE id = ?", tenant).get(0);
        }
    }
}
