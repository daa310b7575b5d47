package dev.tessera.customers.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * A tenant's unwrapped keys, by version: what one transaction needs to encrypt with the current
 * version and decrypt rows of any version. Never logged (no toString of key material).
 */
public final class DataKeys {

    private final SortedMap<Integer, byte[][]> byVersion; // version -> {data key, hmac key}

    DataKeys(SortedMap<Integer, byte[][]> byVersion) {
        this.byVersion = byVersion;
    }

    public int currentVersion() {
        return byVersion.lastKey();
    }

    /** Whether this set holds the key of a version (rows of a version it lacks cannot be decrypted with it). */
    boolean has(int version) {
        return byVersion.containsKey(version);
    }

    /** The pgcrypto passphrase of the current version (hex of the 32-byte data key). */
    String currentPassphrase() {
        return HexFormat.of().formatHex(byVersion.get(currentVersion())[0]);
    }

    /** Passphrases indexed by version (1-based SQL array), for decrypting rows of any version in one statement. */
    String[] passphrasesByVersion() {
        String[] out = new String[currentVersion()];
        byVersion.forEach((v, k) -> out[v - 1] = HexFormat.of().formatHex(k[0]));
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                out[i] = "";
            }
        }
        return out;
    }

    /**
     * Blind index of an email. It always uses the HMAC key of the tenant's first version: rotating the
     * data keys re-encrypts ciphertext but leaves the index (and so lookups and uniqueness) stable.
     */
    byte[] emailIndex(String email) {
        return emailIndex(email, byVersion.firstKey());
    }

    List<byte[]> emailIndexes(String email) {
        return List.of(emailIndex(email));
    }

    private byte[] emailIndex(String email, int version) {
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        return MasterKey.hmac(byVersion.get(version)[1], normalized.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "DataKeys[versions=" + byVersion.keySet() + "]";
    }
}
