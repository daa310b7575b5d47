package dev.tessera.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Message ids of the broker feed: a UUID version 5 (name-based, SHA-1) of a name that identifies the
 * event for good, so that an event published twice (after a crash) carries the same id both times.
 */
public final class EventIds {

    /** The namespace of every Tessera event id. */
    static final UUID NAMESPACE = UUID.fromString("6f1d3c0e-2a4b-5c8d-9e7f-0a1b2c3d4e5f");

    private EventIds() {
    }

    public static UUID of(String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
                    .putLong(NAMESPACE.getLeastSignificantBits()).array());
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new UUID(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
