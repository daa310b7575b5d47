package dev.tessera.shared.error;

/** The request clashes with the current state: a duplicate key, a lost race, a rule about state. */
public final class Conflict extends ApiException {
    public Conflict(ProblemType type, String detail) {
        super(type, detail);
    }
}
