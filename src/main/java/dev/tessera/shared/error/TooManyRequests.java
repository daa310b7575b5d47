package dev.tessera.shared.error;

import java.util.Map;

/** The caller (a tenant, a key) asks for more than it may have at once: 429, with Retry-After. */
public final class TooManyRequests extends ApiException {

    private final long retryAfterSeconds;
    private final Map<String, String> headers;

    public TooManyRequests(ProblemType type, String detail, long retryAfterSeconds) {
        this(type, detail, retryAfterSeconds, Map.of());
    }

    /** With further response headers (for example the RateLimit fields of a rate limit refusal). */
    public TooManyRequests(ProblemType type, String detail, long retryAfterSeconds, Map<String, String> headers) {
        super(type, detail);
        this.retryAfterSeconds = retryAfterSeconds;
        this.headers = Map.copyOf(headers);
    }

    /** Seconds after which a retry may succeed (the Retry-After header). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Further headers of the 429 response. */
    public Map<String, String> headers() {
        return headers;
    }
}
