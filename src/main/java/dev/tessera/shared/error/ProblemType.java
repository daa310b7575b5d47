package dev.tessera.shared.error;

import java.net.URI;

/** The stable catalogue of problem types; each URI is documented in the README and never changes meaning. */
public enum ProblemType {
    VALIDATION("validation", 400, "Request validation failed"),
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
    INVALID_FIELD("invalid-field", 400, "A field has the wrong type or format"),
    UNKNOWN_FIELD("unknown-field", 400, "Unknown field"),
    INVALID_PARAMETER("invalid-parameter", 400, "Invalid parameter"),
    BAD_REQUEST("bad-request", 400, "Bad request"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    TENANT_CLAIM_MISSING("tenant-claim-missing", 403, "The token names no tenant"),
    TENANT_UNKNOWN("tenant-unknown", 403, "Unknown tenant"),
    TENANT_INACTIVE("tenant-inactive", 403, "Tenant is not active"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    SKU_TAKEN("sku-taken", 409, "SKU already in use"),
    SLUG_TAKEN("slug-taken", 409, "Slug already in use"),
    EMAIL_TAKEN("email-taken", 409, "Email already in use"),
    TENANT_STATE_CONFLICT("tenant-state-conflict", 409, "The tenant's state does not allow this"),
    CONFLICT("conflict", 409, "Conflict"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    CONSTRAINT_VIOLATION("constraint-violation", 422, "The data breaks a rule"),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service temporarily unavailable"),
    TENANT_SCHEMA_UNAVAILABLE("tenant-schema-unavailable", 503, "The tenant's schema is not at the current version"),
    PROVISIONING_FAILED("provisioning-failed", 500, "Provisioning failed"),
    INTERNAL("internal", 500, "Internal error");

    /** Base of every type URI. */
    public static final String BASE = "https://tessera.dev/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
