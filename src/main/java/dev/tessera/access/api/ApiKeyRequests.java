package dev.tessera.access.api;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request bodies of the API keys API. */
public final class ApiKeyRequests {

    private ApiKeyRequests() {
    }

    /** Body of {@code POST /api/keys}. */
    public record CreateKey(
            @NotBlank @Size(max = 100) @Pattern(regexp = "(?s)[^\\x00]*", message = "must not contain the NUL character") String name,
            @Schema(description = "Tenant roles of the key, each one you hold yourself: tenant-member, tenant-admin, pii-reader")
            @NotEmpty @Size(max = 3) List<@NotNull String> roles,
            @Schema(description = "When the key stops working (RFC 3339, in the future); absent: never") OffsetDateTime expiresAt) {
    }

    /** Body of {@code POST /api/keys/{id}/rotate}; may be absent. */
    public record RotateKey(
            @Schema(description = "How long the previous secret keeps working (ISO 8601 duration, at most tessera.api-keys.max-grace-period); absent: PT1H",
                    example = "PT24H")
            @Pattern(regexp = "P[0-9DTHMS.]{2,32}", message = "must be an ISO 8601 duration such as PT24H") String gracePeriod) {
    }
}
