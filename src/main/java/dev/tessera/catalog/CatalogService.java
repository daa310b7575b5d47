package dev.tessera.catalog;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.catalog.domain.Product;
import dev.tessera.catalog.domain.ProductChanges;
import dev.tessera.catalog.domain.ProductDraft;
import dev.tessera.catalog.domain.ProductQuery;
import dev.tessera.catalog.persistence.ProductRepository;
import dev.tessera.limits.Plans;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.Forbidden;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.SqlStates;
import dev.tessera.shared.id.UuidV7;
import dev.tessera.shared.paging.Page;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import io.smallrye.mutiny.Uni;

/** The catalog use cases; each one is a single tenant transaction. */
@ApplicationScoped
public class CatalogService {

    private final TenantTx tx;
    private final ProductRepository products;
    private final Plans plans;

    CatalogService(TenantTx tx, ProductRepository products, Plans plans) {
        this.tx = tx;
        this.products = products;
        this.plans = plans;
    }

    /**
     * Creates a product: one round trip, or, for a tenant whose plan sets a product quota, a transaction
     * that counts its live products under the quota lock first (409 quota-exceeded at the quota).
     */
    public Uni<Product> create(TenantContext tenant, ProductDraft draft) {
        Integer quota = plans.of(tenant.tenant()).maxProducts();
        Uni<Product> created = quota == null
                ? tx.inOneRoundTrip(tenant, conn -> products.insert(conn, UuidV7.next(), draft))
                : tx.run(tenant, conn -> withinQuota(conn, quota).chain(() -> products.insert(conn, UuidV7.next(), draft)));
        return created.onFailure(SqlStates::isUniqueViolation).transform(e -> skuTaken(draft.sku()));
    }

    private Uni<Void> withinQuota(io.vertx.mutiny.sqlclient.SqlConnection conn, Integer quota) {
        if (quota == null) {
            return Uni.createFrom().voidItem();
        }
        return products.lockAndCountLive(conn).invoke(live -> {
            if (live >= quota) {
                throw Plans.quotaExceeded("products", quota);
            }
        }).replaceWithVoid();
    }

    /** A live product; a deleted one only with {@code includeDeleted}, which needs tenant-admin. */
    public Uni<Product> get(TenantContext tenant, UUID id, boolean includeDeleted) {
        requireAdminFor(tenant, includeDeleted);
        return tx.read(tenant, ProductRepository.READ, id)
                .map(found -> found.filter(p -> includeDeleted || !p.deleted()).orElseThrow(CatalogService::notFound));
    }

    /**
     * A live product, read on the caller's connection inside the caller's tenant transaction (an order
     * command captures the price in the same snapshot as its decision); empty if there is none.
     */
    public Uni<java.util.Optional<Product>> findLive(io.vertx.mutiny.sqlclient.SqlConnection conn, UUID id) {
        return products.find(conn, id).map(found -> found.filter(p -> !p.deleted()));
    }

    public Uni<Page<Product>> list(TenantContext tenant, ProductQuery query) {
        requireAdminFor(tenant, query.includeDeleted());
        return tx.read(tenant, ProductRepository.LIST_READ, ProductRepository.listArguments(query))
                .map(rows -> query.page().page(rows, Product::id));
    }

    public Uni<Product> update(TenantContext tenant, UUID id, ProductChanges changes) {
        return tx.inOneRoundTrip(tenant, conn -> products.update(conn, id, changes))
                .onFailure(SqlStates::isUniqueViolation).transform(e -> skuTaken(changes.sku()))
                .map(orNotFound());
    }

    public Uni<Void> delete(TenantContext tenant, UUID id) {
        return tx.inOneRoundTrip(tenant, conn -> products.softDelete(conn, id, tenant.userId()))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw notFound();
                    }
                }).replaceWithVoid();
    }

    /** Brings a deleted product back; restoring a live one changes nothing. 409 if its SKU was taken meanwhile. */
    public Uni<Product> restore(TenantContext tenant, UUID id) {
        requireAdminFor(tenant, true);
        Integer quota = plans.of(tenant.tenant()).maxProducts();
        return tx.run(tenant, conn -> products.find(conn, id).flatMap(found -> {
            Product p = found.orElseThrow(CatalogService::notFound);
            // A restored product counts against the quota again.
            return p.deleted() ? withinQuota(conn, quota).chain(() -> products.restore(conn, id)).map(orNotFound())
                    : Uni.createFrom().item(p);
        })).onFailure(SqlStates::isUniqueViolation)
                .transform(e -> new Conflict(ProblemType.SKU_TAKEN,
                        "A live product took this product's SKU meanwhile; change that product's SKU first"));
    }

    /** One retention batch: hard-deletes up to {@code limit} products deleted before {@code cutoff}. */
    public Uni<Integer> purgeDeleted(TenantContext tenant, java.time.OffsetDateTime cutoff, int limit) {
        return tx.run(tenant, conn -> products.purge(conn, cutoff, limit));
    }

    private static void requireAdminFor(TenantContext tenant, boolean deletedRecords) {
        if (deletedRecords && !tenant.hasRole(Roles.TENANT_ADMIN)) {
            throw new Forbidden(ProblemType.FORBIDDEN, "Deleted products are visible to tenant-admin only");
        }
    }

    private static Function<Optional<Product>, Product> orNotFound() {
        return found -> found.orElseThrow(CatalogService::notFound);
    }

    private static NotFound notFound() {
        return new NotFound("Product");
    }

    private static Conflict skuTaken(String sku) {
        return new Conflict(ProblemType.SKU_TAKEN, "A live product already has SKU '" + sku + "'");
    }

}
