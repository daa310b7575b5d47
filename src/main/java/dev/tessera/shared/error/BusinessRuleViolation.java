package dev.tessera.shared.error;

/** The request is well-formed but breaks a business rule (422). */
public final class BusinessRuleViolation extends ApiException {
    public BusinessRuleViolation(ProblemType type, String detail) {
        super(type, detail);
    }
}
