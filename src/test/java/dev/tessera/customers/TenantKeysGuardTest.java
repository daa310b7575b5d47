package dev.tessera.customers;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tessera.customers.crypto.TenantKeys;
import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A live tenant whose keys are gone (a data restore without the keystore) is refused loudly, with 500
 * tenant-keys-missing and an ERROR log, and never gets a new first key; a brand-new tenant still gets
 * one; the other tenant is served. With the tenant in each isolation mode.
 */
@QuarkusTest
class TenantKeysGuardTest {

    private static final String TYPE = "https://tessera.dev/problems/tenant-keys-missing";

    @Inject
    TenantKeys keys;

    @Test
    void aSharedTenantThatLostItsKeysIsRefusedAndGetsNoNewKey() throws Exception {
        loseKeys(IsolationMode.SHARED, IsolationMode.SCHEMA);
    }

    @Test
    void aSchemaTenantThatLostItsKeysIsRefusedAndGetsNoNewKey() throws Exception {
        loseKeys(IsolationMode.SCHEMA, IsolationMode.SHARED);
    }

    private void loseKeys(IsolationMode modeA, IsolationMode modeB) throws Exception {
        // given two tenants with customers, and A's keystore rows gone (as after ops/restore without --keys)
        TwoTenants t = TwoTenants.create(modeA, modeB);
        String a = CustomerResourceContract.create(t.adminA(), "A", "a." + UUID.randomUUID() + "@example.com", null, null);
        String b = CustomerResourceContract.create(t.adminB(), "B", "b." + UUID.randomUUID() + "@example.com", null, null);
        try (Connection su = Db.asSuperuser()) {
            Db.column(su, "DELETE FROM tessera_keys.tenant_keys WHERE tenant_id = ?", t.idA());
        }
        keys.evict(t.idA());
        List<LogRecord> errors = captureErrors();

        // when A's customers are read, written or exported, and its keys rotated
        for (var response : List.of(as(t.adminA()).get("/api/customers/" + a), as(t.adminA()).get("/api/customers"),
                as(t.adminA()).body(CustomerResourceContract.body("N", "n." + UUID.randomUUID() + "@example.com", null, null))
                        .post("/api/customers"),
                as(t.adminA()).body("{\"displayName\":\"X\"}").patch("/api/customers/" + a),
                as(TestTokens.platformAdmin()).post("/admin/tenants/" + t.idA() + "/keys/rotate"))) {
            // then each is a 500 problem that says what is wrong, and nothing secret
            response.then().statusCode(500).contentType("application/problem+json").body("type", equalTo(TYPE))
                    .body("detail", containsString("keys are missing")).body("detail", not(containsString("SELECT")));
        }

        // and an export stops before A's customers: the file lacks its end line, so no import takes it
        String export = as(TestTokens.platformAdmin()).get("/admin/tenants/" + t.idA() + "/export").then().extract()
                .asString();
        assertThat(export).doesNotContain("\"kind\":\"customer\"").doesNotContain("\"kind\":\"end\"");

        // and A still has no key at all, the operator was told, and B is served
        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT count(*) FROM tessera_keys.tenant_keys WHERE tenant_id = ?", t.idA()))
                    .containsExactly("0");
        }
        assertThat(errors).anySatisfy(r -> assertThat(r.getMessage()).contains("ops/restore --keys"));
        as(t.adminB()).get("/api/customers/" + b).then().statusCode(200);
        as(t.adminB()).get("/api/customers").then().statusCode(200).body("items.size()", equalTo(1));
        io.restassured.RestAssured.given().get("/q/metrics").then()
                .body(containsString("tessera_crypto_keys_missing_total"));
    }

    @Test
    void aBrandNewTenantGetsItsFirstKeyOnFirstUse() throws Exception {
        TwoTenants t = TwoTenants.create(IsolationMode.SCHEMA, IsolationMode.SHARED);

        as(t.adminA()).get("/api/customers").then().statusCode(200);
        CustomerResourceContract.create(t.adminB(), "B", "b." + UUID.randomUUID() + "@example.com", null, null);

        try (Connection su = Db.asSuperuser()) {
            assertThat(Db.column(su, "SELECT tenant_id || ':' || version FROM tessera_keys.tenant_keys "
                    + "WHERE tenant_id IN (?, ?) ORDER BY tenant_id = ?", t.idA(), t.idB(), t.idB()))
                    .containsExactly(t.idA() + ":1", t.idB() + ":1");
        }
    }

    /** ERROR records of TenantKeys from now on (Quarkus's log manager backs java.util.logging). */
    private static List<LogRecord> captureErrors() {
        List<LogRecord> out = new CopyOnWriteArrayList<>();
        Logger.getLogger(TenantKeys.class.getName()).addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    out.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return out;
    }
}
