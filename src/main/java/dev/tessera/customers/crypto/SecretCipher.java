package dev.tessera.customers.crypto;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * pgcrypto for a tenant's small secrets other than customer PII (webhook signing secrets): encrypted
 * under the tenant's current data key, decrypted with the key of the version each was written with.
 * Destroying the tenant's keys makes them unreadable, in backups too, like the PII.
 */
@ApplicationScoped
public class SecretCipher {

    static final String ENCRYPT = "SELECT pgp_sym_encrypt($1, $2) AS enc";

    static final String DECRYPT = """
            SELECT pgp_sym_decrypt(s.enc, ($2::text[])[s.version]) AS secret
              FROM unnest($1::bytea[], $3::int[]) WITH ORDINALITY AS s (enc, version, n)
             ORDER BY s.n
            """;

    /** The ciphertext of {@code secret} under the current version of {@code keys}. */
    public Uni<byte[]> encrypt(SqlConnection conn, DataKeys keys, String secret) {
        return conn.preparedQuery(ENCRYPT).execute(Tuple.of(secret, keys.currentPassphrase()))
                .map(rows -> rows.iterator().next().getBuffer("enc").getBytes());
    }

    /** The clear text of each ciphertext, in order; {@code versions.get(i)} is the key version of {@code ciphertexts.get(i)}. */
    public Uni<List<String>> decrypt(SqlConnection conn, DataKeys keys, List<byte[]> ciphertexts, List<Integer> versions) {
        if (ciphertexts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Buffer[] enc = ciphertexts.stream().map(Buffer::buffer).toArray(Buffer[]::new);
        return conn.preparedQuery(DECRYPT).execute(Tuple.of(enc, keys.passphrasesByVersion(), versions.toArray(Integer[]::new)))
                .map(rows -> {
                    List<String> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(r.getString("secret")));
                    return out;
                });
    }
}
