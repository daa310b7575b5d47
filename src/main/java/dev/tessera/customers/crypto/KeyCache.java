package dev.tessera.customers.crypto;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Unwrapped tenant keys in memory for tessera.crypto.key-cache-ttl (0 keeps nothing): each version, so
 * that a key is unwrapped once, and each tenant's whole key set, so that a read needs no keystore query.
 *
 * <p>A cached set may be older than the keystore when another replica rotated: readers detect a row
 * of a version the set lacks ({@link StaleKeys}) and reload. Writes never use the cached set (they read
 * the keystore in their transaction), so nothing is ever written under a version that is being retired.
 */
@ApplicationScoped
class KeyCache {

    private record Entry<T>(T value, Instant expires) {
        boolean live() {
            return expires.isAfter(Instant.now());
        }
    }

    private final CryptoConfig config;
    private final Map<String, Entry<byte[][]>> unwrapped = new ConcurrentHashMap<>();
    private final Map<UUID, Entry<DataKeys>> sets = new ConcurrentHashMap<>();

    KeyCache(CryptoConfig config) {
        this.config = config;
    }

    Optional<DataKeys> set(UUID tenant) {
        Entry<DataKeys> e = sets.get(tenant);
        return e != null && e.live() ? Optional.of(e.value()) : Optional.empty();
    }

    void putSet(UUID tenant, DataKeys keys) {
        sets.put(tenant, new Entry<>(keys, Instant.now().plus(config.keyCacheTtl())));
    }

    /** The unwrapped keys of one version, unwrapping (and keeping) them if they are not here yet. */
    byte[][] version(UUID tenant, int version, Supplier<byte[][]> unwrap) {
        String key = tenant + ":" + version;
        Entry<byte[][]> e = unwrapped.get(key);
        if (e != null && e.live()) {
            return e.value();
        }
        byte[][] keys = unwrap.get();
        unwrapped.put(key, new Entry<>(keys, Instant.now().plus(config.keyCacheTtl())));
        return keys;
    }

    void evict(UUID tenant) {
        sets.remove(tenant);
        unwrapped.keySet().removeIf(k -> k.startsWith(tenant + ":"));
    }

    void evictExpired() {
        sets.values().removeIf(e -> !e.live());
        unwrapped.values().removeIf(e -> !e.live());
    }
}
