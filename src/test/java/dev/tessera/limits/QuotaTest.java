package dev.tessera.limits;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Api;
import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Quotas are kept in the writing transaction: 32 parallel creates at the edge of a tenant's quota create
 * exactly what is left and refuse the rest with 409 quota-exceeded naming the quota; a restore counts
 * too; another tenant is not held by it. In both isolation modes, for products and customers.
 */
@QuarkusTest
class QuotaTest {

    static final int QUOTA = 10;
    static final int BEFORE = 5;
    static final int PARALLEL = 32;

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void parallelProductCreatesAtTheEdgeOfTheQuotaNeverOvershoot(IsolationMode mode) throws Exception {
        // given a tenant with a quota of 10 products holding 5, and another tenant without quota
        TwoTenants t = TwoTenants.create(mode, mode);
        quota(t.idA(), "{\"maxProducts\":" + QUOTA + "}");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < BEFORE; i++) {
            ids.add(as(t.adminA()).body(Api.productJson("before " + i)).post("/api/products").then().statusCode(201)
                    .extract().path("id"));
        }

        // when 32 creates arrive at once
        List<Response> answers = atOnce(i -> as(t.adminA()).body(Api.productJson("race " + i)).post("/api/products"));

        // then exactly the 5 left are created, the rest refused with quota-exceeded, and 10 products are live
        assertRefusedPastTheQuota(answers, "products");
        assertThat(as(t.adminA()).get("/api/products?limit=100").then().statusCode(200).extract()
                .<List<String>>path("items.id")).hasSize(QUOTA);
        // and a restore counts: with one deleted and another created, the deleted one cannot come back
        as(t.adminA()).delete("/api/products/" + ids.get(0)).then().statusCode(204);
        as(t.adminA()).body(Api.productJson("replacement")).post("/api/products").then().statusCode(201);
        as(t.adminA()).post("/api/products/" + ids.get(0) + "/restore").then().statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("/quota-exceeded"));
        // and the other tenant, without a quota, is not held by A's
        for (int i = 0; i < QUOTA + 1; i++) {
            as(t.adminB()).body(Api.productJson("b " + i)).post("/api/products").then().statusCode(201);
        }
    }

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void parallelCustomerCreatesAtTheEdgeOfTheQuotaNeverOvershoot(IsolationMode mode) throws Exception {
        String slug = TwoTenants.provision(mode);
        quota(TestTenants.idOf(slug), "{\"maxCustomers\":" + QUOTA + "}");
        String admin = TestTokens.admin(slug);
        for (int i = 0; i < BEFORE; i++) {
            as(admin).body(customer("before" + i)).post("/api/customers").then().statusCode(201);
        }

        List<Response> answers = atOnce(i -> as(admin).body(customer("race" + i)).post("/api/customers"));

        assertRefusedPastTheQuota(answers, "customers");
        assertThat(as(admin).get("/api/customers?limit=100").then().statusCode(200).extract()
                .<List<String>>path("items.id")).hasSize(QUOTA);
    }

    private static void assertRefusedPastTheQuota(List<Response> answers, String quota) {
        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        assertThat(statuses).as("statuses").allMatch(s -> s == 201 || s == 409);
        assertThat(statuses.stream().filter(s -> s == 201).count()).as("created").isEqualTo(QUOTA - BEFORE);
        for (Response r : answers.stream().filter(r -> r.statusCode() == 409).toList()) {
            assertThat(r.contentType()).isEqualTo("application/problem+json");
            assertThat(r.jsonPath().getString("type")).isEqualTo("https://tessera.dev/problems/quota-exceeded");
            assertThat(r.jsonPath().getString("detail")).contains("at most " + QUOTA + " live " + quota)
                    .contains("(quota " + quota + ")");
        }
    }

    /** Sends {@code PARALLEL} requests released together; their answers in order. */
    private static List<Response> atOnce(IntFunction<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> sent = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            int n = i;
            sent.add(pool.submit(() -> {
                go.await();
                return request.apply(n);
            }));
        }
        go.countDown();
        List<Response> answers = new ArrayList<>();
        for (Future<Response> f : sent) {
            answers.add(f.get());
        }
        pool.shutdown();
        return answers;
    }

    private static void quota(UUID tenant, String body) {
        given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON).body(body)
                .put("/admin/tenants/" + tenant + "/limits").then().statusCode(200);
    }

    private static String customer(String name) {
        return "{\"displayName\":\"%s\",\"email\":\"%s@example.com\",\"address\":\"1 Main Street\"}"
                .formatted(name, name + "-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
