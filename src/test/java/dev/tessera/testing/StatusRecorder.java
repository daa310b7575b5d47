package dev.tessera.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * Test-only: records the method, path and status of every response the service gives while the tests
 * run, into {@link #FILE}, for {@code DocumentedStatusesTest} to compare with the OpenAPI document. It
 * runs before every other route (so it also sees the 413 of {@code BodyLimit}); UUIDs in paths are
 * written as {@code {uuid}}, so each distinct answer is one line. The file belongs to one test JVM: the
 * first record of a JVM starts it afresh with the JVM's process id, so a check never reads an old run.
 */
@ApplicationScoped
public class StatusRecorder {

    /** One line per distinct answer: {@code METHOD<TAB>path<TAB>status}, after a {@code # pid} line. */
    public static final Path FILE = Path.of(System.getProperty("user.dir")).toAbsolutePath()
            .resolve("target/observed-statuses.tsv");

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Shared by every Quarkus restart of the JVM: system properties outlive the application's class loader. */
    private static final String STARTED = "tessera.status-recorder.started";

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    void install(@Observes Router router) {
        router.route().order(-1000).handler(rc -> {
            String method = rc.request().method().name();
            String path = UUID.matcher(rc.normalizedPath()).replaceAll("{uuid}");
            rc.addHeadersEndHandler(v -> record(method + "\t" + path + "\t" + rc.response().getStatusCode()));
            rc.next();
        });
    }

    private void record(String line) {
        if (!seen.add(line)) {
            return;
        }
        // A string literal is one object in the whole JVM (the string pool is not per class loader), so every
        // Quarkus restart's recorder takes the same lock. Never put a non-String into the system properties:
        // libraries read them all as strings (Narayana fails to start on one).
        synchronized (STARTED) {
            try {
                if (System.getProperty(STARTED) == null) {
                    Files.createDirectories(FILE.getParent());
                    Files.writeString(FILE, "# pid " + ProcessHandle.current().pid() + "\n");
                    System.setProperty(STARTED, "true");
                }
                Files.writeString(FILE, line + "\n", StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
