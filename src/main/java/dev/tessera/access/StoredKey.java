package dev.tessera.access;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/** What authentication needs of a key: found by its prefix, whatever its tenant (tessera.api_key_by_prefix). */
public record StoredKey(UUID id, UUID tenantId, Set<String> roles, byte[] secretHash, byte[] previousSecretHash,
        OffsetDateTime previousValidUntil, OffsetDateTime expiresAt, OffsetDateTime revokedAt) {

    /** Whether {@code hash} opens this key at {@code now}: not revoked, not expired, the secret or the previous one in its grace period. */
    boolean opensWith(byte[] hash, OffsetDateTime now) {
        // Both comparisons always run: the time taken does not tell which secret (if any) matched.
        boolean current = ApiKeyHash.matches(hash, secretHash);
        boolean previous = ApiKeyHash.matches(hash, previousSecretHash) && previousValidUntil != null
                && now.isBefore(previousValidUntil);
        return (current | previous) && revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
