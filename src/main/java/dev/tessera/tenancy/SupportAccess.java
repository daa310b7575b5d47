package dev.tessera.tenancy;

import java.util.Objects;
import java.util.UUID;

/**
 * A request of a platform support user under a support grant: the grant, and the request line that the
 * tenant's audit trail records ({@code GET /api/customers/...}). See docs/design/support-access.md.
 */
public record SupportAccess(UUID grantId, String request) {

    public SupportAccess {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(request, "request");
    }

    /** The actor of what the support user does under the grant, as audit rows record it. */
    public static String actor(String supportUser, UUID grantId) {
        return "support:" + supportUser + "/grant:" + grantId;
    }
}
