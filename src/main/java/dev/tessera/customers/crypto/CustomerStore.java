package dev.tessera.customers.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.domain.Customer;
import dev.tessera.customers.domain.CustomerDraft;
import dev.tessera.customers.domain.Pii;
import dev.tessera.shared.paging.PageRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL of the customers table: the only place where pgcrypto is called. PII is encrypted and decrypted
 * by PostgreSQL in the same statement that writes or reads it; keys arrive as bind parameters only
 * (never in SQL text), and decryption picks each row's key by its key_version from a bound array.
 */
@ApplicationScoped
public class CustomerStore {

    static final String OPTIONS = "cipher-algo=aes256, s2k-mode=1";

    static final String COLUMNS = """
            public_id, display_name, marketing_consent, key_version, created_at, updated_at, deleted_at, deleted_by,
            erased_at,
            pgp_sym_decrypt(email_enc,   ($1::text[])[key_version]) AS email,
            pgp_sym_decrypt(phone_enc,   ($1::text[])[key_version]) AS phone,
            pgp_sym_decrypt(tax_id_enc,  ($1::text[])[key_version]) AS tax_id,
            pgp_sym_decrypt(address_enc, ($1::text[])[key_version]) AS address""";

    static final String INSERT = """
            WITH inserted AS (
                INSERT INTO customers (public_id, display_name, email_enc, phone_enc, tax_id_enc, address_enc,
                                       email_hmac, key_version, marketing_consent)
                VALUES ($2, $3,
                        pgp_sym_encrypt($4, $8, '%1$s'),
                        pgp_sym_encrypt($5, $8, '%1$s'),
                        pgp_sym_encrypt($6, $8, '%1$s'),
                        pgp_sym_encrypt($7, $8, '%1$s'),
                        $9, $10, $11)
                RETURNING *
            )
            SELECT %2$s FROM inserted
            """.formatted(OPTIONS, COLUMNS);

    static final String FIND = """
            SELECT %s
              FROM customers
             WHERE public_id = $2
            """.formatted(COLUMNS);

    static final String LIST = """
            SELECT %s
              FROM customers
             WHERE ($2::uuid IS NULL OR public_id > $2)
               AND ($3::bytea[] IS NULL OR email_hmac = ANY ($3))
               AND ($4 OR deleted_at IS NULL)
             ORDER BY public_id
             LIMIT $5
            """.formatted(COLUMNS);

    /** Rewrites every PII column under the current key (a row never mixes key versions). */
    static final String UPDATE = """
            WITH updated AS (
                UPDATE customers
                   SET display_name      = $3,
                       email_enc         = pgp_sym_encrypt($4, $8, '%1$s'),
                       phone_enc         = pgp_sym_encrypt($5, $8, '%1$s'),
                       tax_id_enc        = pgp_sym_encrypt($6, $8, '%1$s'),
                       address_enc       = pgp_sym_encrypt($7, $8, '%1$s'),
                       email_hmac        = $9,
                       key_version       = $10,
                       marketing_consent = $11,
                       updated_at        = now()
                 WHERE public_id = $2
                   AND deleted_at IS NULL
                   AND erased_at IS NULL
                RETURNING *
            )
            SELECT %2$s FROM updated
            """.formatted(OPTIONS, COLUMNS);

    static final String SOFT_DELETE = """
            UPDATE customers
               SET deleted_at = now(),
                   deleted_by = $2,
                   updated_at = now()
             WHERE public_id  = $1
               AND deleted_at IS NULL
            """;

    static final String RESTORE = """
            UPDATE customers
               SET deleted_at = NULL,
                   deleted_by = NULL,
                   updated_at = now()
             WHERE public_id = $1
               AND deleted_at IS NOT NULL
            """;

    /** Erasure: the ciphertext and the blind index are gone for good; the row stays for references. */
    static final String ERASE = """
            UPDATE customers
               SET display_name      = 'Erased customer',
                   email_enc         = NULL,
                   phone_enc         = NULL,
                   tax_id_enc        = NULL,
                   address_enc       = NULL,
                   email_hmac        = NULL,
                   marketing_consent = false,
                   erased_at         = now(),
                   updated_at        = now()
             WHERE public_id = $1
               AND erased_at IS NULL
            """;

    /**
     * Moves up to $3 rows of older versions to the current key; plaintext exists only inside PostgreSQL.
     * The batch is locked and materialised first: with "WHERE id IN (SELECT ... LIMIT n)" a concurrent
     * update makes PostgreSQL re-check the subquery and the batch can grow past n (seen in the test).
     */
    static final String REENCRYPT = """
            WITH batch AS MATERIALIZED (
                SELECT id
                  FROM customers
                 WHERE key_version < $4
                 ORDER BY id
                 LIMIT $3
                   FOR UPDATE SKIP LOCKED
            )
            UPDATE customers c
               SET email_enc   = pgp_sym_encrypt(pgp_sym_decrypt(c.email_enc,   ($1::text[])[c.key_version]), $2, '%1$s'),
                   phone_enc   = pgp_sym_encrypt(pgp_sym_decrypt(c.phone_enc,   ($1::text[])[c.key_version]), $2, '%1$s'),
                   tax_id_enc  = pgp_sym_encrypt(pgp_sym_decrypt(c.tax_id_enc,  ($1::text[])[c.key_version]), $2, '%1$s'),
                   address_enc = pgp_sym_encrypt(pgp_sym_decrypt(c.address_enc, ($1::text[])[c.key_version]), $2, '%1$s'),
                   key_version = $4
              FROM batch
             WHERE c.id = batch.id
            """.formatted(OPTIONS);

    // The batch is locked and materialised first, so that it cannot grow past $2 (see REENCRYPT) and
    // a row restored meanwhile is skipped, not purged.
    static final String PURGE = """
            WITH batch AS MATERIALIZED (
                SELECT id
                  FROM customers
                 WHERE deleted_at < $1
                 ORDER BY deleted_at
                 LIMIT $2
                   FOR UPDATE SKIP LOCKED
            )
            DELETE FROM customers t
             USING batch
             WHERE t.id = batch.id
            """;

    private final MeterRegistry metrics;

    CustomerStore(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public Uni<Customer> insert(SqlConnection conn, DataKeys keys, UUID id, CustomerDraft d) {
        Pii p = d.pii();
        Tuple args = Tuple.tuple().addArrayOfString(keys.passphrasesByVersion()).addUUID(id).addString(d.displayName())
                .addString(p.email()).addString(p.phone()).addString(p.taxId()).addString(p.address())
                .addString(keys.currentPassphrase()).addValue(Buffer.buffer(keys.emailIndex(p.email())))
                .addInteger(keys.currentVersion()).addBoolean(Boolean.TRUE.equals(d.marketingConsent()));
        count("encrypt");
        return conn.preparedQuery(INSERT).execute(args).map(rows -> toCustomer(rows.iterator().next()));
    }

    public Uni<Optional<Customer>> find(SqlConnection conn, DataKeys keys, UUID id) {
        count("decrypt");
        return conn.preparedQuery(FIND).execute(Tuple.of(keys.passphrasesByVersion(), id)).map(CustomerStore::first);
    }

    /** Up to limit + 1 rows; {@code email}, if given, matches exactly (case-insensitive) through the blind index. */
    public Uni<List<Customer>> list(SqlConnection conn, DataKeys keys, PageRequest page, String email,
            boolean includeDeleted) {
        Buffer[] hashes = email == null ? null
                : keys.emailIndexes(email).stream().map(Buffer::buffer).toArray(Buffer[]::new);
        Tuple args = Tuple.tuple().addArrayOfString(keys.passphrasesByVersion()).addValue(page.after())
                .addValue(hashes).addBoolean(includeDeleted).addInteger(page.limit() + 1);
        count("decrypt");
        return conn.preparedQuery(LIST).execute(args).map(rows -> {
            List<Customer> out = new ArrayList<>();
            rows.forEach(r -> out.add(toCustomer(r)));
            return out;
        });
    }

    public Uni<Optional<Customer>> update(SqlConnection conn, DataKeys keys, UUID id, String displayName, Pii p,
            boolean consent) {
        Tuple args = Tuple.tuple().addArrayOfString(keys.passphrasesByVersion()).addUUID(id).addString(displayName)
                .addString(p.email()).addString(p.phone()).addString(p.taxId()).addString(p.address())
                .addString(keys.currentPassphrase()).addValue(p.email() == null ? null : Buffer.buffer(keys.emailIndex(p.email())))
                .addInteger(keys.currentVersion()).addBoolean(consent);
        count("encrypt");
        return conn.preparedQuery(UPDATE).execute(args).map(CustomerStore::first);
    }

    public Uni<Boolean> softDelete(SqlConnection conn, UUID id, String actor) {
        return conn.preparedQuery(SOFT_DELETE).execute(Tuple.of(id, actor)).map(r -> r.rowCount() == 1);
    }

    public Uni<Boolean> restore(SqlConnection conn, UUID id) {
        return conn.preparedQuery(RESTORE).execute(Tuple.of(id)).map(r -> r.rowCount() == 1);
    }

    public Uni<Boolean> erase(SqlConnection conn, UUID id) {
        return conn.preparedQuery(ERASE).execute(Tuple.of(id)).map(r -> r.rowCount() == 1);
    }

    /** One rotation batch; returns how many rows moved to the current key version. */
    public Uni<Integer> reencrypt(SqlConnection conn, DataKeys keys, int limit) {
        count("reencrypt");
        return conn.preparedQuery(REENCRYPT).execute(Tuple.tuple().addArrayOfString(keys.passphrasesByVersion())
                .addString(keys.currentPassphrase()).addInteger(limit).addInteger(keys.currentVersion()))
                .map(RowSet::rowCount);
    }

    public Uni<Long> countOlderThan(SqlConnection conn, int version) {
        return conn.preparedQuery("SELECT count(*) AS n FROM customers WHERE key_version < $1").execute(Tuple.of(version))
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    public Uni<Integer> purge(SqlConnection conn, java.time.OffsetDateTime cutoff, int limit) {
        return conn.preparedQuery(PURGE).execute(Tuple.of(cutoff, limit)).map(RowSet::rowCount);
    }

    void count(String operation) {
        metrics.counter("tessera.crypto.operations", "operation", operation).increment();
    }

    private static Optional<Customer> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(toCustomer(it.next())) : Optional.empty();
    }

    static Customer toCustomer(Row r) {
        return new Customer(r.getUUID("public_id"), r.getString("display_name"),
                new Pii(r.getString("email"), r.getString("phone"), r.getString("tax_id"), r.getString("address")),
                r.getBoolean("marketing_consent"), r.getInteger("key_version"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("updated_at"), r.getOffsetDateTime("deleted_at"), r.getString("deleted_by"),
                r.getOffsetDateTime("erased_at"));
    }
}
