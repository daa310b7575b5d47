package dev.tessera.ops.diagnostics;

import static dev.tessera.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.sql.Connection;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A transaction left open on another connection shows in /admin/db/health and turns the readiness warning on. */
@QuarkusTest
@TestProfile(LongTransactionTest.ShortThreshold.class)
class LongTransactionTest {

    /** Two seconds instead of a minute, so that the test waits only a little longer than that. */
    public static class ShortThreshold implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tessera.diagnostics.long-transaction-threshold", "2s");
        }
    }

    @Test
    void aLongOpenTransactionIsReportedAndWarnsInReadiness() throws Exception {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'database-load' }.data.warning", equalTo(false));
        try (Connection c = Db.asOwner()) {
            c.setAutoCommit(false);
            int pid = Integer.parseInt(Db.column(c, "SELECT pg_backend_pid()").get(0));
            Db.column(c, "SELECT txid_current()");
            Thread.sleep(3_000);

            var health = as(TestTokens.platformAdmin()).get("/admin/db/health");
            var ready = given().get("/q/health/ready");
            c.rollback();

            health.then().statusCode(200)
                    .body("longestTransaction.pid", equalTo(pid))
                    .body("longestTransaction.user", equalTo("tessera_owner"))
                    .body("longestTransaction.state", equalTo("idle in transaction"))
                    .body("longestTransaction.seconds", greaterThanOrEqualTo(3.0f));
            ready.then().statusCode(200).body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'database-load' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'database-load' }.data.warning", equalTo(true))
                    .body("checks.find { it.name == 'database-load' }.data.reason",
                            containsString("a transaction has been open for"));
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'database-load' }.data.warning", equalTo(false));
    }
}
