package dev.tessera.orders.publication;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.core.json.JsonObject;

/**
 * A committed order event as the relay reads it: the event, its place in the feed ({@code txid},
 * {@code position}), and whether the event before it in its order (version - 1) is already published.
 */
public record FeedEvent(UUID orderId, int version, String type, JsonObject payload, JsonObject metadata,
        OffsetDateTime recordedAt, long txid, long position, boolean predecessorPublished) {

    /** The feed's cursor just after this event. */
    public Cursor cursor() {
        return new Cursor(txid, position);
    }

    /** Where a tenant's feed stands: every event up to and including (txid, position) is published. */
    public record Cursor(long txid, long position) {
        public static final Cursor START = new Cursor(0, 0);
    }
}
