package dev.tessera.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Redocly CLI, at the version pinned in {@code src/test/redocly/package-lock.json}, installed with
 * {@code npm ci} into {@code target/redocly} the first time a test needs it; linting with the project's
 * {@code redocly.yaml}. Needs Node and npm (and the npm registry, the first time): without them it fails,
 * it never skips.
 */
public final class Redocly {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    /** Where the tool is installed and the linted documents are written. */
    public static final Path HOME = ROOT.resolve("target/redocly");
    private static final Path PINNED = ROOT.resolve("src/test/redocly");
    private static final Path CLI = HOME.resolve("node_modules/@redocly/cli/bin/cli.js");

    /** One finding: its rule, severity, message and where in the document. */
    public record Problem(String ruleId, String severity, String message, String pointer) {
        @Override
        public String toString() {
            return severity + " " + ruleId + " at " + pointer + ": " + message;
        }
    }

    private Redocly() {
    }

    /** Lints the file with {@code redocly.yaml}; every error and warning found. */
    public static List<Problem> lint(Path document) {
        install();
        Result r = run(HOME, 120, "node", CLI.toString(), "lint", "--config", ROOT.resolve("redocly.yaml").toString(),
                "--format", "json", document.toString());
        String out = r.stdout();
        int start = out.indexOf('{');
        assertThat(start).as("Redocly printed no JSON report (exit %d): %s %s", r.exit(), out, r.stderr()).isNotNegative();
        try {
            JsonNode report = new ObjectMapper().readTree(out.substring(start));
            List<Problem> problems = new ArrayList<>();
            for (JsonNode p : report.path("problems")) {
                JsonNode location = p.path("location").path(0);
                problems.add(new Problem(p.path("ruleId").asText(), p.path("severity").asText(), p.path("message").asText(),
                        location.path("pointer").asText()));
            }
            assertThat(problems.size()).as("problems listed against the report's totals")
                    .isEqualTo(report.path("totals").path("errors").asInt() + report.path("totals").path("warnings").asInt());
            return problems;
        } catch (IOException e) {
            throw new IllegalStateException("Redocly's report is not JSON: " + out, e);
        }
    }

    /** {@code npm ci} from the pinned lock file, unless that exact install is already there. */
    private static synchronized void install() {
        try {
            Files.createDirectories(HOME);
            Path lock = HOME.resolve("package-lock.json");
            boolean current = Files.exists(CLI) && Files.exists(lock)
                    && Files.mismatch(lock, PINNED.resolve("package-lock.json")) == -1;
            if (current) {
                return;
            }
            for (String f : List.of("package.json", "package-lock.json")) {
                Files.copy(PINNED.resolve(f), HOME.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            Result r = run(HOME, 600, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
            if (r.exit() != 0 || !Files.exists(CLI)) {
                fail("npm ci of Redocly CLI in " + HOME + " failed (exit " + r.exit() + "): " + r.stdout() + r.stderr());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare " + HOME, e);
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result run(Path dir, int timeoutSeconds, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("REDOCLY_TELEMETRY", "off");
        env.put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        env.put("NO_COLOR", "1");
        try {
            Path out = Files.createTempFile(HOME, "out", ".txt");
            Path err = Files.createTempFile(HOME, "err", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            // No node or npm on the PATH: the contract cannot be checked, and that must not pass quietly.
            throw new IllegalStateException("Cannot run " + command[0] + ": Node.js 20 and npm are required to lint the "
                    + "OpenAPI document (docs/testing.md)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
