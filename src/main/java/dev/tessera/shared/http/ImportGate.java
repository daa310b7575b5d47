package dev.tessera.shared.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.ServiceUnavailable;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets one tenant import at a time into this instance hold its body in memory (up to
 * {@code tessera.portability.import-max-body-size}): a second one is refused with 503 and
 * {@code Retry-After} before its body is read. The body is read here, counted as it arrives, only once the
 * caller is known to be a platform admin, so an anonymous caller can neither take the slot nor make us
 * read a large body.
 */
@Singleton
public class ImportGate {

    /** The role that may import (security's {@code Roles.PLATFORM_ADMIN}; shared code names no feature). */
    private static final String IMPORTER_ROLE = "platform-admin";

    private final Semaphore slot = new Semaphore(1);
    private final long maxBytes;
    private final CurrentIdentityAssociation identity;

    ImportGate(@ConfigProperty(name = "tessera.portability.import-max-body-size") MemorySize max,
            CurrentIdentityAssociation identity) {
        this.maxBytes = max.asLongValue();
        this.identity = identity;
    }

    @ServerRequestFilter
    public Uni<Response> admit(ContainerRequestContext request, RoutingContext rc) {
        if (!"POST".equals(request.getMethod()) || !BodyLimit.IMPORT.matcher(rc.normalizedPath()).matches()) {
            return Uni.createFrom().nullItem();
        }
        return identity.getDeferredIdentity().flatMap(who -> {
            if (who.isAnonymous() || !who.hasRole(IMPORTER_ROLE)) {
                return Uni.createFrom().nullItem(); // the endpoint's own check refuses it
            }
            if (!slot.tryAcquire()) {
                return Uni.createFrom().failure(new ServiceUnavailable(ProblemType.SERVICE_UNAVAILABLE,
                        "Another import is running on this instance; retry later"));
            }
            AtomicBoolean held = new AtomicBoolean(true);
            // Called when the answer has been sent or the connection is gone, whichever comes first.
            rc.addEndHandler(x -> {
                if (held.compareAndSet(true, false)) {
                    slot.release();
                }
            });
            return read(request, rc);
        });
    }

    private Uni<Response> read(ContainerRequestContext request, RoutingContext rc) {
        HttpServerRequest http = rc.request();
        if (http.isEnded()) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().emitter(em -> {
            Buffer body = Buffer.buffer();
            boolean[] refused = { false };
            http.handler(chunk -> {
                if (refused[0]) {
                    return;
                }
                if ((long) body.length() + chunk.length() > maxBytes) {
                    refused[0] = true;
                    BodyLimit.stopReading(rc);
                    em.complete(tooLarge(rc));
                    return;
                }
                body.appendBuffer(chunk);
            });
            http.endHandler(v -> {
                if (!refused[0]) {
                    request.setEntityStream(new io.netty.buffer.ByteBufInputStream(body.getByteBuf()));
                    em.complete(null);
                }
            });
            http.exceptionHandler(e -> {
                if (!refused[0]) {
                    refused[0] = true;
                    em.fail(e);
                }
            });
            http.resume();
        });
    }

    private Response tooLarge(RoutingContext rc) {
        var fields = new java.util.LinkedHashMap<String, Object>();
        fields.put("type", ProblemType.PAYLOAD_TOO_LARGE.uri().toString());
        fields.put("title", ProblemType.PAYLOAD_TOO_LARGE.title());
        fields.put("status", 413);
        fields.put("detail", "The body may be at most " + maxBytes + " bytes");
        fields.put("traceId", TraceIds.of(rc.request()));
        return Response.status(413).type("application/problem+json").header("Connection", "close")
                .entity(Json.encode(fields)).build();
    }
}
