package dev.tessera.shared.error;

/** The request is fine but cannot be served right now (503, with Retry-After). */
public final class ServiceUnavailable extends ApiException {
    public ServiceUnavailable(ProblemType type, String detail) {
        super(type, detail);
    }
}
