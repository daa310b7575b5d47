package dev.tessera.audit;

import static dev.tessera.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Api;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;

/** The audit trail, tried as tenant A and as tenant B; run once per isolation mode. */
abstract class AuditTrailContract {

    private static final String PROBLEM = "https://tessera.dev/problems/";

    abstract IsolationMode isolation();

    TwoTenants t;

    @BeforeEach
    void twoTenants() {
        t = TwoTenants.create(isolation(), isolation());
    }

    @Test
    void everyProductChangeIsRecordedOnceWithTheActorFromTheToken() {
        String id = as(t.memberA()).body(Api.productJson("Audited")).post("/api/products").then().statusCode(201)
                .extract().path("id");
        as(t.memberA()).body("{\"name\":\"Renamed\"}").patch("/api/products/" + id).then().statusCode(200);
        as(t.memberA()).delete("/api/products/" + id).then().statusCode(204);
        as(t.adminA()).post("/api/products/" + id + "/restore").then().statusCode(200);

        as(t.adminA()).get("/api/audit?recordId=" + id).then().statusCode(200)
                .body("items.action", contains("INSERT", "UPDATE", "SOFT_DELETE", "RESTORE"))
                .body("items.actor", contains(t.slugA() + "-user", t.slugA() + "-user", t.slugA() + "-user",
                        t.slugA() + "-user"))
                .body("items.table", everyItem(equalTo("products")))
                .body("items[1].changedColumns", hasItem("name"))
                .body("items[1].oldData.name", equalTo("Audited")).body("items[1].newData.name", equalTo("Renamed"))
                .body("items[0].oldData", nullValue()).body("items[0].hash", notNullValue());
    }

    @Test
    void anActorWithQuotesBackslashesAndAnyUnicodeIsRecordedExactly() {
        // The actor comes from the token's subject, which the tenant's users choose: it must reach the
        // tenant context and the audit row unchanged, whatever characters it holds.
        String actor = "o'brien\\'); SELECT pg_sleep(5); -- \"é\" 🦊 $$ \\x00";
        String token = TestTokens.claims(actor).claim("tenant_id", t.slugA()).groups(Set.of("tenant-member"))
                .sign(TestTokens.devKey());
        String id = as(token).body(Api.productJson("Quoted")).post("/api/products").then().statusCode(201)
                .extract().path("id");

        as(t.adminA()).get("/api/audit?recordId=" + id).then().statusCode(200)
                .body("items.actor", contains(actor));
    }

    @Test
    void everyCustomerChangeIsRecordedOnceWithoutPii() {
        String email = "audit." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String id = as(t.adminA()).body("{\"displayName\":\"Ada Audit\",\"email\":\"" + email + "\",\"taxId\":\"T-1\"}")
                .post("/api/customers").then().statusCode(201).extract().path("id");
        as(t.adminA()).body("{\"marketingConsent\":true}").patch("/api/customers/" + id).then().statusCode(200);
        as(t.adminA()).delete("/api/customers/" + id).then().statusCode(204);
        as(t.adminA()).post("/api/customers/" + id + "/restore").then().statusCode(200);
        as(t.adminA()).post("/api/customers/" + id + "/erase").then().statusCode(204);

        String body = as(t.adminA()).get("/api/audit?recordId=" + id).then().statusCode(200)
                .body("items.action", contains("INSERT", "UPDATE", "SOFT_DELETE", "RESTORE", "ERASE"))
                .body("items.table", everyItem(equalTo("customers")))
                .body("items[1].changedColumns", hasItem("marketing_consent"))
                .extract().asString();
        // Column names may appear in changedColumns; values of PII never do.
        assertThat(body).doesNotContain(email, "Ada Audit", "\"T-1\"", "\"email_enc\":", "\"pii_enc\":", "\"email_hmac\":");
    }

    @Test
    void anotherTenantNeverSeesTheseEntries() {
        String id = as(t.memberA()).body(Api.productJson("Private")).post("/api/products").then().statusCode(201)
                .extract().path("id");

        as(t.adminB()).get("/api/audit?recordId=" + id).then().statusCode(200).body("items", empty());
        List<String> seenByB = as(t.adminB()).get("/api/audit?limit=100").then().extract().path("items.recordId");
        assertThat(seenByB).doesNotContain(id);
    }

    @Test
    void membersMayNotReadTheAuditTrail() {
        as(t.memberA()).get("/api/audit").then().statusCode(403).body("type", equalTo(PROBLEM + "forbidden"));
        as(t.memberA()).get("/api/audit/verify").then().statusCode(403);
    }

    @Test
    void theServiceRoleCannotWriteOrAlterTheAuditLog() throws Exception {
        as(t.memberA()).body(Api.productJson("x")).post("/api/products").then().statusCode(201);
        String log = schemaOf(t.idA()) + ".audit_log";
        String seal = schemaOf(t.idA()) + ".audit_seal";

        try (Connection app = Db.asApp()) {
            app.setAutoCommit(false);
            Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", t.idA().toString());
            String table = schemaOf(t.idA()) + ".products";
            for (String sql : List.of("ALTER TABLE " + table + " DISABLE TRIGGER audit",
                    "SET session_replication_role = replica", "DROP TRIGGER audit ON " + table,
                    "UPDATE " + log + " SET actor = 'mallory'", "DELETE FROM " + log,
                    "TRUNCATE " + log, "INSERT INTO " + log + " (table_name, action, actor, txid, at, hash) "
                            + "VALUES ('products', 'INSERT', 'mallory', 1, now(), '\\x00')",
                    "UPDATE " + seal + " SET row_count = 0", "DELETE FROM " + seal, "UPDATE " + seal + "_state SET hash = NULL",
                    "DELETE FROM " + seal + "_state", "INSERT INTO " + seal + "_state (batch_no, to_txid, to_id, horizon, sealed_at) "
                            + "VALUES (99, 1, 1, 1, now())")) {
                assertThatThrownBy(() -> Db.column(app, sql)).as(sql)
                        .hasMessageMatching("(?s).*(permission denied|must be owner).*");
                app.rollback();
                Db.column(app, "SELECT set_config('app.tenant_id', ?, true)", t.idA().toString());
            }
        }
    }

    @Test
    void filtersAndPagination() {
        String first = as(t.memberA()).body(Api.productJson("one")).post("/api/products").then().extract().path("id");
        String secondUser = dev.tessera.testing.TestTokens.claims("second-user").claim("tenant_id", t.slugA())
                .groups(java.util.Set.of("tenant-member")).sign(dev.tessera.testing.TestTokens.devKey());
        as(secondUser).body(Api.productJson("two")).post("/api/products").then().statusCode(201);

        as(t.adminA()).get("/api/audit?actor=" + t.slugA() + "-user").then().body("items.recordId", contains(first));
        as(t.adminA()).get("/api/audit?table=products&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z").then()
                .body("items.size()", equalTo(2));
        as(t.adminA()).get("/api/audit?to=2000-01-01T00:00:00Z").then().body("items", empty());
        var page = as(t.adminA()).get("/api/audit?limit=1").then().body("items.size()", equalTo(1))
                .body("next", notNullValue()).extract();
        as(t.adminA()).queryParam("cursor", (String) page.path("next")).get("/api/audit?limit=1").then()
                .body("items.size()", equalTo(1)).body("next", nullValue());
        as(t.adminA()).get("/api/audit?from=yesterday").then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-parameter"));
        as(t.adminA()).get("/api/audit?cursor=xyz").then().statusCode(400);
    }

    @Test
    void everyPiiColumnOfAnAuditedTableIsNamedByItsAuditTrigger() throws Exception {
        // The trigger keeps out of the log exactly the columns its arguments name (tenant V013): a
        // column that holds PII, clear or encrypted or derived from it, must be among them.
        String piiColumns = """
                SELECT c.relname || '.' || a.attname
                  FROM pg_trigger tg
                  JOIN pg_class c ON c.oid = tg.tgrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE n.nspname = ? AND tg.tgname = 'audit'
                   AND (a.attname ~ '_(enc|hmac)$' OR a.attname = 'display_name')
                """;
        String unnamed = " AND a.attname <> ALL (string_to_array(encode(tg.tgargs, 'escape'), '\\000'))";
        try (Connection owner = Db.asOwner()) {
            String schema = schemaOf(t.idA());
            assertThat(Db.column(owner, piiColumns, schema)).as("PII columns of audited tables in %s", schema)
                    .contains("customers.display_name", "customers.pii_enc", "customers.email_hmac");
            assertThat(Db.column(owner, piiColumns + unnamed, schema)).as("PII columns the audit trigger does not name")
                    .isEmpty();
        }
    }

    @Test
    void theAuditHashIsInlinedIntoTheStatementThatCallsIt() throws Exception {
        // A SET clause (or any other obstacle to inlining) makes every audited write plan the hash's
        // query again: about 40 microseconds of CPU each, more than the product insert itself.
        try (Connection owner = Db.asOwner()) {
            String plan = String.join("\n", Db.column(owner, """
                    EXPLAIN (VERBOSE, COSTS OFF)
                    SELECT tessera.audit_hash(NULL, 'products', NULL, 'INSERT', NULL, '{}', 'a', 1, now())
                    """));
            assertThat(plan).contains("sha256").doesNotContain("audit_hash");
        }
    }

    static String schemaOf(UUID tenant) throws Exception {
        try (Connection owner = Db.asOwner()) {
            String s = Db.column(owner, "SELECT coalesce(schema_name, 'tessera') FROM tessera.tenants WHERE id = ?", tenant)
                    .get(0);
            return s;
        }
    }
}
