package dev.tessera.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Node.js tools the tests use (Redocly CLI, the client generator), each pinned by a {@code package-lock.json}
 * under {@code src/test/<name>} and installed with {@code npm ci} into {@code target/<name>} the first time,
 * then reused while the lock file is unchanged. Needs Node.js 20 and npm on the PATH (and the npm registry
 * for the first install): without them a test fails, it never skips.
 */
public final class NodeTools {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();

    /** What a command printed and how it ended. */
    public record Result(int exit, String stdout, String stderr) {
    }

    private NodeTools() {
    }

    /** The project root (Surefire's working directory). */
    public static Path root() {
        return ROOT;
    }

    /** {@code target/<name>} with the files of {@code src/test/<name>} and {@code npm ci} done there. */
    public static synchronized Path install(String name) {
        Path pinned = ROOT.resolve("src/test").resolve(name);
        Path home = ROOT.resolve("target").resolve(name);
        try {
            Files.createDirectories(home);
            Path lock = home.resolve("package-lock.json");
            boolean current = Files.isDirectory(home.resolve("node_modules")) && Files.exists(lock)
                    && Files.mismatch(lock, pinned.resolve("package-lock.json")) == -1;
            try (Stream<Path> files = Files.list(pinned)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, home.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!current) {
                Result r = run(home, 900, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
                if (r.exit() != 0) {
                    fail("npm ci in " + home + " failed (exit " + r.exit() + "): " + r.stdout() + r.stderr());
                }
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + home, e);
        }
    }

    /** Runs the command in {@code dir}; fails the test if it cannot start or does not end in time. */
    public static Result run(Path dir, int timeoutSeconds, String... command) {
        return run(dir, Map.of(), timeoutSeconds, command);
    }

    public static Result run(Path dir, Map<String, String> env, int timeoutSeconds, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        try {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
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
            // No node or npm on the PATH: what the tool checks cannot be checked, and that must not pass quietly.
            throw new IllegalStateException("Cannot run " + command[0] + ": Node.js 20 and npm are required by the "
                    + "API contract tests (docs/testing.md#the-api-contract)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
