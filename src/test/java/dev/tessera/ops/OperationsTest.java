package dev.tessera.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Health probes, metrics and the API description answer without a token. */
@QuarkusTest
class OperationsTest {

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessChecksTheDatabaseAndTheMigrations() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("database"))
                .body("checks.find { it.name == 'database' }.data.migrated", equalTo(true));
    }

    @Test
    void startedIsUp() {
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().get("/api/products").then().statusCode(401);

        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
    }

    @Test
    void openApiDescribesTheProductsApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/products"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/products/{id}/restore"));
    }

    @Test
    void everyResponseCarriesATraceId() {
        given().get("/q/health/live").then().header("X-Trace-Id", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{32}"));
    }

    @Test
    void aW3cTraceparentIsKept() {
        given().header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .get("/api/products").then().statusCode(401)
                .header("X-Trace-Id", equalTo("4bf92f3577b34da6a3ce929d0e0e4736"))
                .body("traceId", equalTo("4bf92f3577b34da6a3ce929d0e0e4736"));
    }
}
