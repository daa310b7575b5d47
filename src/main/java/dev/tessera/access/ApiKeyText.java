package dev.tessera.access;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The text of an API key: {@code tsk_live_<prefix>_<secret>}, 12 and 52 characters of lowercase base32
 * (the prefix is 60 random bits and only finds the key; the secret is 256 random bits). The fixed
 * {@code tsk_live_} start is what secret scanners look for; base32 has no {@code _}, so the text splits
 * without ambiguity.
 */
public record ApiKeyText(String prefix, String text) {

    public static final String START = "tsk_live_";
    static final int PREFIX_LENGTH = 12;
    static final int SECRET_LENGTH = 52;
    static final int LENGTH = START.length() + PREFIX_LENGTH + 1 + SECRET_LENGTH;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Whether a bearer credential is meant as an API key (and so is never given to the OIDC verifier). */
    public static boolean looksLikeOne(String credential) {
        return credential.startsWith(START);
    }

    /** The key if {@code text} has the exact shape of one; empty for anything else. */
    public static Optional<ApiKeyText> parse(String text) {
        if (text.length() != LENGTH || !text.startsWith(START) || text.charAt(START.length() + PREFIX_LENGTH) != '_') {
            return Optional.empty();
        }
        for (int i = START.length(); i < LENGTH; i++) {
            if (i != START.length() + PREFIX_LENGTH && !isBase32(text.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(new ApiKeyText(text.substring(START.length(), START.length() + PREFIX_LENGTH), text));
    }

    /** A new random key. */
    public static ApiKeyText generate() {
        return withNewSecret(base32(8).substring(0, PREFIX_LENGTH));
    }

    /** The key with this prefix and a new random secret (a rotation). */
    public static ApiKeyText withNewSecret(String prefix) {
        return new ApiKeyText(prefix, START + prefix + "_" + base32(32));
    }

    /** What lists show of the key: its start and prefix, never the secret. */
    public static String shown(String prefix) {
        return START + prefix;
    }

    @Override
    public String toString() {
        return shown(prefix) + "_***";
    }

    private static boolean isBase32(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
    }

    private static String base32(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        StringBuilder out = new StringBuilder((bytes * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : random) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }
}
