package dev.tessera.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.tessera.tenancy.IsolationMode;
import dev.tessera.testing.TwoTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * docs/operations.md, followed as written: {@code TESSERA_DB_SSL_MODE=disable} (a private network, or a
 * local pooler that does TLS itself) starts the service with no CA file at {@code TESSERA_DB_CA_FILE}.
 * The profile applies the production profile's own datasource lines from application.properties, with
 * those two variables set, on the test database (which speaks clear text only).
 */
@QuarkusTest
@TestProfile(DatabaseTlsDisabledTest.ProductionTlsLinesWithTlsDisabled.class)
class DatabaseTlsDisabledTest {

    static final String MISSING_CA = "/nonexistent/tessera-db-ca/ca.crt";

    /** Every {@code %prod.quarkus.datasource.*} line, as production resolves it with these variables. */
    public static class ProductionTlsLinesWithTlsDisabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return productionDatasourceLines(Map.of("TESSERA_DB_SSL_MODE", "disable", "TESSERA_DB_CA_FILE", MISSING_CA));
        }
    }

    @Test
    void startsAndServesWithTlsDisabledAndNoCaFile() {
        assertThat(Files.exists(Path.of(MISSING_CA))).isFalse();
        assertThat(new ProductionTlsLinesWithTlsDisabled().getConfigOverrides())
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "disable")
                .containsEntry("quarkus.datasource.reactive.trust-certificate-pem.certs", MISSING_CA);

        String slug = TwoTenants.provision(IsolationMode.SCHEMA);

        given().get("/q/health/ready").then().statusCode(200);
        given().auth().oauth2(dev.tessera.testing.TestTokens.member(slug)).get("/api/products").then().statusCode(200);
    }

    static Map<String, String> productionDatasourceLines(Map<String, String> env) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> lines = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("%prod.quarkus.datasource.")) {
                lines.put(key.substring("%prod.".length()), resolve(p.getProperty(key), env));
            }
        }
        assertThat(lines).as("production TLS lines").containsKey("quarkus.datasource.reactive.trust-certificate-pem.certs");
        return lines;
    }

    /** {@code ${VAR:default}} as the environment {@code env} resolves it. */
    private static String resolve(String value, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\{([A-Z_]+):([^}]*)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group(2))));
        }
        return m.appendTail(out).toString();
    }
}
