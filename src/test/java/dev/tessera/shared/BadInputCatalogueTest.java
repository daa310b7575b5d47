package dev.tessera.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tessera.shared.BadInputFixture.Side;
import dev.tessera.testing.DataSnapshot;
import dev.tessera.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The bad-input catalogue: every endpoint fed malformed, truncated, mistyped, oversized, absurd, foreign
 * or hostile input, and every bad token kind. Each must get its documented 4xx and problem type as
 * problem+json, never a 5xx, with nothing internal in the body and no row changed anywhere (counts and
 * checksums of every table, per tenant, before and after each case). Tenant-data cases run as a SHARED
 * and as a SCHEMA tenant.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCatalogueTest {

    private static final String PROBLEM = "https://tessera.dev/problems/";
    /** What would betray internals: class names, SQL errors, stack frames, schema names. */
    private static final List<String> INTERNALS = List.of("Exception", "dev.tessera.", "java.", "io.vertx", "org.hibernate",
            "org.postgresql", "com.fasterxml", "SQLSTATE", "\tat ", "ERROR:", "pg_", "tessera.products", "violates");

    private BadInputFixture fixture;
    private Connection superuser;
    private DataSnapshot snapshot;

    /** Made on first use: REST Assured knows the test port only once a test runs, not in {@code @BeforeAll}. */
    private void fixture() throws Exception {
        if (fixture == null) {
            fixture = BadInputFixture.create();
            superuser = Db.asSuperuser();
            snapshot = new DataSnapshot(superuser, fixture.dedicatedSchemas());
        }
    }

    @AfterAll
    void close() throws Exception {
        if (superuser != null) {
            superuser.close();
        }
    }

    static Stream<Arguments> catalogue() {
        return Stream.concat(TenantDataBadInputs.all(), PlatformBadInputs.all()).flatMap(c -> c.perTenant()
                ? Stream.of(Arguments.of(Named.of(c.name() + " [SHARED]", c), "SHARED"),
                        Arguments.of(Named.of(c.name() + " [SCHEMA]", c), "SCHEMA"))
                : Stream.of(Arguments.of(Named.of(c.name(), c), "SHARED")));
    }

    @Test
    void theCatalogueHasAtLeastSixtyCases() {
        long distinct = Stream.concat(TenantDataBadInputs.all(), PlatformBadInputs.all()).count();

        long run = catalogue().count();

        assertThat(distinct).isGreaterThanOrEqualTo(60);
        assertThat(run).isGreaterThan(distinct);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badInputGetsItsProblemAndChangesNothing(BadInputCase c, String mode) throws Exception {
        fixture();
        Side me = "SHARED".equals(mode) ? fixture.shared() : fixture.schema();
        Map<String, String> before = snapshot.take();

        Response r = c.call().send(fixture, me, fixture.other(me));

        String body = r.asString();
        assertThat(r.statusCode()).as("status of %s; body %s", c.name(), body).isEqualTo(c.status());
        assertThat(r.contentType()).as("content type").startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("type")).as("problem type").isEqualTo(PROBLEM + c.type());
        assertThat(r.jsonPath().getInt("status")).as("status in the body").isEqualTo(c.status());
        assertThat(r.jsonPath().getString("traceId")).as("traceId").isNotBlank();
        assertThat(body).as("no internals in the body").doesNotContain(INTERNALS.toArray(new String[0]));
        if (c.status() == 503) {
            assertThat(r.header("Retry-After")).isNotBlank();
        }
        assertThat(snapshot.take()).as("no data changed by %s", c.name()).isEqualTo(before);
    }
}
