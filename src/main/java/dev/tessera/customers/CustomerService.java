package dev.tessera.customers;

import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.crypto.CustomerStore;
import dev.tessera.customers.crypto.DataKeys;
import dev.tessera.customers.crypto.StaleKeys;
import dev.tessera.customers.crypto.TenantKeys;
import dev.tessera.customers.domain.Customer;
import dev.tessera.customers.domain.CustomerDraft;
import dev.tessera.customers.domain.Pii;
import dev.tessera.limits.Plans;
import dev.tessera.security.Roles;
import dev.tessera.shared.error.Conflict;
import dev.tessera.shared.error.Forbidden;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.SqlStates;
import dev.tessera.shared.id.UuidV7;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Customer use cases, each one tenant transaction. Reads use the tenant's cached key set and so are one
 * statement in one round trip ({@link TenantTx#inOneRoundTrip}); writes read the keystore in their transaction.
 */
@ApplicationScoped
public class CustomerService {

    private final TenantTx tx;
    private final TenantKeys keys;
    private final CustomerStore store;
    private final Plans plans;

    CustomerService(TenantTx tx, TenantKeys keys, CustomerStore store, Plans plans) {
        this.tx = tx;
        this.keys = keys;
        this.store = store;
        this.plans = plans;
    }

    /** Creates a customer; at the tenant's customer quota (if its plan sets one), 409 quota-exceeded. */
    public Uni<Customer> create(TenantContext tenant, CustomerDraft draft) {
        Integer quota = plans.of(tenant.tenant()).maxCustomers();
        return withKeysRead(tenant, (conn, k) -> withinQuota(conn, quota).chain(() -> store.insert(conn, k, UuidV7.next(), draft)))
                .onFailure(SqlStates::isUniqueViolation).transform(e -> emailTaken());
    }

    private Uni<Void> withinQuota(io.vertx.mutiny.sqlclient.SqlConnection conn, Integer quota) {
        if (quota == null) {
            return Uni.createFrom().voidItem();
        }
        return store.lockAndCountLive(conn).invoke(live -> {
            if (live >= quota) {
                throw Plans.quotaExceeded("customers", quota);
            }
        }).replaceWithVoid();
    }

    public Uni<Customer> get(TenantContext tenant, UUID id, boolean includeDeleted) {
        requireAdminFor(tenant, includeDeleted);
        return read(tenant, (conn, k) -> store.find(conn, k, id))
                .map(found -> found.filter(c -> includeDeleted || !c.deleted()).orElseThrow(CustomerService::notFound));
    }

    public Uni<Page<Customer>> list(TenantContext tenant, PageRequest page, String email, boolean includeDeleted) {
        requireAdminFor(tenant, includeDeleted);
        return read(tenant, (conn, k) -> store.list(conn, k, page, email, includeDeleted))
                .map(rows -> page.page(rows, Customer::id));
    }

    /** Applies the changes and rewrites the row's PII under the tenant's current key version. */
    public Uni<Customer> update(TenantContext tenant, UUID id, CustomerDraft changes) {
        return withKeysRead(tenant, (conn, k) -> store.find(conn, k, id).flatMap(found -> {
            Customer c = found.filter(x -> !x.deleted() && !x.erased()).orElseThrow(CustomerService::notFound);
            String name = changes.displayName() != null ? changes.displayName() : c.displayName();
            Pii pii = c.pii().merge(changes.pii());
            boolean consent = changes.marketingConsent() != null ? changes.marketingConsent() : c.marketingConsent();
            return store.update(conn, k, tenant.tenant().id(), id, name, pii, consent);
        }))
                .onFailure(SqlStates::isUniqueViolation).transform(e -> emailTaken())
                .map(found -> found.orElseThrow(CustomerService::notFound));
    }

    public Uni<Void> delete(TenantContext tenant, UUID id) {
        return tx.run(tenant, conn -> store.softDelete(conn, id, tenant.userId())).invoke(done -> {
            if (!done) {
                throw notFound();
            }
        }).replaceWithVoid();
    }

    /** Brings a deleted customer back; 409 if a live customer took the email meanwhile. */
    public Uni<Customer> restore(TenantContext tenant, UUID id) {
        requireAdminFor(tenant, true);
        return withKeysRead(tenant, (conn, k) -> store.find(conn, k, id).flatMap(found -> {
            Customer c = found.orElseThrow(CustomerService::notFound);
            // A restored customer counts against the quota again.
            return c.deleted() ? withinQuota(conn, plans.of(tenant.tenant()).maxCustomers())
                    .chain(() -> store.restore(conn, id)).flatMap(x -> store.find(conn, k, id))
                    : Uni.createFrom().item(Optional.of(c));
        }))
                .onFailure(SqlStates::isUniqueViolation).transform(e -> new Conflict(ProblemType.EMAIL_TAKEN,
                        "A live customer took this customer's email meanwhile"))
                .map(found -> found.orElseThrow(CustomerService::notFound));
    }

    /** GDPR erasure (tenant-admin): the PII is gone for good; the audit trail records who erased it. */
    public Uni<Void> erase(TenantContext tenant, UUID id) {
        requireAdminFor(tenant, true);
        return tx.run(tenant, conn -> store.erase(conn, id).flatMap(done -> done ? Uni.createFrom().item(true)
                : conn.preparedQuery("SELECT 1 FROM customers WHERE public_id = $1").execute(Tuple.of(id))
                        .map(r -> r.size() > 0)))
                .invoke(exists -> {
                    if (!exists) {
                        throw notFound();
                    }
                }).replaceWithVoid();
    }

    /** One retention batch: hard-deletes up to {@code limit} customers deleted before {@code cutoff}. */
    public Uni<Integer> purgeDeleted(TenantContext tenant, java.time.OffsetDateTime cutoff, int limit) {
        return tx.run(tenant, conn -> store.purge(conn, cutoff, limit));
    }

    /**
     * A read with the cached key set: BEGIN, context, the one statement and COMMIT in one round trip. A
     * row of a version the set lacks (another replica rotated since) means a stale set: read again with
     * the keystore's, rather than fail.
     */
    private <T> Uni<T> read(TenantContext tenant, BiFunction<SqlConnection, DataKeys, Uni<T>> statement) {
        return keys.cached(tenant)
                .map(k -> tx.inOneRoundTrip(tenant, conn -> statement.apply(conn, k))
                        .onFailure(StaleKeys.class).recoverWithUni(e -> {
                            keys.stale(tenant);
                            return withKeysRead(tenant, statement);
                        }))
                .orElseGet(() -> withKeysRead(tenant, statement));
    }

    /** Work with the key set read from the keystore in the same transaction; a version it lacks is lost. */
    private <T> Uni<T> withKeysRead(TenantContext tenant, BiFunction<SqlConnection, DataKeys, Uni<T>> work) {
        return tx.run(tenant, conn -> keys.forTenant(conn, tenant).flatMap(k -> work.apply(conn, k)))
                .onFailure(StaleKeys.class).transform(e -> keys.missing(tenant));
    }

    private static void requireAdminFor(TenantContext tenant, boolean adminOnly) {
        if (adminOnly && !tenant.hasRole(Roles.TENANT_ADMIN)) {
            throw new Forbidden(ProblemType.FORBIDDEN, "This is for tenant-admin only");
        }
    }

    private static NotFound notFound() {
        return new NotFound("Customer");
    }

    private static Conflict emailTaken() {
        return new Conflict(ProblemType.EMAIL_TAKEN, "A live customer of this tenant already has this email");
    }
}
