package dev.tessera.retention;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.catalog.CatalogService;
import dev.tessera.customers.CustomerService;
import dev.tessera.orders.command.OrderCommands;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Hard-deletes rows soft-deleted longer than their tenant's retention, tenant by tenant, in small
 * batches with a pause between them. Tenants on legal hold are skipped. It runs as tessera_app inside
 * TenantTx like any request, so RLS confines every batch to its tenant and the audit trigger records
 * each removal (actor {@value #ACTOR}).
 */
@ApplicationScoped
public class RetentionPurge {

    /** The actor recorded in the audit trail for purged rows. */
    public static final String ACTOR = "system:retention";

    private final TenantDirectory tenants;
    private final CatalogService catalog;
    private final CustomerService customers;
    private final OrderCommands orders;
    private final RetentionConfig config;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    RetentionPurge(TenantDirectory tenants, CatalogService catalog, CustomerService customers, OrderCommands orders,
            RetentionConfig config, MeterRegistry metrics) {
        this.tenants = tenants;
        this.catalog = catalog;
        this.customers = customers;
        this.orders = orders;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(identity = "retention-purge", cron = "{tessera.retention.cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purgeAll().onFailure().invoke(e -> Log.errorf("Retention purge failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Purges every eligible tenant, one after the other; returns the number of rows removed. */
    public Uni<Long> purgeAll() {
        return tenants.purgeCandidates()
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(t -> purgeTenant(t, cutoffFor(t), config.batchSize()))
                .collect().with(java.util.stream.Collectors.summingLong(Long::longValue))
                .invoke(total -> Log.infof("Retention purge removed %d rows", total));
    }

    /**
     * Purges one tenant's rows deleted before {@code cutoff}, table by table, {@code batchSize} at a time,
     * then forgets its expired Idempotency-Keys (they answer nothing any more: an expired key is claimed
     * afresh), so that the key table does not grow for ever.
     */
    public Uni<Long> purgeTenant(Tenant tenant, OffsetDateTime cutoff, int batchSize) {
        TenantContext system = new TenantContext(tenant, ACTOR, Set.of());
        return batch(system, "products", (t, n) -> catalog.purgeDeleted(t, cutoff, n), batchSize, 0L)
                .flatMap(p -> batch(system, "customers", (t, n) -> customers.purgeDeleted(t, cutoff, n), batchSize, p))
                .flatMap(p -> batch(system, "es_idempotency_keys", orders::purgeExpiredKeys, batchSize, p));
    }

    private Uni<Long> batch(TenantContext tenant, String table,
            java.util.function.BiFunction<TenantContext, Integer, Uni<Integer>> purgeBatch, int batchSize, long soFar) {
        io.micrometer.core.instrument.Timer.Sample sample = io.micrometer.core.instrument.Timer.start(metrics);
        return purgeBatch.apply(tenant, batchSize).flatMap(removed -> {
            sample.stop(metrics.timer("tessera.retention.batch", "table", table));
            metrics.counter("tessera.retention.batches", "table", table).increment();
            metrics.counter("tessera.retention.purged", "table", table).increment(removed);
            long total = soFar + removed;
            if (removed < batchSize) {
                if (total > soFar) {
                    Log.infof("Retention purge: tenant %s, %d %s removed", tenant.tenant().slug(), total - soFar, table);
                }
                return Uni.createFrom().item(total);
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(config.pause())
                    .flatMap(x -> batch(tenant, table, purgeBatch, batchSize, total));
        });
    }

    OffsetDateTime cutoffFor(Tenant tenant) {
        int days = config.daysByPlan().getOrDefault(tenant.plan(), config.defaultDays());
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minusDays(days);
    }
}
