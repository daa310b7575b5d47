package dev.tessera.tenancy.provisioning;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the platform administration API. */
public final class TenantAdminRequests {

    static final String PLAN = "free|standard|enterprise";
    static final String PLAN_MESSAGE = "must be one of free, standard, enterprise";

    private TenantAdminRequests() {
    }

    /** Body of {@code POST /admin/tenants}. */
    public record CreateTenant(
            @NotNull @Pattern(regexp = "[a-z0-9-]{3,63}", message = "must be 3 to 63 of a-z, 0-9 and '-'") String slug,
            @NotBlank @Size(max = 200) @Pattern(regexp = "(?s)[^\\x00]*", message = "must not contain NUL") String name,
            @Pattern(regexp = PLAN, message = PLAN_MESSAGE) String plan,
            @Pattern(regexp = "SHARED|SCHEMA", message = "must be SHARED or SCHEMA") String isolation,
            @Size(max = 2000) String oidcIssuer,
            @Size(max = 2000) String oidcJwksUrl,
            @Size(max = 200) String oidcAudience) {
    }

    /**
     * Body of {@code PATCH /admin/tenants/{id}}: slug and isolation never change. {@code oidcIssuer} replaces
     * the whole identity provider registration (JWKS URL and audience from the same body); {@code ""} clears
     * a field, and clearing the issuer clears all three.
     */
    public record UpdateTenant(
            @Size(min = 1, max = 200) @Pattern(regexp = "(?s)[^\\x00]*\\S[^\\x00]*", message = "must not be blank") String name,
            @Pattern(regexp = PLAN, message = PLAN_MESSAGE) String plan,
            Boolean legalHold,
            @Size(max = 2000) String oidcIssuer,
            @Size(max = 2000) String oidcJwksUrl,
            @Size(max = 200) String oidcAudience) {

        public boolean changesIdentityProvider() {
            return oidcIssuer != null || oidcJwksUrl != null || oidcAudience != null;
        }
    }

    /**
     * Body of {@code POST /admin/tenants/{id}/offboard} (optional): the export window as an ISO-8601
     * duration, {@code PT0S} up to tessera.offboarding.max-export-window.
     */
    public record Offboard(@Size(max = 40) String exportWindow) {
    }
}
