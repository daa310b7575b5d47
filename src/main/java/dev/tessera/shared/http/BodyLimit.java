package dev.tessera.shared.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Holds every request body to {@code tessera.http.max-body-size} by counting its bytes as they arrive,
 * whether the client declared a {@code Content-Length} or sent chunks; the 413 problem+json leaves as soon
 * as the limit is passed, and the connection is closed so the rest is never read.
 *
 * <p>The one exception is the tenant import ({@code POST /admin/tenants/{id}/import}), held to
 * {@code tessera.portability.import-max-body-size}: its body is read only after the caller is known to be a
 * platform admin and holds the instance's one import slot ({@link ImportGate}), not here. Its declared
 * length is checked here all the same, and Vert.x's own limit ({@code quarkus.http.limits.max-body-size})
 * is the import's, which caps a chunked import.
 */
@ApplicationScoped
public class BodyLimit {

    /** The one route that takes large bodies: {@code POST /admin/tenants/{id}/import}. */
    static final java.util.regex.Pattern IMPORT = java.util.regex.Pattern.compile("/admin/tenants/[^/]+/import/?");

    /** How long a refused connection stays open, unread, so that the client can read the answer. */
    private static final long CLOSE_DELAY_MS = 2000;

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
        router.errorHandler(413, rc -> tooLarge(rc, maxBytes));
    }

    private void check(RoutingContext rc) {
        boolean isImport = IMPORT.matcher(rc.normalizedPath()).matches();
        long limit = isImport ? importMaxBytes : maxBytes;
        String length = rc.request().getHeader("Content-Length");
        if (length != null && exceeds(length, limit)) {
            tooLarge(rc, limit);
            return;
        }
        if (isImport || !mayHaveBody(rc.request(), length) || rc.request().version() == HttpVersion.HTTP_2) {
            // HTTP/2 (over TLS; cleartext upgrades are refused, see h2cOff): Quarkus REST pauses the
            // request it is handed, which Vert.x refuses for an HTTP/2 request already read in full. Such a
            // request is held to its declared length above and to Vert.x's own limit.
            rc.next();
            return;
        }
        readCounting(rc);
    }

    /**
     * Refuses HTTP/2 cleartext upgrades (h2c): a plain-HTTP client then stays on HTTP/1.1, where bodies
     * are counted as they arrive. Java's HttpClient asks for h2c by default; its requests failed with 500
     * before (AuditSealContract's concurrent writers found it). HTTP/2 over TLS (ALPN) is unchanged.
     */
    @ApplicationScoped
    static class H2cOff implements io.quarkus.vertx.http.HttpServerOptionsCustomizer {
        @Override
        public void customizeHttpServer(io.vertx.core.http.HttpServerOptions options) {
            options.setHttp2ClearTextEnabled(false);
        }
    }

    /**
     * Reads the whole body here, at most {@code maxBytes} of it, and hands it on in the routing context
     * (where Quarkus REST takes it from). Reading before authentication costs at most the limit per
     * request, which an anonymous caller could make us read anyway.
     */
    private void readCounting(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = { false };
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if ((long) body.length() + chunk.length() > maxBytes) {
                refused[0] = true;
                tooLarge(rc, maxBytes);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                rc.setBody(body);
                rc.next();
            }
        });
        request.exceptionHandler(e -> {
            if (!refused[0]) {
                refused[0] = true;
                rc.fail(400, e);
            }
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // The client waits for this before it sends the body (Quarkus REST would send it when it reads).
            rc.response().writeContinue();
        }
        request.resume();
    }

    /**
     * Gives Quarkus REST the body read above: it reads from the connection otherwise, where nothing is
     * left, and would see an empty body.
     */
    @ServerRequestFilter(preMatching = true)
    void handOver(ContainerRequestContext request, RoutingContext rc) {
        Buffer body = rc.body().buffer();
        if (body != null) {
            request.setEntityStream(new io.netty.buffer.ByteBufInputStream(body.getByteBuf()));
        }
    }

    private static boolean mayHaveBody(HttpServerRequest request, String length) {
        if (length != null) {
            return !"0".equals(length.trim());
        }
        return request.getHeader("Transfer-Encoding") != null;
    }

    private static void tooLarge(RoutingContext rc, long limit) {
        problem(rc, 413, "payload-too-large", "Request body too large", "The body may be at most " + limit + " bytes");
    }

    /** Answers without reading the rest of the body (see {@link #stopReading}). */
    static void problem(RoutingContext rc, int status, String slug, String title, String detail) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        stopReading(rc);
        var fields = new java.util.LinkedHashMap<String, Object>();
        fields.put("type", "https://tessera.dev/problems/" + slug);
        fields.put("title", title);
        fields.put("status", status);
        fields.put("detail", detail);
        fields.put("traceId", TraceIds.of(rc.request()));
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .putHeader("Connection", "close").end(Json.encode(fields));
    }

    /**
     * Stops reading the connection of a refused body and closes it a moment after the answer has left.
     * Vert.x would otherwise drain the rest of the body once answered; closing at once would make the
     * kernel answer the unread bytes with a reset, which can reach the client before it has read the
     * answer.
     */
    static void stopReading(RoutingContext rc) {
        var connection = rc.request().connection();
        if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
            base.channel().config().setAutoRead(false);
        }
        rc.addEndHandler(x -> rc.vertx().setTimer(CLOSE_DELAY_MS, t -> connection.close()));
    }

    private static boolean exceeds(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
