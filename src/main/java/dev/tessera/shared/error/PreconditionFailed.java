package dev.tessera.shared.error;

/** An If-Match (or similar) precondition does not hold (412). */
public final class PreconditionFailed extends ApiException {
    public PreconditionFailed(String detail) {
        super(ProblemType.PRECONDITION_FAILED, detail);
    }
}
