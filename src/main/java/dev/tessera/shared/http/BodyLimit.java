package dev.tessera.shared.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose declared {@code Content-Length} exceeds {@code tessera.http.max-body-size} (the
 * tenant import: {@code tessera.portability.import-max-body-size}) with 413 problem+json before its body
 * is read. Vert.x's own limit, {@code quarkus.http.limits.max-body-size}, is set to the larger of the two,
 * so a chunked body (no Content-Length) that grows past it is cut off with a bare 413.
 */
@ApplicationScoped
public class BodyLimit {

    /** The one route that takes large bodies: {@code POST /admin/tenants/{id}/import}. */
    private static final java.util.regex.Pattern IMPORT = java.util.regex.Pattern.compile("/admin/tenants/[^/]+/import/?");

    private final long maxBytes;
    private final long importMaxBytes;

    BodyLimit(@ConfigProperty(name = "tessera.http.max-body-size") MemorySize max,
            @ConfigProperty(name = "tessera.portability.import-max-body-size") MemorySize importMax) {
        this.maxBytes = max.asLongValue();
        this.importMaxBytes = importMax.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(-900).handler(this::check);
        // Failures raised by Vert.x itself before any route runs (an undecodable path, a chunked body
        // that outgrows the limit) would otherwise leave with an empty body.
        router.errorHandler(400, rc -> problem(rc, 400, "bad-request", "Bad request", "The request could not be parsed"));
        router.errorHandler(413, rc -> problem(rc, 413, "payload-too-large", "Request body too large",
                "The body may be at most " + maxBytes + " bytes"));
    }

    private void check(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        long limit = IMPORT.matcher(rc.normalizedPath()).matches() ? importMaxBytes : maxBytes;
        if (length != null && exceeds(length, limit)) {
            problem(rc, 413, "payload-too-large", "Request body too large", "The body may be at most " + limit + " bytes");
            return;
        }
        rc.next();
    }

    private static void problem(RoutingContext rc, int status, String slug, String title, String detail) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        var fields = new java.util.LinkedHashMap<String, Object>();
        fields.put("type", "https://tessera.dev/problems/" + slug);
        fields.put("title", title);
        fields.put("status", status);
        fields.put("detail", detail);
        fields.put("traceId", TraceIds.of(rc.request()));
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .putHeader("Connection", "close").end(Json.encode(fields));
    }

    private static boolean exceeds(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
