package dev.tessera.shared.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tessera.testing.NodeTools;
import dev.tessera.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client generated from the served document by a mainstream generator (OpenAPI Generator 7.25.0,
 * {@code typescript-fetch}), compiled with {@code tsc} and run with Node against the service
 * ({@code src/test/client-ts/e2e.ts}): a tenant, products, a customer and an order walked to delivered, its
 * events, and a 409 and a 412 read as typed problems. The generated code lives in {@code target/} only.
 */
@QuarkusTest
class GeneratedClientTest {

    @TestHTTPResource("/")
    java.net.URL base;

    @Test
    void aGeneratedTypeScriptClientWalksAnOrderToDeliveredAndReadsProblems() throws IOException {
        Path home = NodeTools.install("client-ts");
        Files.writeString(home.resolve("openapi.json"),
                given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString());
        run(home, Map.of(), "npx", "openapi-generator-cli", "generate", "-i", "openapi.json", "-g", "typescript-fetch",
                "-o", "generated", "--additional-properties=supportsES6=true");
        run(home, Map.of(), "npx", "tsc", "-p", "tsconfig.json");
        String slug = "client-" + UUID.randomUUID().toString().substring(0, 8);

        NodeTools.Result r = run(home, Map.of("TESSERA_BASE_URL", base.toString().replaceAll("/$", ""), "TESSERA_SLUG", slug,
                "TESSERA_PLATFORM_TOKEN", TestTokens.platformAdmin(), "TESSERA_MEMBER_TOKEN", TestTokens.member(slug)),
                "node", "dist/e2e.js");

        assertThat(r.stdout()).contains("client e2e ok", "order-not-placed", "precondition-failed");
    }

    private static NodeTools.Result run(Path home, Map<String, String> env, String... command) {
        NodeTools.Result r = NodeTools.run(home, env, 600, command);
        assertThat(r.exit()).as("%s failed:\n%s\n%s", String.join(" ", command), r.stdout(), r.stderr()).isZero();
        return r;
    }
}
