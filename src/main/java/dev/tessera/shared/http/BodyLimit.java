package dev.tessera.shared.http;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose declared {@code Content-Length} exceeds {@code quarkus.http.limits.max-body-size}
 * with 413 problem+json before its body is read. (A chunked body that grows past the limit is still cut
 * off by Vert.x, with a bare 413.)
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) {
        this.maxBytes = max.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(-900).handler(this::check);
    }

    private void check(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        if (length != null && exceeds(length)) {
            String body = Json.encode(new java.util.LinkedHashMap<>(java.util.Map.of(
                    "type", "https://tessera.dev/problems/payload-too-large",
                    "title", "Request body too large",
                    "status", 413,
                    "detail", "The body may be at most " + maxBytes + " bytes",
                    "instance", rc.request().path(),
                    "traceId", TraceIds.of(rc.request()),
                    "errors", List.of())));
            rc.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json")
                    .putHeader("Connection", "close").end(body);
            return;
        }
        rc.next();
    }

    private boolean exceeds(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
