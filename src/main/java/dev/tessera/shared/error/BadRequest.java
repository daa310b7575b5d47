package dev.tessera.shared.error;

/** The request's content is unusable as a whole (400), for example a line of an import file. */
public final class BadRequest extends ApiException {
    public BadRequest(ProblemType type, String detail) {
        super(type, detail);
    }
}
