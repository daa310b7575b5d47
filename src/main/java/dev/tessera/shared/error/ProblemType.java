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
    INVALID_IMPORT("invalid-import", 400, "The import file is not valid"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    TENANT_CLAIM_MISSING("tenant-claim-missing", 403, "The token names no tenant"),
    TENANT_UNKNOWN("tenant-unknown", 403, "Unknown tenant"),
    TENANT_INACTIVE("tenant-inactive", 403, "Tenant is not active"),
    TENANT_CLAIM_CONFLICT("tenant-claim-conflict", 403, "The token's tenant claim names another tenant than its issuer"),
    TENANT_REQUIRES_OWN_IDP("tenant-requires-own-idp", 403, "The tenant accepts tokens of its own identity provider only"),
    SUPPORT_GRANT_INACTIVE("support-grant-inactive", 403, "The support grant is not running"),
    SUPPORT_READ_ONLY("support-read-only", 403, "The support grant allows reading only"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    SKU_TAKEN("sku-taken", 409, "SKU already in use"),
    SLUG_TAKEN("slug-taken", 409, "Slug already in use"),
    ISSUER_TAKEN("issuer-taken", 409, "Issuer registered to another tenant"),
    EMAIL_TAKEN("email-taken", 409, "Email already in use"),
    TENANT_STATE_CONFLICT("tenant-state-conflict", 409, "The tenant's state does not allow this"),
    CONFLICT("conflict", 409, "Conflict"),
    TENANT_NOT_EMPTY("tenant-not-empty", 409, "The tenant already holds data"),
    ORDER_NOT_EDITABLE("order-not-editable", 409, "Items can change only in a draft order"),
    ORDER_EMPTY("order-empty", 409, "An order needs at least one item to be placed"),
    ORDER_NOT_DRAFT("order-not-draft", 409, "Only a draft order can be placed"),
    ORDER_NOT_PLACED("order-not-placed", 409, "Only a placed order can be paid"),
    ORDER_NOT_PAID("order-not-paid", 409, "Only a paid order can be shipped"),
    ORDER_NOT_SHIPPED("order-not-shipped", 409, "Only a shipped order can be delivered"),
    ORDER_NOT_CANCELLABLE("order-not-cancellable", 409, "Only an order that has not shipped can be cancelled"),
    ITEM_NOT_IN_ORDER("item-not-in-order", 409, "The product is not in the order"),
    CURRENCY_MISMATCH("currency-mismatch", 409, "The product is priced in another currency"),
    ORDER_EXISTS("order-exists", 409, "The order exists already"),
    SUPPORT_GRANT_NOT_PENDING("support-grant-not-pending", 409, "The support grant is not waiting for a decision"),
    API_KEY_INACTIVE("api-key-inactive", 409, "The API key is revoked or expired"),
    QUOTA_EXCEEDED("quota-exceeded", 409, "The tenant's plan allows no more of these"),
    CONCURRENT_MODIFICATION("concurrent-modification", 409, "Another request changed this resource first"),
    PRECONDITION_FAILED("precondition-failed", 412, "The resource is not at the version given in If-Match"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    CONSTRAINT_VIOLATION("constraint-violation", 422, "The data breaks a rule"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "This Idempotency-Key was used for another request"),
    UNKNOWN_PRODUCT("unknown-product", 422, "No live product with this id"),
    TENANT_BUSY("tenant-busy", 429, "The tenant has too many requests in progress"),
    RATE_LIMITED("rate-limited", 429, "Rate limit of the tenant's plan reached"),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service temporarily unavailable"),
    TENANT_SCHEMA_UNAVAILABLE("tenant-schema-unavailable", 503, "The tenant's schema is not at the current version"),
    PROVISIONING_FAILED("provisioning-failed", 500, "Provisioning failed"),
    TENANT_KEYS_MISSING("tenant-keys-missing", 500, "The tenant's encryption keys are missing"),
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

    /** The last part of the type URI, e.g. {@code sku-taken}. */
    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
