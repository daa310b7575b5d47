package dev.tessera.customers.crypto;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.domain.Customer;
import dev.tessera.customers.domain.Pii;
import dev.tessera.shared.sql.Cursors;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL of the customers table for the tenant export and import: every row decrypted under its own key
 * version (and in its own storage format) on the way out, and encrypted as one message under the
 * importing tenant's current key on the way in (the source tenant's keys never travel).
 */
@ApplicationScoped
public class CustomerExportStore {

    static final String EXPORT = """
            SELECT %s
              FROM customers
             ORDER BY id
            """.formatted(CustomerRows.COLUMNS);

    // An erased customer arrives with no PII and keeps erased_at; its pii_enc is NULL ($3 is NULL, and
    // pgp_sym_encrypt(NULL) is NULL), as ck_customers_erased requires.
    static final String IMPORT = """
            INSERT INTO customers (public_id, display_name, pii_enc, email_hmac, key_version, marketing_consent,
                                   created_at, updated_at, deleted_at, deleted_by, erased_at)
            VALUES ($1, $2, pgp_sym_encrypt($3, $4, '%s'), $5, $6, $7, $8, $9, $10, $11, $12)
            """.formatted(CustomerRows.OPTIONS);

    private final CustomerStore store;

    CustomerExportStore(CustomerStore store) {
        this.store = store;
    }

    /** Every customer, PII in clear, through a cursor (constant memory). */
    public Multi<Customer> streamAll(SqlConnection conn, DataKeys keys, int fetchSize) {
        store.count("decrypt");
        return Cursors.stream(conn, EXPORT, Tuple.of(keys.passphrasesByVersion()), fetchSize)
                .map(r -> CustomerRows.decrypted(r, keys));
    }

    /** Inserts an exported customer under the tenant's current key, with a blind index of this tenant. */
    public Uni<Void> insertExported(SqlConnection conn, DataKeys keys, Customer c) {
        Pii p = c.pii();
        Buffer index = p.email() == null ? null : Buffer.buffer(keys.emailIndex(p.email()));
        // The name goes into the document (tenant V014); only an erased customer's fixed name stays in display_name.
        String document = c.erased() ? null : PiiDocument.of(c.displayName(), p);
        store.count("encrypt");
        return conn.preparedQuery(IMPORT).execute(Tuple.from(Arrays.asList(c.id(), c.erased() ? c.displayName() : null, document,
                keys.currentPassphrase(), index, keys.currentVersion(), c.marketingConsent(), c.createdAt(),
                c.updatedAt(), c.deletedAt(), c.deletedBy(), c.erasedAt())))
                .replaceWithVoid();
    }

    public Uni<Boolean> any(SqlConnection conn) {
        return conn.preparedQuery("SELECT EXISTS (SELECT 1 FROM customers) AS any").execute()
                .map(rows -> rows.iterator().next().getBoolean("any"));
    }
}
