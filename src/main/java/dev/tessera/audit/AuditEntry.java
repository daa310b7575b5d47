package dev.tessera.audit;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import java.util.Map;

/** One recorded change to a tenant table. */
public record AuditEntry(long id, String table, UUID recordId, String action, Map<String, Object> oldData, Map<String, Object> newData,
        List<String> changedColumns, String actor, long txid, OffsetDateTime at, String hash) {
}
