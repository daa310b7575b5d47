package dev.tessera.shared.openapi;

import static dev.tessera.shared.error.ProblemType.BAD_REQUEST;
import static dev.tessera.shared.error.ProblemType.CONSTRAINT_VIOLATION;
import static dev.tessera.shared.error.ProblemType.FORBIDDEN;
import static dev.tessera.shared.error.ProblemType.IDEMPOTENCY_KEY_REUSED;
import static dev.tessera.shared.error.ProblemType.INTERNAL;
import static dev.tessera.shared.error.ProblemType.INVALID_FIELD;
import static dev.tessera.shared.error.ProblemType.INVALID_PARAMETER;
import static dev.tessera.shared.error.ProblemType.MALFORMED_JSON;
import static dev.tessera.shared.error.ProblemType.NOT_ACCEPTABLE;
import static dev.tessera.shared.error.ProblemType.NOT_FOUND;
import static dev.tessera.shared.error.ProblemType.PAYLOAD_TOO_LARGE;
import static dev.tessera.shared.error.ProblemType.PRECONDITION_FAILED;
import static dev.tessera.shared.error.ProblemType.RATE_LIMITED;
import static dev.tessera.shared.error.ProblemType.SERVICE_UNAVAILABLE;
import static dev.tessera.shared.error.ProblemType.TENANT_BUSY;
import static dev.tessera.shared.error.ProblemType.TENANT_CLAIM_CONFLICT;
import static dev.tessera.shared.error.ProblemType.TENANT_CLAIM_MISSING;
import static dev.tessera.shared.error.ProblemType.TENANT_INACTIVE;
import static dev.tessera.shared.error.ProblemType.TENANT_REQUIRES_OWN_IDP;
import static dev.tessera.shared.error.ProblemType.TENANT_SCHEMA_UNAVAILABLE;
import static dev.tessera.shared.error.ProblemType.TENANT_UNKNOWN;
import static dev.tessera.shared.error.ProblemType.UNAUTHORIZED;
import static dev.tessera.shared.error.ProblemType.UNKNOWN_FIELD;
import static dev.tessera.shared.error.ProblemType.UNSUPPORTED_MEDIA_TYPE;
import static dev.tessera.shared.error.ProblemType.SUPPORT_GRANT_INACTIVE;
import static dev.tessera.shared.error.ProblemType.SUPPORT_READ_ONLY;
import static dev.tessera.shared.error.ProblemType.VALIDATION;

import java.util.EnumSet;
import java.util.Set;

import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import dev.tessera.shared.error.ProblemType;

/**
 * The problems an operation can give because of its shape, whatever it does: they come from the filters
 * and mappers every request passes ({@code shared/error}, {@code shared/http}, the tenant resolution), so
 * they are decided here once instead of on every resource method.
 */
final class ImpliedProblems {

    /** Every operation: a token is needed, unknown query parameters are refused, and the database may be away. */
    static final Set<ProblemType> EVERY = EnumSet.of(INVALID_PARAMETER, BAD_REQUEST, UNAUTHORIZED, FORBIDDEN,
            NOT_ACCEPTABLE, INTERNAL, SERVICE_UNAVAILABLE);

    /**
     * Under {@code /api}: the token must name an active tenant whose schema is current, and the tenant's share
     * of the connection pool may be taken (429 tenant-busy), its plan's request rates may be spent
     * (429 rate-limited), and a support user's grant must be running.
     */
    static final Set<ProblemType> TENANT = EnumSet.of(TENANT_CLAIM_MISSING, TENANT_UNKNOWN, TENANT_INACTIVE,
            TENANT_CLAIM_CONFLICT, TENANT_REQUIRES_OWN_IDP, TENANT_SCHEMA_UNAVAILABLE, TENANT_BUSY, RATE_LIMITED,
            SUPPORT_GRANT_INACTIVE);

    /** A JSON request body: parsed strictly, validated, held to the size limit. */
    static final Set<ProblemType> BODY = EnumSet.of(VALIDATION, MALFORMED_JSON, INVALID_FIELD, UNKNOWN_FIELD,
            UNSUPPORTED_MEDIA_TYPE);

    /** Any write: a body over the limit is refused on every route, and the database has rules of its own. */
    static final Set<ProblemType> WRITE = EnumSet.of(PAYLOAD_TOO_LARGE, CONSTRAINT_VIOLATION);

    private ImpliedProblems() {
    }

    static Set<ProblemType> of(String path, PathItem.HttpMethod method, Operation operation) {
        Set<ProblemType> problems = EnumSet.copyOf(EVERY);
        if (path.startsWith("/api/")) {
            problems.addAll(TENANT);
        }
        if (path.contains("{")) {
            problems.add(NOT_FOUND);
        }
        if (method != PathItem.HttpMethod.GET) {
            problems.addAll(WRITE);
            if (path.startsWith("/api/")) {
                // A tenant write under a read-only support grant (docs/design/support-access.md).
                problems.add(SUPPORT_READ_ONLY);
            }
        }
        if (operation.getRequestBody() != null) {
            problems.addAll(BODY);
        }
        if (hasHeader(operation, "If-Match")) {
            problems.add(PRECONDITION_FAILED);
        }
        if (hasHeader(operation, "Idempotency-Key")) {
            problems.add(IDEMPOTENCY_KEY_REUSED);
        }
        return problems;
    }

    private static boolean hasHeader(Operation operation, String name) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && name.equalsIgnoreCase(p.getName()));
    }
}
