package dev.tessera.ops.diagnostics;

import java.util.List;

/** What {@code GET /admin/db/health} reports: size, connections, activity and replication of the database. */
public record DbHealth(String database, long sizeBytes, String size, Connections connections, Queries queries,
        Session longestQuery, Session longestTransaction, List<Replica> replicas) {

    /** Client connections of the whole server against max_connections; warning above 80 %. */
    public record Connections(long inUse, int max, double percent, boolean warning) {
    }

    /** Queries of this database running now, and those among them waiting for a lock. */
    public record Queries(long active, long waiting, List<Session> waitingSessions) {
    }

    /** One server session of this database (no query text: it could quote values). */
    public record Session(int pid, String user, String state, String waitEventType, String waitEvent, double seconds) {
    }

    /** One streaming replica, as its primary sees it. */
    public record Replica(String applicationName, String clientAddr, String state, String syncState, Long lagBytes,
            Double replayLagSeconds) {
    }
}
