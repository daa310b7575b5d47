package dev.tessera.shared.error;

/** The caller is authenticated but may not do this (403). */
public final class Forbidden extends ApiException {
    public Forbidden(ProblemType type, String detail) {
        super(type, detail);
    }
}
