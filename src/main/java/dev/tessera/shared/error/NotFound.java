package dev.tessera.shared.error;

/** The record does not exist for this tenant (also when it exists for another tenant: we never say so). */
public final class NotFound extends ApiException {
    public NotFound(String what) {
        super(ProblemType.NOT_FOUND, what + " not found");
    }
}
