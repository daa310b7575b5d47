package dev.tessera.shared.error;

import java.net.URI;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.tessera.shared.http.TraceIds;
import io.quarkus.logging.Log;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgException;

/**
 * The one place where failures become HTTP responses: every 4xx and 5xx leaves as problem+json.
 *
 * <p>Details are written for humans and never carry exception class names, SQL or stack traces.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response api(ApiException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = e instanceof InvalidInput ii
                ? List.of(new Problem.FieldError(ii.field(), ii.message()))
                : List.of();
        Response response = respond(e.type(), e.getMessage(), errors, request);
        if (e instanceof TooManyRequests tooMany) {
            Response.ResponseBuilder builder = Response.fromResponse(response)
                    .header("Retry-After", String.valueOf(tooMany.retryAfterSeconds()));
            tooMany.headers().forEach(builder::header);
            return builder.build();
        }
        return e.type().status() == 503 ? Response.fromResponse(response).header("Retry-After", "5").build() : response;
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(ProblemType.VALIDATION, "The request has " + errors.size() + " invalid field(s)", errors, request);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, HttpServerRequest request) {
        String field = path(e);
        return respond(ProblemType.UNKNOWN_FIELD, "Unknown field '" + field + "'",
                List.of(new Problem.FieldError(field, "is not a field of this request")), request);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        String field = path(e);
        if (field.isEmpty()) {
            return respond(ProblemType.MALFORMED_JSON, "The body is not the JSON object this endpoint expects", List.of(),
                    request);
        }
        return invalidField(field, request);
    }

    private static Response invalidField(String field, HttpServerRequest request) {
        return respond(ProblemType.INVALID_FIELD, "Field '" + field + "' has the wrong type or format",
                List.of(new Problem.FieldError(field, "has the wrong type or format")), request);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, HttpServerRequest request) {
        // A value JSON can hold but the field cannot (an integer beyond int): Jackson wraps the parser's
        // complaint with the field's path, and the client should hear which field, not "not JSON".
        if (e instanceof JsonMappingException m && m.getCause() instanceof InputCoercionException && !path(m).isEmpty()) {
            return invalidField(path(m), request);
        }
        return respond(ProblemType.MALFORMED_JSON, "The body is not valid JSON", List.of(), request);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return unauthorized(request);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return unauthorized(request);
    }

    /**
     * The token's identity provider could not be asked for its keys: unreachable, or a request to it that
     * the SSRF guard refused (IdpRequestGuard). The token cannot be verified, so the caller is not
     * authenticated: 401, never a 500 for a tenant IdP's state. Logged, as operators need to know.
     */
    @ServerExceptionMapper
    public Response identityProviderUnavailable(OIDCException e, HttpServerRequest request) {
        Log.warnf("A bearer token could not be verified, its identity provider failed: %s (traceId=%s)", e.getMessage(),
                TraceIds.of(request));
        return unauthorized(request);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(ProblemType.FORBIDDEN, "Your roles do not allow this operation", List.of(), request);
    }

    @ServerExceptionMapper
    public Response database(PgException e, HttpServerRequest request) {
        if (DatabaseUnavailable.sessionEnded(e)) {
            return unavailable(request);
        }
        ProblemType type = switch (e.getSqlState()) {
            // RLS refused a write: from the caller's point of view the target does not exist.
            // Any other 42501 is a missing GRANT, which is our bug, not the client's.
            case "42501" -> rlsRefusal(e) ? ProblemType.NOT_FOUND : ProblemType.INTERNAL;
            case "23505" -> ProblemType.CONFLICT;
            // Support access: the grant is not running by the database's clock (tenant V017), or it is read-only.
            case "TS403" -> ProblemType.SUPPORT_GRANT_INACTIVE;
            case "25006" -> ProblemType.SUPPORT_READ_ONLY;
            // A NULL tenant_id means a write ran without tenant context: a bug, never a client error.
            case "23502" -> "tenant_id".equals(e.getColumn()) ? ProblemType.INTERNAL : ProblemType.CONSTRAINT_VIOLATION;
            case "23514", "22003", "22001" -> ProblemType.CONSTRAINT_VIOLATION;
            case "22021", "22P05" -> ProblemType.BAD_REQUEST;
            // Contention: a retry a moment later will likely succeed.
            case "57014", "55P03", "40001", "40P01" -> ProblemType.SERVICE_UNAVAILABLE;
            default -> ProblemType.INTERNAL;
        };
        if (type == ProblemType.INTERNAL) {
            Log.errorf("Database error %s (traceId=%s)", e.getSqlState(), TraceIds.of(request));
        }
        Response response = respond(type, type.title(), List.of(), request);
        return type == ProblemType.SERVICE_UNAVAILABLE
                ? Response.fromResponse(response).header("Retry-After", "1").build()
                : response;
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        // The JSON reader wraps Jackson's failure in a 400: answer with the precise problem type.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnrecognizedPropertyException u) {
                return unknownField(u, request);
            }
            if (cause instanceof MismatchedInputException m) {
                return mismatchedInput(m, request);
            }
            if (cause instanceof JsonProcessingException j) {
                return malformedJson(j, request);
            }
        }
        ProblemType type = switch (status) {
            case 401 -> ProblemType.UNAUTHORIZED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemType.SERVICE_UNAVAILABLE;
            default -> status < 500 ? ProblemType.BAD_REQUEST : ProblemType.INTERNAL;
        };
        if (status == 401) {
            return unauthorized(request);
        }
        // Keep the real status (for example 400 for a malformed query parameter), with our body.
        Problem body = problem(type, status, type.title(), List.of(), request);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        String traceId = TraceIds.of(request);
        if (DatabaseUnavailable.causedBy(e)) {
            // Outside TenantTx too (the tenant lookup, a health probe): no connection is a 503, not a bug.
            Log.warnf("Database unavailable (traceId=%s): %s", traceId, e.getClass().getSimpleName());
            return unavailable(request);
        }
        if (mayCarryValues(e)) {
            // The SQL client quotes bind parameter values (keys, PII) in some messages: log the type only.
            Log.errorf("Unexpected failure (traceId=%s): %s (message withheld: it may quote parameter values)",
                    traceId, e.getClass().getName());
        } else {
            Log.errorf(e, "Unexpected failure (traceId=%s)", traceId);
        }
        return respond(ProblemType.INTERNAL, "An unexpected error occurred; quote the traceId when reporting it", List.of(),
                request);
    }

    /** The database is unreachable or restarting (not merely busy): 503 with a longer Retry-After. */
    private static Response unavailable(HttpServerRequest request) {
        return Response.fromResponse(respond(ProblemType.SERVICE_UNAVAILABLE,
                "The database is busy or unreachable; retry shortly", List.of(), request))
                .header("Retry-After", "5").build();
    }

    private static boolean mayCarryValues(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("Parameter at position") || m.contains("can not be coerced"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean rlsRefusal(PgException e) {
        return e.getErrorMessage() != null && e.getErrorMessage().startsWith("new row violates row-level security");
    }

    private static Response unauthorized(HttpServerRequest request) {
        return Response.fromResponse(respond(ProblemType.UNAUTHORIZED, "A valid bearer token is required", List.of(), request))
                .header("WWW-Authenticate", "Bearer")
                .build();
    }

    static Response respond(ProblemType type, String detail, List<Problem.FieldError> errors, HttpServerRequest request) {
        Problem body = problem(type, type.status(), detail, errors, request);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    static Problem problem(ProblemType type, int status, String detail, List<Problem.FieldError> errors,
            HttpServerRequest request) {
        URI instance = null;
        try {
            instance = request == null ? null : new URI(request.path());
        } catch (java.net.URISyntaxException e) {
            // A raw path that is not a valid URI (the client's mistake): leave instance out.
        }
        return new Problem(type.uri(), type.title(), status, detail, instance, TraceIds.of(request), errors);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String fieldName(ConstraintViolation<?> v) {
        // Paths look like "create.request.price": keep what names the field for the client.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length <= 2 ? parts[parts.length - 1] : String.join(".", List.of(parts).subList(2, parts.length));
    }
}
