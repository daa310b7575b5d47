package dev.tessera.shared.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tessera.testing.Redocly;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The document the running service serves passes Redocly CLI's recommended ruleset with no error and no
 * warning (turned-off rules, each with its reason, in {@code redocly.yaml}): what a user's tooling sees.
 */
@QuarkusTest
class OpenApiLintTest {

    @Test
    void theServedDocumentHasNoLintErrorOrWarning() throws IOException {
        Path document = served("openapi.json");

        List<Redocly.Problem> problems = Redocly.lint(document);

        assertThat(problems).as("Redocly lint of /q/openapi (%s)", document).isEmpty();
    }

    @Test
    void theLintFindsAMissingServerAndAMissingOperationId() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode api = (ObjectNode) json.readTree(served("broken.json").toFile());
        api.remove("servers");
        ((ObjectNode) api.path("paths").path("/api/products").path("post")).remove("operationId");
        Path broken = Redocly.home().resolve("broken.json");
        json.writeValue(broken.toFile(), api);

        List<Redocly.Problem> problems = Redocly.lint(broken);

        assertThat(problems).extracting(Redocly.Problem::ruleId).contains("no-empty-servers", "operation-operationId");
    }

    private static Path served(String name) throws IOException {
        String body = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        Path file = Redocly.home().resolve(name);
        Files.writeString(file, body);
        return file;
    }
}
