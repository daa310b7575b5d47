package dev.tessera.customers.crypto;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL of key rotation: moves rows to the current key version and, on the way, rows still in the old
 * four-column format into pii_enc. So a rotation is also how rows written before tenant V007 are
 * migrated; plaintext exists only inside PostgreSQL.
 */
@ApplicationScoped
public class CustomerReencryption {

    /**
     * A row to move: older key version, or the current one but still in the old format. Never a row of
     * a newer version than the keys given: its key would be NULL and its PII rewritten as NULL.
     */
    static final String PENDING = """
            key_version < $%1$d
               OR (key_version = $%1$d AND pii_enc IS NULL
                   AND num_nonnulls(email_enc, phone_enc, tax_id_enc, address_enc) > 0)""";

    /**
     * Moves up to $3 pending rows to the current key ($2, version $4). The batch is locked and
     * materialised first: with "WHERE id IN (SELECT ... LIMIT n)" a concurrent update makes PostgreSQL
     * re-check the subquery and the batch can grow past n (seen in the test). json_build_object writes
     * the shape of {@link PiiDocument} (its escaping is JSON's, so any string survives); an erased row
     * (no ciphertext at all) gets NULL, and only its version moves, so that the old version can retire.
     */
    static final String REENCRYPT = """
            WITH batch AS MATERIALIZED (
                SELECT id
                  FROM customers
                 WHERE %2$s
                 ORDER BY id
                 LIMIT $3
                   FOR UPDATE SKIP LOCKED
            )
            UPDATE customers c
               SET pii_enc     = pgp_sym_encrypt(CASE
                                     WHEN c.pii_enc IS NOT NULL
                                     THEN pgp_sym_decrypt(c.pii_enc, ($1::text[])[c.key_version])
                                     WHEN num_nonnulls(c.email_enc, c.phone_enc, c.tax_id_enc, c.address_enc) > 0
                                     THEN json_build_object(
                                              'email',   pgp_sym_decrypt(c.email_enc,   ($1::text[])[c.key_version]),
                                              'phone',   pgp_sym_decrypt(c.phone_enc,   ($1::text[])[c.key_version]),
                                              'taxId',   pgp_sym_decrypt(c.tax_id_enc,  ($1::text[])[c.key_version]),
                                              'address', pgp_sym_decrypt(c.address_enc, ($1::text[])[c.key_version]))::text
                                 END, $2, '%1$s'),
                   email_enc   = NULL,
                   phone_enc   = NULL,
                   tax_id_enc  = NULL,
                   address_enc = NULL,
                   key_version = $4
              FROM batch
             WHERE c.id = batch.id
            """.formatted(CustomerRows.OPTIONS, PENDING.formatted(4));

    static final String COUNT_PENDING = "SELECT count(*) AS n FROM customers WHERE " + PENDING.formatted(1);

    private final CustomerStore store;

    CustomerReencryption(CustomerStore store) {
        this.store = store;
    }

    /** One rotation batch; returns how many rows moved to the current key version (and format). */
    public Uni<Integer> reencrypt(SqlConnection conn, DataKeys keys, int limit) {
        store.count("reencrypt");
        return conn.preparedQuery(REENCRYPT).execute(Tuple.tuple().addArrayOfString(keys.passphrasesByVersion())
                .addString(keys.currentPassphrase()).addInteger(limit).addInteger(keys.currentVersion()))
                .map(RowSet::rowCount);
    }

    /** Rows that a rotation to {@code version} still has to move (older version, or old format). */
    public Uni<Long> countPending(SqlConnection conn, int version) {
        return conn.preparedQuery(COUNT_PENDING).execute(Tuple.of(version))
                .map(rows -> rows.iterator().next().getLong("n"));
    }
}
