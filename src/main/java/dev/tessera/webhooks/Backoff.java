package dev.tessera.webhooks;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again: exponential backoff with jitter, for the retry period. The n-th
 * retry waits {@code initial * 2^(n-1)}, at most {@code max}, of which a random half to all ("equal
 * jitter"): endpoints that failed together do not get their retries together.
 */
public record Backoff(Duration initial, Duration max, Duration period) {

    /** Null if the delivery, created at {@code created} and failed {@code attempts} times now, is dead; else when to try again. */
    public OffsetDateTime next(OffsetDateTime created, int attempts, OffsetDateTime now) {
        if (!now.isBefore(created.plus(period))) {
            return null;
        }
        long delay = delayMillis(attempts);
        long half = delay / 2;
        return now.plus(Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(delay - half + 1)));
    }

    /** The delay before the next attempt after {@code attempts} failures, before jitter. */
    long delayMillis(int attempts) {
        long delay = Math.max(1, initial.toMillis());
        for (int i = 1; i < attempts && delay < max.toMillis(); i++) {
            delay *= 2;
        }
        return Math.min(delay, max.toMillis());
    }
}
