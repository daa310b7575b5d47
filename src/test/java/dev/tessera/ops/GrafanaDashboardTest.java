package dev.tessera.ops;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tessera.retention.RetentionPurge;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Api;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Grafana dashboard in k8s/monitoring cannot drift from the service: after some traffic, every
 * metric its PromQL names is exposed by this service's /q/metrics.
 */
@QuarkusTest
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("k8s/monitoring/grafana-dashboard-tessera.json");
    // A metric selector is a name followed by its label matchers: the dashboard writes every one with {...}.
    static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    @Inject
    RetentionPurge purge;

    @Test
    void everyMetricTheDashboardQueriesIsExposed() throws Exception {
        List<String> expressions = expressions(new ObjectMapper().readTree(DASHBOARD.toFile()));
        traffic();

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(expressions).hasSizeGreaterThan(10);
        TreeSet<String> names = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = SELECTOR.matcher(expr);
            boolean any = false;
            while (m.find()) {
                names.add(m.group(1));
                any = true;
            }
            assertThat(any).as("expression selects a metric with {...}: " + expr).isTrue();
        }
        assertThat(names).allSatisfy(name -> assertThat(metrics).as("/q/metrics exposes " + name)
                .containsPattern("(?m)^" + Pattern.quote(name) + "[{ ]"));
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> out.add(e.asText()));
        return out;
    }

    /** Requests that make every meter the dashboard shows exist: orders, conflicts, crypto, purge, rotation. */
    private void traffic() {
        TwoTenants t = TwoTenants.create(IsolationMode.SHARED, IsolationMode.SCHEMA);
        String product = as(t.memberA()).body(Api.productJson("Mug")).post("/api/products").then().statusCode(201)
                .extract().path("id");
        as(t.adminA()).body("{\"displayName\":\"C\",\"email\":\"c@example.com\"}").post("/api/customers").then()
                .statusCode(201);
        String order = as(t.memberA()).body("{\"currency\":\"EUR\"}").post("/api/orders").then().statusCode(201)
                .extract().path("id");
        as(t.memberA()).header("If-Match", "\"7\"").body("{\"productId\":\"" + product + "\",\"quantity\":1}")
                .post("/api/orders/" + order + "/items").then().statusCode(412);
        as(t.memberA()).body("{\"productId\":\"" + product + "\",\"quantity\":1}").post("/api/orders/" + order + "/items")
                .then().statusCode(200);
        as(t.memberA()).delete("/api/products/" + product).then().statusCode(204);
        given().auth().oauth2(TestTokens.platformAdmin()).post("/admin/tenants/" + t.idA() + "/keys/rotate").then()
                .statusCode(202);
        try {
            io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> purge.purgeAll());
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
