package dev.tessera.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Redocly CLI at the version pinned in {@code src/test/redocly/package-lock.json} ({@link NodeTools}),
 * linting with the project's {@code redocly.yaml}.
 */
public final class Redocly {

    /** One finding: its rule, severity, message and where in the document. */
    public record Problem(String ruleId, String severity, String message, String pointer) {
        @Override
        public String toString() {
            return severity + " " + ruleId + " at " + pointer + ": " + message;
        }
    }

    private Redocly() {
    }

    /** Where the tool is installed; linted documents may be written here. */
    public static Path home() {
        return NodeTools.install("redocly");
    }

    /** Lints the file with {@code redocly.yaml}: every error and warning found. */
    public static List<Problem> lint(Path document) {
        Path home = home();
        NodeTools.Result r = NodeTools.run(home, Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
                120, "node", home.resolve("node_modules/@redocly/cli/bin/cli.js").toString(), "lint", "--config",
                NodeTools.root().resolve("redocly.yaml").toString(), "--format", "json", document.toString());
        String out = r.stdout();
        int start = out.indexOf('{');
        assertThat(start).as("Redocly printed no JSON report (exit %d): %s %s", r.exit(), out, r.stderr()).isNotNegative();
        try {
            JsonNode report = new ObjectMapper().readTree(out.substring(start));
            List<Problem> problems = new ArrayList<>();
            for (JsonNode p : report.path("problems")) {
                problems.add(new Problem(p.path("ruleId").asText(), p.path("severity").asText(), p.path("message").asText(),
                        p.path("location").path(0).path("pointer").asText()));
            }
            assertThat(problems.size()).as("problems listed, against the report's totals")
                    .isEqualTo(report.path("totals").path("errors").asInt() + report.path("totals").path("warnings").asInt());
            return problems;
        } catch (IOException e) {
            throw new IllegalStateException("Redocly's report is not JSON: " + out, e);
        }
    }
}
