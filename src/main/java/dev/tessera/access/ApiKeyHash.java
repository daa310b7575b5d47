package dev.tessera.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

/**
 * HMAC-SHA256 of a whole key under the pepper ({@code tessera.api-keys.pepper}). A keyed fast hash is the
 * right tool for a 256-bit random secret: there is nothing to guess that a slow password hash would slow
 * down, and every request pays for the check. Comparisons take the same time whatever the bytes
 * ({@link MessageDigest#isEqual}).
 */
@Startup
@Singleton
public class ApiKeyHash {

    private final SecretKeySpec pepper;

    ApiKeyHash(ApiKeysConfig config) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(config.pepper().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("tessera.api-keys.pepper (TESSERA_API_KEY_PEPPER) is not base64");
        }
        if (bytes.length < 32) {
            throw new IllegalStateException(
                    "tessera.api-keys.pepper (TESSERA_API_KEY_PEPPER) must be at least 32 random bytes: openssl rand -base64 32");
        }
        this.pepper = new SecretKeySpec(bytes, "HmacSHA256");
    }

    public byte[] of(ApiKeyText key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return mac.doFinal(key.text().getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code hash} is the hash of the key; in time independent of where the bytes differ. */
    static boolean matches(byte[] computed, byte[] stored) {
        return stored != null && MessageDigest.isEqual(computed, stored);
    }
}
