package dev.tessera.customers.crypto;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.domain.Customer;
import dev.tessera.customers.domain.CustomerDraft;
import dev.tessera.customers.domain.Pii;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.shared.sql.CustomPlans;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL of the customers table: the only place (with its siblings in this package) where pgcrypto is
 * called. PII is encrypted and decrypted by PostgreSQL in the same statement that writes or reads it,
 * as one JSON message per row ({@link PiiDocument}); keys arrive as bind parameters only (never in SQL
 * text), and decryption picks each row's key by its key_version from a bound array.
 */
@ApplicationScoped
public class CustomerStore {

    /**
     * Writes return the row without decrypting it again: the name and PII are what the statement was
     * given. The name travels inside pii_enc (tenant V014); display_name stays NULL.
     */
    static final String INSERT = """
            INSERT INTO customers (public_id, pii_enc, email_hmac, key_version, marketing_consent)
            VALUES ($1, pgp_sym_encrypt($2, $3, '%s'), $4, $5, $6)
            RETURNING %s
            """.formatted(CustomerRows.OPTIONS, CustomerRows.META);

    // The customer quota's lock and count: see ProductRepository.LOCK_QUOTA (the same rule, its own lock).
    static final String LOCK_QUOTA = """
            SELECT pg_advisory_xact_lock(hashtextextended('tessera.quota.customers:' || current_setting('app.tenant_id'), 0))
            """;

    static final String COUNT_LIVE = """
            SELECT count(*) AS n
              FROM customers
             WHERE deleted_at IS NULL
            """;

    static final String FIND = """
            SELECT %s
              FROM customers
             WHERE public_id = $2
            """.formatted(CustomerRows.COLUMNS);

    static final String LIST = """
            SELECT %s
              FROM customers
             WHERE ($2::uuid IS NULL OR public_id > $2)
               AND ($3::bytea[] IS NULL OR email_hmac = ANY ($3))
               AND ($4 OR deleted_at IS NULL)
             ORDER BY public_id
             LIMIT $5
            """.formatted(CustomerRows.COLUMNS);

    /** Rewrites the name and all PII in the new format under the current key (a row never mixes versions or formats). */
    // The name and PII are encrypted by a statement of its own and the UPDATE gets the ciphertext: Citus
    // refuses a volatile function (pgp_sym_encrypt) in an UPDATE of a distributed table, even routed to one shard.
    static final String ENCRYPT = """
            SELECT pgp_sym_encrypt($1, $2, '%s') AS pii_enc
            """.formatted(CustomerRows.OPTIONS);

    static final String UPDATE = """
            UPDATE customers
               SET display_name      = NULL,
                   pii_enc           = $2,
                   email_enc         = NULL,
                   phone_enc         = NULL,
                   tax_id_enc        = NULL,
                   address_enc       = NULL,
                   email_hmac        = $3,
                   key_version       = $4,
                   marketing_consent = $5,
                   updated_at        = now()
             WHERE public_id = $1
               AND tenant_id = $6
               AND deleted_at IS NULL
               AND erased_at IS NULL
            RETURNING %s
            """.formatted(CustomerRows.META);

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

    /** Erasure: the ciphertext (either format) and the blind index are gone for good; the row stays. */
    static final String ERASE = """
            UPDATE customers
               SET display_name      = 'Erased customer',
                   pii_enc           = NULL,
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

    // The batch is locked and materialised first, so that it cannot grow past $2 (see
    // CustomerReencryption) and a row restored meanwhile is skipped, not purged.
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

    /** Crypto-shredding: the clear names rows written before tenant V014 still hold (erased rows keep their fixed name). */
    static final String FORGET_CLEAR_NAMES = """
            UPDATE customers
               SET display_name = NULL
             WHERE display_name IS NOT NULL
               AND erased_at IS NULL
            """;

    private final MeterRegistry metrics;

    CustomerStore(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /**
     * The tenant's live customers, counted under its quota lock (held until the transaction ends): call it
     * in the writing transaction, before the write it guards.
     */
    public Uni<Long> lockAndCountLive(SqlConnection conn) {
        return conn.preparedQuery(LOCK_QUOTA).execute()
                .chain(() -> conn.preparedQuery(COUNT_LIVE).execute())
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    public Uni<Customer> insert(SqlConnection conn, DataKeys keys, UUID id, CustomerDraft d) {
        Pii p = d.pii();
        Tuple args = Tuple.tuple().addUUID(id).addString(PiiDocument.of(d.displayName(), p))
                .addString(keys.currentPassphrase()).addValue(Buffer.buffer(keys.emailIndex(p.email())))
                .addInteger(keys.currentVersion()).addBoolean(Boolean.TRUE.equals(d.marketingConsent()));
        count("encrypt");
        return conn.preparedQuery(INSERT).execute(args)
                .map(rows -> CustomerRows.withPii(rows.iterator().next(), d.displayName(), p));
    }

    /** The customer, if any; fails with {@link StaleKeys} if its row uses a version {@code keys} lacks. */
    public Uni<Optional<Customer>> find(SqlConnection conn, DataKeys keys, UUID id) {
        count("decrypt");
        return conn.preparedQuery(FIND).execute(Tuple.of(keys.passphrasesByVersion(), id)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(CustomerRows.decrypted(it.next(), keys)) : Optional.empty();
        });
    }

    /** Up to limit + 1 rows; {@code email}, if given, matches exactly (case-insensitive) through the blind index. */
    public Uni<List<Customer>> list(SqlConnection conn, DataKeys keys, PageRequest page, String email,
            boolean includeDeleted) {
        Buffer[] hashes = email == null ? null
                : keys.emailIndexes(email).stream().map(Buffer::buffer).toArray(Buffer[]::new);
        Tuple args = Tuple.tuple().addArrayOfString(keys.passphrasesByVersion()).addValue(page.after())
                .addValue(hashes).addBoolean(includeDeleted).addInteger(page.limit() + 1);
        count("decrypt");
        return CustomPlans.execute(conn, LIST, args).map(rows -> {
            List<Customer> out = new ArrayList<>();
            rows.forEach(r -> out.add(CustomerRows.decrypted(r, keys)));
            return out;
        });
    }

    /**
     * Rewrites a customer's PII under the current key: encrypted first, then written (two dependent
     * statements; see {@link #ENCRYPT}). The tenant is named as well as checked by RLS, so that on Citus
     * the UPDATE goes to one shard.
     */
    public Uni<Optional<Customer>> update(SqlConnection conn, DataKeys keys, UUID tenant, UUID id, String displayName, Pii p,
            boolean consent) {
        Buffer hmac = p.email() == null ? null : Buffer.buffer(keys.emailIndex(p.email()));
        count("encrypt");
        return conn.preparedQuery(ENCRYPT).execute(Tuple.of(PiiDocument.of(displayName, p), keys.currentPassphrase()))
                .map(rows -> rows.iterator().next().getBuffer("pii_enc"))
                .flatMap(ciphertext -> conn.preparedQuery(UPDATE).execute(Tuple.tuple().addUUID(id)
                        .addBuffer(ciphertext).addValue(hmac).addInteger(keys.currentVersion()).addBoolean(consent)
                        .addUUID(tenant)))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(CustomerRows.withPii(it.next(), displayName, p)) : Optional.empty();
                });
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

    public Uni<Integer> purge(SqlConnection conn, OffsetDateTime cutoff, int limit) {
        return conn.preparedQuery(PURGE).execute(Tuple.of(cutoff, limit)).map(RowSet::rowCount);
    }

    /** Clears every clear name of the transaction's tenant (its keys are being destroyed). */
    public Uni<Void> forgetClearNames(SqlConnection conn) {
        return conn.preparedQuery(FORGET_CLEAR_NAMES).execute().replaceWithVoid();
    }

    void count(String operation) {
        metrics.counter("tessera.crypto.operations", "operation", operation).increment();
    }
}
