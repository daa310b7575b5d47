package dev.tessera.portability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.Db;
import dev.tessera.testing.TestTenants;
import dev.tessera.testing.TestTokens;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The export streams: with 20,000 products of 2 KB each (about 45 MB of NDJSON), the first lines reach
 * the client while the server's export transaction is still open on its cursor, i.e. before the server
 * has read all rows; the whole file then arrives complete and the transaction ends.
 */
@QuarkusTest
class LargeExportStreamingTest {

    static final int PRODUCTS = 20_000;

    // Rows go in as the superuser with triggers off (no audit rows): only the export is under test here.
    static final String BULK = """
            INSERT INTO tessera.products (tenant_id, public_id, sku, name, description, price, currency)
            SELECT ?, gen_random_uuid(), 'BULK-' || g, 'Bulk ' || g, repeat('x', 2000), 1.00, 'EUR'
              FROM generate_series(1, ?) g
            """;

    static final String EXPORTING = """
            SELECT count(*) FROM pg_stat_activity
             WHERE usename = 'tessera_app' AND xact_start IS NOT NULL AND query LIKE '%FROM products%ORDER BY id%'
            """;

    @Test
    void theFirstLinesArriveWhileTheServerStillReadsRowsAndTheFileIsComplete() throws Exception {
        UUID tenant = TestTenants.idOf(TwoTenants.provision(IsolationMode.SHARED));
        bulkInsert(tenant);

        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port() + "/admin/tenants/" + tenant + "/export"))
                .header("Authorization", "Bearer " + TestTokens.platformAdmin()).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            JsonObject header = new JsonObject(body.readLine());
            JsonObject first = new JsonObject(body.readLine());
            long openWhileReading = exportTransactionsAfter(java.time.Duration.ofSeconds(2), true);

            long products = 1;
            String line;
            String last = null;
            while ((line = body.readLine()) != null) {
                products += line.contains("\"kind\":\"product\"") ? 1 : 0;
                last = line;
            }

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header.getString("kind")).isEqualTo("header");
            assertThat(first.getString("kind")).isEqualTo("product");
            assertThat(openWhileReading).as("export transaction open after the first line").isEqualTo(1);
            assertThat(products).isEqualTo(PRODUCTS);
            assertThat(new JsonObject(last).getJsonObject("counts").getLong("product")).isEqualTo(PRODUCTS);
            assertThat(exportTransactionsAfter(java.time.Duration.ofSeconds(5), false)).isZero();
        }
    }

    private static void bulkInsert(UUID tenant) throws Exception {
        try (Connection db = Db.asSuperuser()) {
            db.setAutoCommit(false);
            db.createStatement().execute("SET LOCAL session_replication_role = replica");
            try (PreparedStatement p = db.prepareStatement(BULK)) {
                p.setObject(1, tenant);
                p.setInt(2, PRODUCTS);
                p.executeUpdate();
            }
            db.commit();
        }
    }

    /** Polls until the number of open export transactions is non-zero (or zero), up to {@code wait}. */
    private static long exportTransactionsAfter(java.time.Duration wait, boolean open) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        try (Connection db = Db.asSuperuser()) {
            while (true) {
                long n = Long.parseLong(Db.column(db, EXPORTING).get(0));
                if ((n > 0) == open || System.nanoTime() > deadline) {
                    return n;
                }
                Thread.sleep(50);
            }
        }
    }

    private static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }
}
