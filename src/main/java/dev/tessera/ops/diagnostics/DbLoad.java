package dev.tessera.ops.diagnostics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The two load signals behind the readiness warning: connection use and the oldest open transaction. */
public record DbLoad(long connections, int maxConnections, double longestTransactionSeconds) {

    /** Above this share of max_connections new connections may soon be refused. */
    public static final double CONNECTION_WARNING_RATIO = 0.8;

    /** Whether the connections in use pass 80 % of max_connections. */
    public static boolean connectionsHigh(long inUse, int max) {
        return inUse > CONNECTION_WARNING_RATIO * max;
    }

    /** The reasons for a warning, empty when there is none. */
    public List<String> warnings(Duration longTransactionThreshold) {
        List<String> reasons = new ArrayList<>();
        if (connectionsHigh(connections, maxConnections)) {
            reasons.add(String.format(Locale.ROOT, "%d of max_connections=%d connections in use (over 80%%)",
                    connections, maxConnections));
        }
        if (longestTransactionSeconds > longTransactionThreshold.toMillis() / 1000.0) {
            reasons.add(String.format(Locale.ROOT, "a transaction has been open for %.0f s (threshold %d s)",
                    longestTransactionSeconds, longTransactionThreshold.toSeconds()));
        }
        return reasons;
    }
}
