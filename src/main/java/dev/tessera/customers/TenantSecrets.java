package dev.tessera.customers;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.crypto.SecretCipher;
import dev.tessera.customers.crypto.TenantKeys;
import dev.tessera.tenancy.TenantContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Encrypts and decrypts a tenant's secrets (webhook signing secrets) under the tenant's data keys, inside
 * the caller's tenant transaction: the envelope of the customer PII (docs/design/encryption-and-keys.md),
 * so that crypto-shredding the tenant's keys destroys these secrets too.
 */
@ApplicationScoped
public class TenantSecrets {

    private final TenantKeys keys;
    private final SecretCipher cipher;

    TenantSecrets(TenantKeys keys, SecretCipher cipher) {
        this.keys = keys;
        this.cipher = cipher;
    }

    /** {@code secret} encrypted under the tenant's current key version. */
    public Uni<Sealed> seal(SqlConnection conn, TenantContext tenant, String secret) {
        return keys.forTenant(conn, tenant).flatMap(k -> cipher.encrypt(conn, k, secret)
                .map(enc -> new Sealed(enc, k.currentVersion())));
    }

    /** The clear text of each sealed secret, in order. */
    public Uni<List<String>> open(SqlConnection conn, TenantContext tenant, List<Sealed> sealed) {
        if (sealed.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return keys.forTenant(conn, tenant).flatMap(k -> cipher.decrypt(conn, k,
                sealed.stream().map(Sealed::ciphertext).toList(), sealed.stream().map(Sealed::keyVersion).toList()));
    }

    /** A secret's ciphertext and the version of the tenant key it was written with. */
    public record Sealed(byte[] ciphertext, int keyVersion) {
    }
}
