package dev.tessera.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the ops/ scripts as an operator would, with a time limit, and keeps what it printed. */
record OpsScript(int exitCode, String output) {

    static final long TIMEOUT_SECONDS = 180;

    /** Runs {@code ops/<script> args...}. */
    static OpsScript ops(Map<String, String> env, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("ops", script).toString()));
        command.addAll(List.of(args));
        return run(env, script, command);
    }

    /** Runs any command (psql, pg_restore) the same way. */
    static OpsScript run(Map<String, String> env, String name, List<String> command) {
        String script = name.replaceAll("[^A-Za-z0-9]", "");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Path log = Files.createTempFile("tessera-" + script, ".log");
            try {
                Process p = pb.redirectOutput(log.toFile()).start();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s:\n" + Files.readString(log));
                }
                return new OpsScript(p.exitValue(), Files.readString(log));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last line printed: ops/backup prints the path of the new dump there. */
    String lastLine() {
        List<String> lines = output.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
