package dev.tessera.shared.error;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail, with the trace id and field errors that Tessera adds. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(URI type, String title, int status, String detail, URI instance, String traceId,
        List<FieldError> errors) {

    /** The media type of every error body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One rejected field or parameter. */
    public record FieldError(String field, String message) {
    }
}
