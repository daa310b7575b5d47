package dev.tessera.shared.error;

/** A parameter or field the caller sent is malformed (400), named so that the client can fix it. */
public final class InvalidInput extends ApiException {

    private final String field;

    public InvalidInput(String field, String message) {
        super(ProblemType.INVALID_PARAMETER, field + " " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String message() {
        return getMessage().substring(field.length() + 1);
    }
}
