package dev.tessera.catalog.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.catalog.domain.Product;
import dev.tessera.catalog.domain.ProductChanges;
import dev.tessera.catalog.domain.ProductDraft;
import dev.tessera.catalog.domain.ProductQuery;
import dev.tessera.shared.sql.Cursors;
import dev.tessera.shared.sql.CustomPlans;
import dev.tessera.tenancy.TenantRead;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL of the products table. Every method runs on a connection handed out by TenantTx, so the
 * statements name no tenant: the column default fills tenant_id, and RLS (or the tenant's schema on
 * the search_path) decides which rows exist. Table names are unqualified for that reason.
 */
@ApplicationScoped
public class ProductRepository {

    static final String COLUMNS = "public_id, sku, name, description, price, currency, created_at, updated_at, deleted_at, deleted_by";

    /** One product by public id, deleted or not, as one statement (TenantTx.read; R__tenant_reads.sql). */
    public static final TenantRead<Optional<Product>> READ = TenantRead.of("tessera.read_product", 1,
            ProductRepository::first);

    /** A page of {@link #LIST} as one statement (TenantTx.read); arguments from {@link #listArguments}. */
    public static final TenantRead<List<Product>> LIST_READ = TenantRead.of("tessera.list_products", 4,
            ProductRepository::all);

    static final String INSERT = """
            INSERT INTO products (public_id, sku, name, description, price, currency)
            VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING %s
            """.formatted(COLUMNS);

    // A tenant with a product quota counts its live products under a transaction-level lock of its own, taken
    // in a statement before the count: the count's snapshot then sees every product that a concurrent
    // create committed before letting the lock go, so 32 parallel creates at the edge cannot overshoot.
    static final String LOCK_QUOTA = """
            SELECT pg_advisory_xact_lock(hashtextextended('tessera.quota.products:' || current_setting('app.tenant_id'), 0))
            """;

    static final String COUNT_LIVE = """
            SELECT count(*) AS n
              FROM products
             WHERE deleted_at IS NULL
            """;

    static final String FIND = """
            SELECT %s
              FROM products
             WHERE public_id = $1
            """.formatted(COLUMNS);

    static final String LIST = """
            SELECT %s
              FROM products
             WHERE ($1::uuid IS NULL OR public_id > $1)
               AND ($2::text IS NULL OR strpos(lower(name), lower($2)) > 0)
               AND ($3 OR deleted_at IS NULL)
             ORDER BY public_id
             LIMIT $4
            """.formatted(COLUMNS);

    static final String UPDATE = """
            UPDATE products
               SET sku         = coalesce($2, sku),
                   name        = coalesce($3, name),
                   description = CASE WHEN $4::text IS NULL THEN description ELSE nullif($4, '') END,
                   price       = coalesce($5, price),
                   currency    = coalesce($6, currency),
                   updated_at  = now()
             WHERE public_id  = $1
               AND deleted_at IS NULL
            RETURNING %s
            """.formatted(COLUMNS);

    static final String SOFT_DELETE = """
            UPDATE products
               SET deleted_at = now(),
                   deleted_by = $2,
                   updated_at = now()
             WHERE public_id  = $1
               AND deleted_at IS NULL
            """;

    static final String RESTORE = """
            UPDATE products
               SET deleted_at = NULL,
                   deleted_by = NULL,
                   updated_at = now()
             WHERE public_id = $1
            RETURNING %s
            """.formatted(COLUMNS);

    // The batch is locked and materialised first, so that it cannot grow past $2 (see REENCRYPT in
    // CustomerStore) and a row restored meanwhile is skipped, not purged.
    static final String PURGE = """
            WITH batch AS MATERIALIZED (
                SELECT id
                  FROM products
                 WHERE deleted_at < $1
                 ORDER BY deleted_at
                 LIMIT $2
                   FOR UPDATE SKIP LOCKED
            )
            DELETE FROM products t
             USING batch
             WHERE t.id = batch.id
            """;

    // Export and import: every row, soft-deleted ones included, with its timestamps kept.
    static final String EXPORT = """
            SELECT %s
              FROM products
             ORDER BY id
            """.formatted(COLUMNS);

    static final String IMPORT = """
            INSERT INTO products (public_id, sku, name, description, price, currency, created_at, updated_at,
                                  deleted_at, deleted_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """;

    /** Every product of the tenant, through a cursor (constant memory). */
    public Multi<Product> streamAll(SqlConnection conn, int fetchSize) {
        return Cursors.stream(conn, EXPORT, Tuple.tuple(), fetchSize).map(ProductRepository::toProduct);
    }

    /** Inserts an exported product as it was (id, timestamps, deletion). */
    public Uni<Void> insertExported(SqlConnection conn, Product p) {
        return conn.preparedQuery(IMPORT).execute(Tuple.from(java.util.Arrays.asList(p.id(), p.sku(), p.name(),
                p.description(), p.price(), p.currency(), p.createdAt(), p.updatedAt(), p.deletedAt(), p.deletedBy())))
                .replaceWithVoid();
    }

    public Uni<Boolean> any(SqlConnection conn) {
        return conn.preparedQuery("SELECT EXISTS (SELECT 1 FROM products) AS any").execute()
                .map(rows -> rows.iterator().next().getBoolean("any"));
    }

    /** Hard-deletes up to {@code limit} products soft-deleted before {@code cutoff}; returns how many. */
    public Uni<Integer> purge(SqlConnection conn, java.time.OffsetDateTime cutoff, int limit) {
        return conn.preparedQuery(PURGE).execute(Tuple.of(cutoff, limit)).map(rows -> rows.rowCount());
    }

    /** The arguments of {@link #LIST_READ} for {@code q}: up to limit + 1 rows, so that the caller can tell whether a next page exists. */
    public static Object[] listArguments(ProductQuery q) {
        return new Object[] { q.page().after(), q.nameContains(), q.includeDeleted(), q.page().limit() + 1 };
    }

    public Uni<Product> insert(SqlConnection conn, UUID id, ProductDraft d) {
        return conn.preparedQuery(INSERT)
                .execute(Tuple.of(id, d.sku(), d.name(), d.description(), d.price(), d.currency()))
                .map(rows -> toProduct(rows.iterator().next()));
    }

    /**
     * The tenant's live products, counted under its quota lock (held until the transaction ends): call it
     * in the writing transaction, before the write it guards.
     */
    public Uni<Long> lockAndCountLive(SqlConnection conn) {
        return conn.preparedQuery(LOCK_QUOTA).execute()
                .chain(() -> conn.preparedQuery(COUNT_LIVE).execute())
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    public Uni<Optional<Product>> find(SqlConnection conn, UUID id) {
        return conn.preparedQuery(FIND).execute(Tuple.of(id)).map(ProductRepository::first);
    }

    public Uni<Optional<Product>> update(SqlConnection conn, UUID id, ProductChanges c) {
        Tuple args = Tuple.tuple().addValue(id).addValue(c.sku()).addValue(c.name()).addValue(c.description())
                .addValue(c.price()).addValue(c.currency());
        return conn.preparedQuery(UPDATE).execute(args).map(ProductRepository::first);
    }

    /** Returns whether a live product was deleted. */
    public Uni<Boolean> softDelete(SqlConnection conn, UUID id, String actor) {
        return conn.preparedQuery(SOFT_DELETE).execute(Tuple.of(id, actor)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<Product>> restore(SqlConnection conn, UUID id) {
        return conn.preparedQuery(RESTORE).execute(Tuple.of(id)).map(ProductRepository::first);
    }

    private static Optional<Product> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(toProduct(it.next())) : Optional.empty();
    }

    private static List<Product> all(RowSet<Row> rows) {
        List<Product> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(toProduct(r)));
        return out;
    }

    private static Product toProduct(Row r) {
        return new Product(r.getUUID("public_id"), r.getString("sku"), r.getString("name"), r.getString("description"),
                r.getBigDecimal("price"), r.getString("currency"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("updated_at"), r.getOffsetDateTime("deleted_at"), r.getString("deleted_by"));
    }
}
