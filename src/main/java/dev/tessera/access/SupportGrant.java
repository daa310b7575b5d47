package dev.tessera.access;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A support grant as the tenant's admins and the support user see it. */
public record SupportGrant(UUID id, UUID tenantId, String supportUser, String reason, String access, boolean pii,
        Duration duration, OffsetDateTime requestedAt, OffsetDateTime startsAt, OffsetDateTime endsAt, String decidedBy,
        OffsetDateTime deniedAt, OffsetDateTime revokedAt, String revokedBy) {

    /** Where the grant stands now. */
    public enum State {
        /** Waiting for one of the tenant's admins. */
        PENDING,
        /** Started and not ended: the support user can act for the tenant. */
        RUNNING,
        /** Its time is over. */
        ENDED,
        DENIED,
        REVOKED
    }

    public State state(OffsetDateTime now) {
        if (revokedAt != null) {
            return State.REVOKED;
        }
        if (deniedAt != null) {
            return State.DENIED;
        }
        if (startsAt == null) {
            return State.PENDING;
        }
        return now.isBefore(endsAt) ? State.RUNNING : State.ENDED;
    }
}
