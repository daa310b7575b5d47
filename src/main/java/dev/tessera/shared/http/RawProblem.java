package dev.tessera.shared.http;

import dev.tessera.shared.error.ProblemType;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * A problem+json answer written straight to the HTTP response, for refusals made by route handlers
 * before Quarkus REST (and so before its exception mappers) runs.
 */
public final class RawProblem {

    private RawProblem() {
    }

    /** Ends the response with {@code type}'s status and a problem body; does nothing if an answer has begun. */
    public static void send(RoutingContext rc, ProblemType type, String detail) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        var fields = new java.util.LinkedHashMap<String, Object>();
        fields.put("type", type.uri().toString());
        fields.put("title", type.title());
        fields.put("status", type.status());
        fields.put("detail", detail);
        fields.put("instance", rc.request().path());
        fields.put("traceId", TraceIds.of(rc.request()));
        rc.response().setStatusCode(type.status()).putHeader("Content-Type", "application/problem+json")
                .end(Json.encode(fields));
    }
}
