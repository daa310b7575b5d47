package dev.tessera.ops.diagnostics;

import java.time.OffsetDateTime;

/** Dead tuples of one table: a high ratio means VACUUM is behind and the table (and its indexes) bloat. */
public record TableBloat(String schema, String table, long liveTuples, long deadTuples, double deadRatio,
        OffsetDateTime lastVacuum) {
}
