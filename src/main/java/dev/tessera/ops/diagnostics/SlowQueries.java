package dev.tessera.ops.diagnostics;

import java.util.List;

/** What {@code GET /admin/db/slow-queries} reports; {@code available} is false without pg_stat_statements. */
public record SlowQueries(boolean available, String message, List<Statement> queries) {

    /** One normalized statement (literals are $n placeholders) with its timings in milliseconds. */
    public record Statement(String queryId, String query, long calls, double totalMs, double meanMs, double maxMs,
            long rows) {
    }
}
