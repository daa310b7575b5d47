package dev.tessera.orders;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code /q/openapi} describes every order endpoint's request and response bodies with schemas (and
 * examples), as it does for products and customers: clients can generate code from it.
 */
@QuarkusTest
class OrderOpenApiTest {

    private static final String ORDER = "#/components/schemas/Order";

    private JsonPath api;

    /** Fetched in each test: REST Assured knows the test port only once a test runs, not in {@code @BeforeAll}. */
    @BeforeEach
    void fetch() {
        api = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void everyCommandTakesItsRequestSchemaAndAnswersWithTheOrder() {
        Map<String, String> bodies = Map.of("/api/orders", "CreateOrder", "/api/orders/{id}/items", "AddItem",
                "/api/orders/{id}/ship", "Ship", "/api/orders/{id}/cancel", "Cancel");
        bodies.forEach((path, schema) -> assertThat(requestSchema(path, "post")).as(path)
                .isEqualTo("#/components/schemas/" + schema));

        assertThat(responseSchema("/api/orders", "post", "201")).isEqualTo(ORDER);
        for (String path : List.of("/api/orders/{id}/items", "/api/orders/{id}/place", "/api/orders/{id}/pay",
                "/api/orders/{id}/ship", "/api/orders/{id}/deliver", "/api/orders/{id}/cancel")) {
            assertThat(responseSchema(path, "post", "200")).as(path).isEqualTo(ORDER);
        }
        assertThat(responseSchema("/api/orders/{id}/items/{productId}", "delete", "200")).isEqualTo(ORDER);
    }

    @Test
    void readsAnswerWithTheOrderAPageOfSummariesAndAPageOfEvents() {
        assertThat(responseSchema("/api/orders/{id}", "get", "200")).isEqualTo(ORDER);
        assertThat(itemsOf(responseSchema("/api/orders", "get", "200"))).isEqualTo("#/components/schemas/OrderSummary");
        assertThat(itemsOf(responseSchema("/api/orders/{id}/events", "get", "200")))
                .isEqualTo("#/components/schemas/OrderEvent");
    }

    @Test
    void theOrderSchemaNamesItsFieldsWithExamples() {
        Map<String, Map<String, Object>> properties = api.getMap("components.schemas.Order.properties");

        assertThat(properties).containsKeys("id", "status", "customerId", "currency", "total", "itemCount", "version",
                "items", "trackingNumber", "cancelReason");
        assertThat(properties.get("total")).containsEntry("type", "string").containsEntry("examples", List.of("29.97"));
        assertThat(api.getMap("components.schemas.CreateOrder.properties")).containsKeys("customerId", "currency");
        assertThat(api.getMap("components.schemas.AddItem.properties")).containsKeys("productId", "quantity");
    }

    private String requestSchema(String path, String method) {
        return api.getString("paths['" + path + "']." + method + ".requestBody.content['application/json'].schema.$ref");
    }

    private String responseSchema(String path, String method, String status) {
        return api.getString("paths['" + path + "']." + method + ".responses['" + status
                + "'].content['application/json'].schema.$ref");
    }

    /** The schema of {@code items} in a page schema such as {@code #/components/schemas/PageOrderSummary}. */
    private String itemsOf(String pageRef) {
        assertThat(pageRef).as("a page schema").isNotNull();
        String name = pageRef.substring(pageRef.lastIndexOf('/') + 1);
        return api.getString("components.schemas['" + name + "'].properties.items.items.$ref");
    }
}
