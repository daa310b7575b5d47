package dev.tessera.audit;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Filters of the audit API; null means "any". {@code afterId} is the keyset cursor. */
public record AuditQuery(String table, UUID recordId, String actor, OffsetDateTime from, OffsetDateTime to, Long afterId,
        int limit) {
}
