package dev.tessera.customers.crypto;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL of key rotation: moves rows to the current key version and, on the way, rows still in the old
 * four-column format into pii_enc, and clear names into the document. So a rotation is also how rows
 * written before tenant V007 and V014 are migrated; plaintext exists only inside PostgreSQL.
 */
@ApplicationScoped
public class CustomerReencryption {

    /**
     * A row to move: older key version, or the current one but still in the old format or with its name
     * in clear (written before tenant V014). Never a row of a newer version than the keys given: its key
     * would be NULL and its PII rewritten as NULL.
     */
    static final String PENDING = """
            key_version < $%1$d
               OR (key_version = $%1$d AND pii_enc IS NULL
                   AND num_nonnulls(email_enc, phone_enc, tax_id_enc, address_enc) > 0)
               OR (key_version = $%1$d AND display_name IS NOT NULL AND erased_at IS NULL)""";

    /**
     * Moves up to $3 pending rows to the current key ($2, version $4), and a clear name into the document.
     * The batch is locked and materialised first: with "WHERE id IN (SELECT ... LIMIT n)" a concurrent
     * update makes PostgreSQL re-check the subquery and the batch can grow past n (seen in the test).
     * json_build_object writes the shape of {@link PiiDocument} (its escaping is JSON's, so any string
     * survives); a clear name is appended to the document as text (a cast to jsonb would refuse a
     * {@code \u0000} escape that the text may hold). An erased row (no ciphertext at all) gets NULL and
     * keeps its fixed name, and only its version moves, so that the old version can retire.
     */
    static final String REENCRYPT = """
            WITH batch AS MATERIALIZED (
                SELECT id, display_name, erased_at,
                       CASE WHEN pii_enc IS NOT NULL
                            THEN pgp_sym_decrypt(pii_enc, ($1::text[])[key_version])
                            WHEN num_nonnulls(email_enc, phone_enc, tax_id_enc, address_enc) > 0
                            THEN json_build_object(
                                     'email',   pgp_sym_decrypt(email_enc,   ($1::text[])[key_version]),
                                     'phone',   pgp_sym_decrypt(phone_enc,   ($1::text[])[key_version]),
                                     'taxId',   pgp_sym_decrypt(tax_id_enc,  ($1::text[])[key_version]),
                                     'address', pgp_sym_decrypt(address_enc, ($1::text[])[key_version]))::text
                       END AS document
                  FROM customers
                 WHERE %2$s
                 ORDER BY id
                 LIMIT $3
                   FOR UPDATE SKIP LOCKED
            )
            UPDATE customers c
               SET pii_enc      = pgp_sym_encrypt(CASE
                                      WHEN batch.erased_at IS NOT NULL OR batch.display_name IS NULL
                                      THEN batch.document
                                      WHEN batch.document IS NULL
                                      THEN json_build_object('name', batch.display_name)::text
                                      ELSE left(batch.document, -1) || ',"name":' || to_json(batch.display_name)::text || '}'
                                  END, $2, '%1$s'),
                   display_name = CASE WHEN batch.erased_at IS NULL THEN NULL ELSE c.display_name END,
                   email_enc    = NULL,
                   phone_enc    = NULL,
                   tax_id_enc   = NULL,
                   address_enc  = NULL,
                   key_version  = $4
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
