package dev.tessera.shared;

import static dev.tessera.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Client mistakes are 4xx problem+json with a stable type, never a 500, and never leak internals. */
@QuarkusTest
class BadInputTest {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    String token;

    @BeforeEach
    void tenant() {
        token = TestTokens.admin(TestTenants.active());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"sku\":\"A1\",                        | malformed-json",
            "not json at all                         | malformed-json",
            "[1,2,3]                                 | malformed-json",
            "{\"sku\":\"A1\",\"name\":\"n\",\"price\":\"cheap\",\"currency\":\"EUR\"} | invalid-field",
            "{\"sku\":\"A1\",\"name\":\"n\",\"price\":{},\"currency\":\"EUR\"}        | invalid-field",
            "{\"sku\":\"A1\",\"name\":\"n\",\"price\":1,\"currency\":\"EUR\",\"colour\":\"red\"} | unknown-field",
            "{\"sku\":\"A1\",\"name\":\"n\",\"price\":-1,\"currency\":\"EUR\"}        | validation",
            "{\"sku\":\"A1\",\"name\":\"n\",\"price\":1.234,\"currency\":\"EUR\"}     | validation",
            "{\"sku\":\"A1\",\"name\":\"n\",\"price\":1e20,\"currency\":\"EUR\"}      | validation",
            "{\"sku\":\"A1\",\"name\":\"n\",\"price\":1,\"currency\":\"euro\"}        | validation",
            "{\"sku\":\"\",\"name\":\"n\",\"price\":1,\"currency\":\"EUR\"}           | validation",
            "{\"sku\":\"A1; DROP TABLE products\",\"name\":\"n\",\"price\":1,\"currency\":\"EUR\"} | validation",
            "{\"sku\":\"A1\",\"name\":\"   \",\"price\":1,\"currency\":\"EUR\"}       | validation",
            "{\"sku\":\"A1\",\"price\":1,\"currency\":\"EUR\"}                        | validation",
            "{}                                      | validation",
            "null                                    | validation",
    })
    void badCreateBodiesAre400(String body, String type) {
        as(token).body(body).post("/api/products").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + type)).body("status", equalTo(400))
                .body("detail", not(containsString("Exception"))).body("detail", not(containsString("dev.tessera")));
        as(token).get("/api/products").then().body("items.sku", not(hasItem("A1")));
    }

    @Test
    void validationProblemNamesEachField() {
        as(token).body("{\"sku\":\"\",\"name\":\"\",\"price\":-5,\"currency\":\"x\"}").post("/api/products").then()
                .statusCode(400)
                .body("errors.field", hasItem("price")).body("errors.field", hasItem("currency"))
                .body("errors.field", hasItem("sku")).body("errors.field", hasItem("name"));
    }

    @ParameterizedTest
    @CsvSource({ "not-a-uuid", "1234", "00000000-0000-0000-0000-00000000000g", "'%27%20OR%201=1--'" })
    void invalidIdInPathIs400(String id) {
        as(token).urlEncodingEnabled(false).get("/api/products/" + id).then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-parameter")).body("errors[0].field", equalTo("id"));
    }

    @Test
    void unknownValidIdIs404() {
        as(token).get("/api/products/0193a0a0-0000-7000-8000-0000000000ff").then().statusCode(404)
                .body("type", equalTo(PROBLEM + "not-found"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "limit=abc         | limit",
            "limit=0           | limit",
            "limit=101         | limit",
            "limit=-1          | limit",
            "cursor=!!!        | cursor",
            "cursor=bm90LWEtdXVpZA | cursor",
            "include=everything | include",
    })
    void badQueryParametersAre400(String query, String field) {
        as(token).urlEncodingEnabled(false).get("/api/products?" + query).then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-parameter")).body("errors[0].field", equalTo(field));
    }

    @Test
    void sqlMetacharactersInTheNameFilterAreJustText() {
        as(token).queryParam("q", "' OR 1=1 --").get("/api/products").then().statusCode(200).body("items.size()",
                equalTo(0));
        as(token).queryParam("q", "%_\\").get("/api/products").then().statusCode(200);
    }

    @Test
    void bodyOverTheLimitIs413() {
        String huge = "{\"sku\":\"A1\",\"name\":\"" + "x".repeat(300 * 1024) + "\",\"price\":1,\"currency\":\"EUR\"}";

        ValidatableResponse r = as(token).body(huge).post("/api/products").then().statusCode(413);

        r.contentType("application/problem+json").body("type", equalTo(PROBLEM + "payload-too-large"));
    }

    @Test
    void wrongContentTypeIs415() {
        as(token).contentType("text/plain").body("sku=A1").post("/api/products").then().statusCode(415)
                .contentType("application/problem+json").body("type", equalTo(PROBLEM + "unsupported-media-type"));
    }

    @Test
    void unsupportedMethodIs405() {
        as(token).put("/api/products").then().statusCode(405).body("type", equalTo(PROBLEM + "method-not-allowed"));
    }

    @Test
    void nulCharactersInTextFieldsAre400() {
        as(token).body("{\"sku\":\"NUL1\",\"name\":\"a\\u0000b\",\"price\":1,\"currency\":\"EUR\"}")
                .post("/api/products").then().statusCode(400).body("type", equalTo(PROBLEM + "validation"))
                .body("errors[0].field", equalTo("name"));
        as(token).body("{\"sku\":\"NUL2\",\"name\":\"n\",\"description\":\"\\u0000\",\"price\":1,\"currency\":\"EUR\"}")
                .post("/api/products").then().statusCode(400).body("errors[0].field", equalTo("description"));
    }

    @Test
    void undecodablePathIsA400NeverA500() throws Exception {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);

        String response;
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET /api/products/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        // Vert.x's HTTP layer refuses such a request line before any route runs, with an empty 400.
        org.assertj.core.api.Assertions.assertThat(response).startsWith("HTTP/1.1 400");
    }

    @Test
    void repeatedIncludeValueIsAccepted() {
        as(token).get("/api/products?include=deleted,deleted").then().statusCode(200);
    }

    @Test
    void emptyPatchIs400() {
        String id = as(token).body(dev.tessera.testing.Api.productJson("p")).post("/api/products").then().statusCode(201)
                .extract().path("id");

        as(token).body("{}").patch("/api/products/" + id).then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-parameter"));
    }

    @Test
    void rlsViolationOnWriteIs404NotA500() {
        String other = TestTenants.idOf(TestTenants.active()).toString();

        as(token).post("/test-probe/rls-violation/" + other).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo(PROBLEM + "not-found"))
                .body("detail", not(containsString("policy"))).body("traceId", notNullValue());
    }

    @Test
    void unexpectedErrorsAre500WithoutInternals() {
        as(token).post("/test-probe/fail-after-write").then().statusCode(500)
                .contentType("application/problem+json").body("type", equalTo(PROBLEM + "internal"))
                .body("detail", not(containsString("division"))).body("detail", not(containsString("SELECT")));
    }
}
