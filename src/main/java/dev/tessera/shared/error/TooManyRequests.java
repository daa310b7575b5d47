package dev.tessera.shared.error;

/** The caller (a tenant, a key) asks for more than it may have at once: 429, with Retry-After. */
public final class TooManyRequests extends ApiException {

    private final long retryAfterSeconds;

    public TooManyRequests(ProblemType type, String detail, long retryAfterSeconds) {
        super(type, detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which a retry may succeed (the Retry-After header). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
