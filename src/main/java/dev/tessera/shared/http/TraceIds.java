package dev.tessera.shared.http;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every request a trace id, echoed in the {@code X-Trace-Id} response header and in problem bodies.
 *
 * <p>A W3C {@code traceparent} sent by a gateway is kept, so that logs line up across services;
 * anything else is replaced by a fresh random id (a client cannot inject text into our logs).
 */
@ApplicationScoped
public class TraceIds {

    /** Response header carrying the trace id. */
    public static final String HEADER = "X-Trace-Id";

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    void install(@Observes Router router) {
        router.route().order(-1000).handler(TraceIds::assign);
    }

    private static void assign(RoutingContext rc) {
        String traceparent = rc.request().getHeader("traceparent");
        var m = traceparent == null ? null : TRACEPARENT.matcher(traceparent);
        String id = m != null && m.matches() ? m.group(1) : UUID.randomUUID().toString().replace("-", "");
        rc.response().putHeader(HEADER, id);
        rc.next();
    }

    /** The trace id of a request, or a fresh one if the filter did not run (it always should). */
    public static String of(HttpServerRequest request) {
        String id = request == null ? null : request.response().headers().get(HEADER);
        return id != null ? id : UUID.randomUUID().toString().replace("-", "");
    }
}
