package dev.tessera.customers.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

/**
 * The key-encryption key: wraps and unwraps tenant data keys with AES-256-GCM, binding each wrapped
 * key to its tenant, version and purpose (associated data), so a wrapped key cannot be moved elsewhere.
 */
@Singleton
public class MasterKey {

    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    MasterKey(CryptoConfig config) {
        String encoded = config.masterKey().filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "Refusing to start: no master key. Set TESSERA_MASTER_KEY to base64 of 32 random bytes "
                        + "(openssl rand -base64 32), from a Kubernetes Secret in production."));
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Refusing to start: TESSERA_MASTER_KEY is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("Refusing to start: TESSERA_MASTER_KEY must decode to 32 bytes, not "
                    + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public byte[] wrap(byte[] plain, String context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Key wrapping failed", e);
        }
    }

    public byte[] unwrap(byte[] wrapped, String context) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, wrapped, 0, IV_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(wrapped, IV_BYTES, wrapped.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            // Never say more: the message may reach a log.
            throw new IllegalStateException("A tenant key could not be unwrapped with the configured master key");
        }
    }

    /** HMAC of a constant: identifies the master key without revealing it. */
    public byte[] checkValue() {
        return hmac(key.getEncoded(), "tessera-master-key-check".getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] k, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC failed", e);
        }
    }

    static byte[] randomKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }
}
