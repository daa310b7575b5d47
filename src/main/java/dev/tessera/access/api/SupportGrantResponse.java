package dev.tessera.access.api;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tessera.access.SupportGrant;

/** A support grant: who, why, what scope, for how long, and where it stands. */
public record SupportGrantResponse(UUID id, UUID tenantId,
        @Schema(description = "Subject of the support user's token") String supportUser, String reason,
        @Schema(description = "read-only or read-write") String access,
        @Schema(description = "Whether PII is shown in clear under the grant") boolean pii,
        @Schema(description = "ISO 8601 duration the grant runs once started", example = "PT1H") String duration,
        @Schema(description = "PENDING, RUNNING, ENDED, DENIED or REVOKED") SupportGrant.State state,
        OffsetDateTime requestedAt, OffsetDateTime startsAt, OffsetDateTime endsAt, String decidedBy, OffsetDateTime deniedAt,
        OffsetDateTime revokedAt, String revokedBy) {

    static SupportGrantResponse of(SupportGrant g) {
        return new SupportGrantResponse(g.id(), g.tenantId(), g.supportUser(), g.reason(), g.access(), g.pii(),
                g.duration().toString(), g.state(OffsetDateTime.now()), g.requestedAt(), g.startsAt(), g.endsAt(), g.decidedBy(),
                g.deniedAt(), g.revokedAt(), g.revokedBy());
    }
}
