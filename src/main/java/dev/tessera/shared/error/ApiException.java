package dev.tessera.shared.error;

/** Base of the exceptions that domain and services throw; one mapper turns each into problem+json. */
public abstract class ApiException extends RuntimeException {

    private final ProblemType type;

    protected ApiException(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }
}
