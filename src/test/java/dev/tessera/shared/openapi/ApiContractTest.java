package dev.tessera.shared.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.shared.error.Problem;
import dev.tessera.shared.error.ProblemType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The OpenAPI document at {@code /q/openapi} is a contract a client generator can rely on: every operation
 * has a unique operationId, a summary, a described tag, the bearer scheme, a success schema and its problem
 * responses as problem+json; the shared headers are declared once; servers and licence are set.
 */
@QuarkusTest
class ApiContractTest {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private JsonPath api;

    /** Fetched in each test: REST Assured knows the test port only once a test runs. */
    @BeforeEach
    void fetch() {
        api = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void everyOperationHasAUniqueIdASummaryADescribedTagAndTheBearerScheme() {
        List<Map<String, Object>> operations = operations();
        Set<String> described = new HashSet<>(api.<String>getList("tags.findAll { it.description }.name"));
        Set<String> ids = new TreeSet<>();

        assertThat(operations).as("operations; the test-only probes are not among them").hasSizeGreaterThanOrEqualTo(43)
                .noneMatch(op -> op.get("path").toString().startsWith("/test-probe"));
        for (Map<String, Object> op : operations) {
            String where = op.get("method") + " " + op.get("path");
            assertThat((String) op.get("operationId")).as("operationId of %s", where).matches("[a-z][A-Za-z]+");
            assertThat(ids.add((String) op.get("operationId"))).as("unique operationId of %s", where).isTrue();
            assertThat((String) op.get("summary")).as("summary of %s", where).isNotBlank();
            assertThat((List<?>) op.get("tags")).as("tag of %s", where).hasSize(1);
            assertThat(described).as("described tags").contains((String) ((List<?>) op.get("tags")).get(0));
            // One requirement, the bearer scheme; its list names the roles that may call (OpenAPI 3.1 allows it).
            assertThat((List<?>) op.get("security")).as("security of %s", where).singleElement()
                    .satisfies(r -> assertThat(((Map<?, ?>) r).keySet().stream().map(Object::toString).toList())
                            .containsExactly("bearerAuth"));
        }
        assertThat(api.getMap("components.securitySchemes.bearerAuth")).containsEntry("type", "http")
                .containsEntry("scheme", "bearer").containsEntry("bearerFormat", "JWT");
    }

    @Test
    void everySuccessHasASchemaAndEveryFailureIsAProblem() {
        for (Map<String, Object> op : operations()) {
            Map<String, Map<String, Object>> responses = responses(op);
            String where = op.get("operationId").toString();

            assertThat(responses.keySet()).as("responses of %s", where).anyMatch(code -> code.startsWith("2"))
                    .contains("401", "403", "500", "503").doesNotContain("default");
            responses.forEach((code, response) -> {
                if (code.startsWith("2") && !code.equals("204")) {
                    assertThat(response).as("%s %s", where, code).containsKey("content");
                    assertThat(response.get("content").toString()).as("%s %s schema", where, code).contains("schema");
                } else if (!code.startsWith("2")) {
                    assertProblem(where, code, response);
                }
            });
        }
    }

    @Test
    void theProblemSchemaIsTheProblemRecord() {
        Set<String> fields = api.getMap("components.schemas.Problem.properties").keySet().stream()
                .map(Object::toString).collect(java.util.stream.Collectors.toSet());

        assertThat(fields).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Problem.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertThat(api.getList("components.schemas.Problem.required")).containsExactly("type", "title", "status");
    }

    @Test
    void everyProblemTypeIsGivenBySomeOperationExceptMethodNotAllowed() {
        Set<String> examples = api.getMap("components.examples").keySet().stream().map(Object::toString)
                .collect(java.util.stream.Collectors.toSet());

        List<String> missing = Arrays.stream(ProblemType.values()).filter(t -> t != ProblemType.METHOD_NOT_ALLOWED)
                .map(ProblemType::slug).filter(s -> !examples.contains(s)).toList();
        assertThat(missing).as("problem types no operation documents").isEmpty();
    }

    @Test
    void orderCommandsDocumentTheirRulesPreconditionIdempotencyAndHeaders() {
        Map<String, Object> pay = response("/api/orders/{id}/pay", "post", "409");
        assertThat(exampleNames(pay)).contains("order-not-placed", "concurrent-modification");
        assertThat(exampleNames(response("/api/orders/{id}/pay", "post", "412"))).containsExactly("precondition-failed");
        assertThat(exampleNames(response("/api/orders/{id}/pay", "post", "422"))).contains("idempotency-key-reused");
        assertThat(exampleNames(response("/api/orders/{id}/items", "post", "422"))).contains("unknown-product");
        assertThat(headers("/api/orders", "post", "201")).containsKeys("Location", "ETag");
        assertThat(headers("/api/orders/{id}", "get", "200")).containsKey("ETag");
        assertThat(headers("/api/orders/{id}/pay", "post", "503")).containsKey("Retry-After");
        assertThat(headers("/api/orders/{id}/pay", "post", "401")).containsKey("WWW-Authenticate");
        assertThat(api.getList("paths['/api/orders/{id}/pay'].post.parameters.$ref")).contains(
                "#/components/parameters/IfMatch", "#/components/parameters/IdempotencyKey");
        assertThat(exampleNames(response("/api/products", "post", "409"))).containsExactly("quota-exceeded", "sku-taken");
        assertThat(headers("/api/products", "post", "201")).containsKey("Location").doesNotContainKey("ETag")
                .containsKeys("RateLimit", "RateLimit-Policy");
        assertThat(headers("/api/products", "post", "429")).containsKeys("Retry-After", "RateLimit", "RateLimit-Policy");
        assertThat(exampleNames(response("/api/products", "post", "429"))).containsExactly("rate-limited", "tenant-busy");
    }

    @Test
    void serversAndLicenceAreSet() {
        assertThat(api.getList("servers.url")).containsExactly("/");
        assertThat(api.getString("info.license.name")).isEqualTo("Proprietary");
        assertThat(api.getString("info.license.url")).startsWith("https://");
        assertThat(api.getString("info.description")).isNotBlank();
    }

    private void assertProblem(String where, String code, Map<String, Object> response) {
        JsonPath r = new JsonPath(toJson(response));
        assertThat(r.getString("content['application/problem+json'].schema.$ref")).as("%s %s", where, code)
                .isEqualTo(PROBLEM_REF);
        Map<String, Object> examples = r.getMap("content['application/problem+json'].examples");
        assertThat(examples).as("%s %s examples", where, code).isNotEmpty();
        for (String name : examples.keySet()) {
            assertThat(api.getInt("components.examples['" + name + "'].value.status")).as("%s %s %s", where, code, name)
                    .isEqualTo(Integer.parseInt(code));
        }
    }

    private List<Map<String, Object>> operations() {
        List<Map<String, Object>> operations = new ArrayList<>();
        Map<String, Map<String, Object>> paths = api.getMap("paths");
        paths.forEach((path, item) -> item.forEach((method, op) -> {
            if (METHODS.contains(method)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> o = new java.util.HashMap<>((Map<String, Object>) op);
                o.put("path", path);
                o.put("method", method);
                operations.add(o);
            }
        }));
        return operations;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> responses(Map<String, Object> op) {
        return (Map<String, Map<String, Object>>) op.get("responses");
    }

    private Map<String, Object> response(String path, String method, String code) {
        Map<String, Object> r = api.getMap("paths['" + path + "']." + method + ".responses['" + code + "']");
        assertThat(r).as("%s %s %s", method, path, code).isNotNull();
        return r;
    }

    private Set<String> exampleNames(Map<String, Object> response) {
        return new JsonPath(toJson(response)).getMap("content['application/problem+json'].examples").keySet().stream()
                .map(Object::toString).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    private Map<String, Object> headers(String path, String method, String code) {
        Map<String, Object> h = api.getMap("paths['" + path + "']." + method + ".responses['" + code + "'].headers");
        return h == null ? Map.of() : h;
    }

    private static String toJson(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
