package dev.tessera.portability;

import static io.restassured.RestAssured.given;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import dev.tessera.testing.TestTokens;
import io.restassured.response.Response;

/** Export and import calls as the platform administrator. */
final class Exports {

    private Exports() {
    }

    /** The tenant's export, one string per line. */
    static List<String> of(UUID tenant) {
        String body = given().auth().oauth2(TestTokens.platformAdmin()).get("/admin/tenants/" + tenant + "/export").then()
                .statusCode(200).contentType("application/x-ndjson").extract().asString();
        return Arrays.stream(body.split("\n")).filter(l -> !l.isBlank()).toList();
    }

    static Response importInto(UUID tenant, List<String> lines) {
        return given().auth().oauth2(TestTokens.platformAdmin()).contentType("application/x-ndjson")
                .body((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/admin/tenants/" + tenant + "/import");
    }
}
