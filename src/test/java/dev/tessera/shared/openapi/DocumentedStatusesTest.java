package dev.tessera.shared.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tessera.testing.StatusRecorder;

/**
 * Every status the service actually gave in this test run is documented for its operation in the OpenAPI
 * document. {@code testing/StatusRecorder} records each answer while the {@code @QuarkusTest}s run; this
 * plain test runs after all of them (Quarkus orders plain tests last in a Surefire run), so it checks what
 * the whole run provoked: the whole suite in CI, or the classes named with {@code -Dtest}
 * ({@code docs/testing.md}). Answers to paths or methods the document does not have (405, {@code /q/*})
 * are not an operation's and are left out.
 */
class DocumentedStatusesTest {

    private static final Path DOCUMENT = Path.of(System.getProperty("user.dir")).toAbsolutePath()
            .resolve("target/openapi/openapi.json");

    /** One recorded answer. */
    record Answer(String method, String path, int status) {
    }

    @Test
    void everyStatusGivenInThisRunIsDocumentedForItsOperation() throws IOException {
        List<Answer> answers = recordedInThisJvm();
        JsonNode api = new ObjectMapper().readTree(DOCUMENT.toFile());

        Map<String, Set<String>> undocumented = undocumented(api, answers);

        long checked = answers.stream().filter(a -> operation(api, a).isPresent()).count();
        assertThat(checked).as("answers of documented operations recorded in this run").isPositive();
        assertThat(undocumented).as("statuses given but not documented, per operation (%s)", StatusRecorder.FILE).isEmpty();
    }

    @Test
    void theCheckFindsAnUndocumentedStatusAndLeavesOutWhatIsNoOperation() throws IOException {
        JsonNode api = new ObjectMapper().readTree("""
                {"paths": {
                  "/api/products/{id}": {"get": {"responses": {"200": {}, "404": {}}}},
                  "/api/products/{id}/restore": {"post": {"responses": {"200": {}}}},
                  "/admin/db/health": {"get": {"responses": {"200": {}}}},
                  "/admin/{what}/health": {"get": {"responses": {"200": {}, "400": {}}}}}}
                """);
        List<Answer> answers = List.of(new Answer("GET", "/api/products/{uuid}", 200),
                new Answer("GET", "/api/products/{uuid}", 404), new Answer("GET", "/api/products/x%00", 400),
                new Answer("POST", "/api/products/{uuid}/restore", 409), new Answer("PUT", "/api/products/{uuid}", 405),
                new Answer("GET", "/q/health", 200), new Answer("GET", "/admin/db/health", 400));

        Map<String, Set<String>> undocumented = undocumented(api, answers);

        assertThat(undocumented).containsOnlyKeys("GET /api/products/{id}", "POST /api/products/{id}/restore",
                "GET /admin/db/health");
        assertThat(undocumented.get("GET /api/products/{id}")).containsExactly("400");
    }

    /** Operation ("GET /api/products/{id}") to the statuses it gave that its responses do not list. */
    static Map<String, Set<String>> undocumented(JsonNode api, List<Answer> answers) {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (Answer a : answers) {
            operation(api, a).ifPresent(template -> {
                JsonNode responses = api.path("paths").path(template).path(a.method().toLowerCase()).path("responses");
                if (!responses.has(String.valueOf(a.status())) && !responses.has("default")) {
                    missing.computeIfAbsent(a.method() + " " + template, k -> new TreeSet<>()).add(String.valueOf(a.status()));
                }
            });
        }
        return missing;
    }

    /** The path template of the documented operation the answer belongs to; literal segments win over parameters. */
    static Optional<String> operation(JsonNode api, Answer a) {
        List<String> templates = new ArrayList<>();
        api.path("paths").fieldNames().forEachRemaining(templates::add);
        return templates.stream()
                .filter(t -> api.path("paths").path(t).has(a.method().toLowerCase()))
                .filter(t -> Pattern.matches(regex(t), a.path()))
                .max(Comparator.comparingLong(t -> java.util.Arrays.stream(t.split("/")).filter(s -> !s.startsWith("{")).count()));
    }

    private static String regex(String template) {
        StringBuilder b = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            b.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return b.toString();
    }

    private static List<Answer> recordedInThisJvm() throws IOException {
        assertThat(StatusRecorder.FILE).as("statuses recorded by testing/StatusRecorder: run this test together with "
                + "@QuarkusTest classes (docs/testing.md)").exists();
        List<String> lines = Files.readAllLines(StatusRecorder.FILE);
        assertThat(lines).as("%s was written by this test JVM", StatusRecorder.FILE).isNotEmpty()
                .first().isEqualTo("# pid " + ProcessHandle.current().pid());
        return lines.stream().skip(1).map(l -> l.split("\t"))
                .map(f -> new Answer(f[0], f[1], Integer.parseInt(f[2]))).toList();
    }
}
