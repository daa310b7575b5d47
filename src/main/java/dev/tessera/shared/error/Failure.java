package dev.tessera.shared.error;

/** A server-side failure with a documented problem type (5xx); the detail is safe to show. */
public final class Failure extends ApiException {
    public Failure(ProblemType type, String detail) {
        super(type, detail);
    }
}
