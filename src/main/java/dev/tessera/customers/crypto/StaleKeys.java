package dev.tessera.customers.crypto;

/**
 * A row was written under a key version that the key set in hand does not hold: the set is older than
 * the keystore (another replica rotated since it was cached), or the keystore lost versions. The
 * caller reloads the keys; if the fresh set still lacks the version, the keys are missing
 * ({@link TenantKeys#missing}).
 */
public final class StaleKeys extends RuntimeException {

    StaleKeys() {
        super("A row uses a key version this key set does not hold", null, false, false);
    }
}
