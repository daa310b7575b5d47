package dev.tessera.limits;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.tenancy.TenantConnectionShare;
import dev.tessera.tenancy.TenantDirectory;
import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Plans and rate limits through HTTP, against the real Redis: a tenant past its burst gets 429
 * rate-limited with Retry-After and the RateLimit fields while the other tenant is served; subjects and
 * writes have limits of their own; the free plan's limits hold and a plan change lifts them; overrides are
 * validated, audited and returned to the plan with {}.
 */
@QuarkusTest
class RateLimitTest {

    @Inject
    TenantConnectionShare share;

    @Inject
    TenantDirectory directory;

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void aTenantPastItsBurstIsRefusedWhileTheOtherTenantIsServed(IsolationMode mode) {
        // given A (this mode) limited to a burst of 5 at 1 request per second; B (the other mode) on its plan
        TwoTenants t = TwoTenants.create(mode, other(mode));
        putLimits(t.idA(), "{\"rate\":1,\"burst\":5}").then().statusCode(200);

        // when A reads six times at once
        List<Response> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(as(t.memberA()).get("/api/products"));
        }

        // then five are served, each with what remains, and the sixth is refused before any database work
        for (int i = 0; i < 5; i++) {
            assertThat(answers.get(i).statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(answers.get(i).header("RateLimit")).startsWith("\"tenant\";r=" + (4 - i) + ";t=");
            assertThat(answers.get(i).header("RateLimit-Policy")).startsWith("\"tenant\";q=5;w=5, \"subject\";q=");
        }
        Response refused = answers.get(5);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("https://tessera.dev/problems/rate-limited");
        assertThat(refused.jsonPath().getInt("status")).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.header("RateLimit")).startsWith("\"tenant\";r=0;t=1, \"subject\";r=");
        assertThat(refused.header("RateLimit-Policy")).startsWith("\"tenant\";q=5;w=5");

        // and B, limited independently, is served throughout
        for (int i = 0; i < 20; i++) {
            as(t.memberB()).get("/api/products").then().statusCode(200).header("RateLimit", org.hamcrest.Matchers.startsWith("\"tenant\";r="));
        }
    }

    @Test
    void eachTokenSubjectHasItsOwnRateWithinItsTenant() {
        // given a tenant whose subjects may each send 3 at once
        String slug = TestTenants.active();
        putLimits(TestTenants.idOf(slug), "{\"subjectRate\":0.5,\"subjectBurst\":3}").then().statusCode(200);
        String first = TestTokens.claims("first-user").claim("tenant_id", slug).groups(Set.of("tenant-member")).sign(TestTokens.devKey());
        String second = TestTokens.claims("second-user").claim("tenant_id", slug).groups(Set.of("tenant-member")).sign(TestTokens.devKey());

        // when the first sends four, then the second one
        List<Integer> firsts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            firsts.add(as(first).get("/api/tenant").statusCode());
        }
        Response other = as(second).get("/api/tenant");

        // then the first's fourth is refused by the subject policy, and the second is served
        assertThat(firsts).containsExactly(200, 200, 200, 429);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.header("RateLimit")).contains("\"subject\";r=2;");
    }

    @ParameterizedTest
    @EnumSource(IsolationMode.class)
    void writesHaveARateOfTheirOwnAndReadsGoOn(IsolationMode mode) {
        // given a tenant that may write twice at once, then once every ten seconds
        String slug = TwoTenants.provision(mode);
        putLimits(TestTenants.idOf(slug), "{\"writeRate\":0.1,\"writeBurst\":2}").then().statusCode(200);
        String admin = TestTokens.admin(slug);

        // when it creates three products
        as(admin).body(Api.productJson("one")).post("/api/products").then().statusCode(201)
                .header("RateLimit", org.hamcrest.Matchers.containsString("\"write\";r=1;"));
        as(admin).body(Api.productJson("two")).post("/api/products").then().statusCode(201);
        Response third = as(admin).body(Api.productJson("three")).post("/api/products");

        // then the third is refused by the write policy, nothing was written, and reads are still served
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.jsonPath().getString("type")).endsWith("/rate-limited");
        assertThat(third.header("RateLimit")).contains("\"write\";r=0;");
        assertThat(third.header("RateLimit-Policy")).contains("\"write\";q=2;w=20");
        assertThat(Integer.parseInt(third.header("Retry-After"))).isBetween(9, 10);
        as(admin).get("/api/products").then().statusCode(200).body("items.size()", org.hamcrest.Matchers.is(2));
    }

    @Test
    void aFreeTenantHasTheFreePlansLimitsUntilItsPlanChanges() throws Throwable {
        // given a tenant on the free plan (burst 20 at 5 per second, a quarter of the pool)
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 13);
        given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON)
                .body("{\"slug\":\"%s\",\"name\":\"Free\",\"plan\":\"free\"}".formatted(slug)).post("/admin/tenants")
                .then().statusCode(201);
        UUID id = TestTenants.idOf(slug);
        given().auth().oauth2(TestTokens.platformAdmin()).get("/admin/tenants/" + id + "/limits").then().statusCode(200)
                .body("plan", org.hamcrest.Matchers.is("free"))
                .body("effective.tenant.perSecond", org.hamcrest.Matchers.is(5.0f))
                .body("effective.tenant.burst", org.hamcrest.Matchers.is(20))
                .body("effective.write.burst", org.hamcrest.Matchers.is(10))
                .body("effective.connectionShare", org.hamcrest.Matchers.is(0.25f));
        assertThat(share.limitOf(tenant(slug)))
                .as("a quarter of the test pool of 16").isEqualTo(4);
        String member = TestTokens.member(slug);

        // when it sends 60 requests from eight clients at once (a busy machine must not refill it meanwhile)
        long start = System.nanoTime();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            sent.add(clients.submit(() -> as(member).get("/api/tenant").statusCode()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (java.util.concurrent.Future<Integer> f : sent) {
            statuses.add(f.get());
        }
        clients.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;

        // then about its burst is admitted (plus what its rate refilled meanwhile), the rest refused
        assertThat(statuses).allMatch(s -> s == 200 || s == 429);
        long admitted = statuses.stream().filter(s -> s == 200).count();
        assertThat(admitted).as("admitted in %.2f s", seconds).isBetween(20L, 20L + (long) Math.ceil(5 * seconds) + 1);
        assertThat(statuses).contains(429);

        // and when the platform admin moves it to enterprise, it is served again at once on this instance
        given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON).body("{\"plan\":\"enterprise\"}")
                .patch("/admin/tenants/" + id).then().statusCode(200);
        as(member).get("/api/tenant").then().statusCode(200)
                .header("RateLimit-Policy", org.hamcrest.Matchers.startsWith("\"tenant\";q=100000;"));
        assertThat(share.limitOf(tenant(slug))).isEqualTo(8);
    }

    @Test
    void overridesAreValidatedAuditedAndReturnToThePlanWithAnEmptyObject() throws Throwable {
        String slug = TestTenants.active();
        UUID id = TestTenants.idOf(slug);

        // bad input: 400 problem+json naming the field, nothing recorded
        putLimits(id, "{\"rate\":0}").then().statusCode(400).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/validation")).body("errors[0].field", org.hamcrest.Matchers.is("rate"));
        putLimits(id, "{\"connectionShare\":1.5}").then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.is("connectionShare"));
        putLimits(id, "{\"burst\":-1}").then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.is("burst"));
        putLimits(id, "{\"requests\":5}").then().statusCode(400).body("type", org.hamcrest.Matchers.endsWith("/unknown-field"));
        putLimits(id, "[]").then().statusCode(400);
        putLimits(UUID.randomUUID(), "{\"rate\":5}").then().statusCode(404).body("type", org.hamcrest.Matchers.endsWith("/not-found"));
        given().auth().oauth2(TestTokens.admin(slug)).contentType(ContentType.JSON).body("{\"rate\":5}")
                .put("/admin/tenants/" + id + "/limits").then().statusCode(403);

        // an override: in force, shown beside the plan, recorded with before and after
        putLimits(id, "{\"rate\":7.5,\"burst\":15,\"connectionShare\":0.125}").then().statusCode(200)
                .body("plan", org.hamcrest.Matchers.is("standard"))
                .body("overrides.rate", org.hamcrest.Matchers.is(7.5f))
                .body("overrides.writeRate", org.hamcrest.Matchers.nullValue())
                .body("effective.tenant.perSecond", org.hamcrest.Matchers.is(7.5f))
                .body("effective.tenant.burst", org.hamcrest.Matchers.is(15))
                .body("effective.connectionShare", org.hamcrest.Matchers.is(0.125f));
        assertThat(share.limitOf(tenant(slug))).isEqualTo(2);
        putLimits(id, "{\"rate\":7.5,\"burst\":15,\"connectionShare\":0.125}").then().statusCode(200);
        // {} returns the tenant to its plan
        putLimits(id, "{}").then().statusCode(200).body("overrides", org.hamcrest.Matchers.anEmptyMap())
                .body("effective.tenant.burst", org.hamcrest.Matchers.is(100000));

        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT actor || ' ' || (details -> 'from')::text || ' -> ' || (details -> 'to')::text "
                    + "FROM tessera.platform_audit WHERE tenant_id = ? AND action = 'tenant.limits' ORDER BY id", id))
                    .as("two changes recorded (the same overrides again changed nothing)")
                    .containsExactly("platform-ops {} -> {\"rate\": 7.5, \"burst\": 15, \"connectionShare\": 0.125}",
                            "platform-ops {\"rate\": 7.5, \"burst\": 15, \"connectionShare\": 0.125} -> {}");
            assertThat(Db.column(su, "SELECT limits::text FROM tessera.tenants WHERE id = ?", id)).containsExactly("{}");
        }
    }

    @Test
    void aChangeMadeThroughAnotherInstanceAppliesHereWithinTheTenantCacheTtl() throws Exception {
        // given a tenant held to a burst of 2 at one request every 100 s, known to this instance's tenant cache
        String slug = TestTenants.active();
        UUID id = TestTenants.idOf(slug);
        putLimits(id, "{\"rate\":0.01,\"burst\":2}").then().statusCode(200);
        String member = TestTokens.member(slug);
        as(member).get("/api/tenant").then().statusCode(200);
        as(member).get("/api/tenant").then().statusCode(200);
        as(member).get("/api/tenant").then().statusCode(429);

        // when another instance returns it to its plan (what its PUT does: the owner function, as tessera_app;
        // this instance's cache is not told)
        try (Connection app = Db.asApp()) {
            assertThat(Db.column(app, "SELECT tessera.tenant_set_limits(?::uuid, '{}'::jsonb, 'platform-ops')", id.toString()))
                    .containsExactly("t");
        }
        long changed = System.nanoTime();

        // then this instance applies it once its cache entry expires (5 s), without a restart
        int status = 429;
        while (status == 429 && System.nanoTime() - changed < java.util.concurrent.TimeUnit.SECONDS.toNanos(15)) {
            Thread.sleep(250);
            status = as(member).get("/api/tenant").statusCode();
        }
        assertThat(status).isEqualTo(200);
        assertThat((System.nanoTime() - changed) / 1e9).as("seconds until applied here").isLessThan(7.5);
    }

    @Test
    void theRuntimeRoleCannotWriteOverridesExceptThroughTheOwnerFunction() throws Exception {
        String slug = TestTenants.active();
        try (Connection app = Db.asApp()) {
            java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> app.createStatement().executeUpdate("UPDATE tessera.tenants SET limits = '{\"rate\": 1e9}' WHERE slug = '" + slug + "'"));
            assertThat(e.getSQLState()).isEqualTo("42501");
        }
    }

    /** The tenant as the request path sees it (through the tenant cache), read on a Vert.x context as Panache needs. */
    private dev.tessera.tenancy.Tenant tenant(String slug) throws Throwable {
        return io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> directory.byClaim(slug)).orElseThrow();
    }

    private static Response putLimits(UUID tenant, String body) {
        return given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON).body(body)
                .put("/admin/tenants/" + tenant + "/limits");
    }

    private static IsolationMode other(IsolationMode mode) {
        return mode == IsolationMode.SHARED ? IsolationMode.SCHEMA : IsolationMode.SHARED;
    }
}
