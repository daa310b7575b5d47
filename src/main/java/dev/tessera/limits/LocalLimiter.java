package dev.tessera.limits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same GCRA as Redis's script (limits/gcra.lua), in this instance's memory: what each instance
 * enforces while Redis does not answer. Each instance sees its own requests only, so the caller divides
 * every rate by the number of replicas it expects ({@code tessera.limits.fallback-replicas}). Bounded:
 * the least recently used buckets are dropped past {@code tessera.limits.local-max-keys} (a dropped
 * bucket starts full again).
 */
final class LocalLimiter {

    private final Map<String, Long> tats;

    LocalLimiter(int maxKeys) {
        this.tats = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Admits the request if every bucket admits it, and then counts it against every bucket. */
    synchronized Decision check(List<Bucket> buckets, long nowMicros) {
        long wait = 0;
        long[] next = new long[buckets.size()];
        List<Decision.PolicyState> states = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            long interval = b.rate().intervalMicros();
            long tat = Math.max(tats.getOrDefault(b.key(), nowMicros), nowMicros);
            long newTat = tat + interval;
            long allowAt = newTat - b.rate().burst() * interval;
            if (nowMicros < allowAt) {
                wait = Math.max(wait, allowAt - nowMicros);
                states.add(new Decision.PolicyState(b.policy(), b.rate(), 0, tat - nowMicros, true));
            } else {
                next[i] = newTat;
                states.add(new Decision.PolicyState(b.policy(), b.rate(), (nowMicros - allowAt) / interval,
                        newTat - nowMicros, false));
            }
        }
        if (wait == 0) {
            for (int i = 0; i < buckets.size(); i++) {
                tats.put(buckets.get(i).key(), next[i]);
            }
        }
        return new Decision(wait == 0, wait, List.copyOf(states), false);
    }

    synchronized int size() {
        return tats.size();
    }
}
