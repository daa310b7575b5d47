package dev.tessera.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDirectory;
import dev.tessera.tenancy.TenantTx;
import dev.tessera.tenancy.TenantWriteListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Links committed audit rows into each tenant's hash chain, after commit and in batches, so that no
 * write waits for another's audit row (docs/design/audit-trail.md).
 *
 * <p>Which tenants to visit: those this instance committed a transaction for since its last pass
 * (told by {@link TenantTx} through {@link TenantWriteListener}), plus every served tenant once per
 * sweep, for rows that another instance left when it stopped. A tenant whose rows are not yet
 * sealable (an older transaction still runs) stays on the list for the next pass.
 *
 * <p>Safe on any number of instances: {@code audit_seal()} takes the tenant's seal state with
 * {@code FOR UPDATE SKIP LOCKED}, so one sealer works on a tenant at a time and the others move on;
 * each batch is one transaction, so a sealer killed mid-batch leaves nothing half-sealed.
 */
@ApplicationScoped
public class AuditSealer implements TenantWriteListener {

    /** The actor of the sealer's transactions: they record nothing, and tell no listener. */
    public static final String ACTOR = TenantWriteListener.FOLLOWER_ACTOR_PREFIX + "audit-sealer";

    static final String SEAL = "SELECT sealed, oldest_unsealed FROM audit_seal($1)";

    /** Tenants to visit on the next pass, by id. */
    private final Map<UUID, Tenant> pending = new ConcurrentHashMap<>();
    /** Oldest unsealed row per tenant as last seen; the lag gauge is the oldest of them. */
    private final Map<UUID, Instant> unsealedSince = new ConcurrentHashMap<>();
    private final Set<UUID> reportedLagging = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean passRunning = new AtomicBoolean();

    private final TenantTx tx;
    private final TenantDirectory directory;
    private final AuditConfig config;
    private final Vertx vertx;
    private final Counter sealedRows;
    private final Counter failures;
    private long sealTimer = -1;

    AuditSealer(TenantTx tx, TenantDirectory directory, AuditConfig config, Vertx vertx, MeterRegistry metrics) {
        this.tx = tx;
        this.directory = directory;
        this.config = config;
        this.vertx = vertx;
        this.sealedRows = Counter.builder("tessera.audit.sealed").description("Audit rows linked into their tenant's chain")
                .register(metrics);
        this.failures = Counter.builder("tessera.audit.seal.failures").description("Seal calls that failed")
                .register(metrics);
        Gauge.builder("tessera.audit.seal.lag", this, AuditSealer::lagSeconds).baseUnit("seconds")
                .description("Age of the oldest committed audit row not yet sealed, over the tenants this instance visits")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        if (!config.sealerEnabled()) {
            return;
        }
        // A Vert.x timer, not @Scheduled: the pass runs several times a second and touches no Panache.
        sealTimer = vertx.setPeriodic(config.sealInterval().toMillis(), id -> pass());
    }

    void stop(@Observes ShutdownEvent event) {
        if (sealTimer >= 0) {
            vertx.cancelTimer(sealTimer);
        }
    }

    @Override
    public void committed(TenantContext tenant) {
        pending.put(tenant.tenant().id(), tenant.tenant());
    }

    /** Seals everything of this tenant that can be sealed now; returns the state left behind. */
    public Uni<SealProgress> seal(Tenant tenant) {
        return sealFrom(tenant, 0);
    }

    /** One pass over the tenants noted since the last one (at most one pass runs at a time). */
    Uni<Void> sealPending() {
        // Taken off before sealing: a tenant noted again meanwhile committed before its note, so the
        // seal that follows sees its rows.
        List<Tenant> due = List.copyOf(pending.values());
        due.forEach(t -> pending.remove(t.id()));
        return Multi.createFrom().iterable(due)
                .onItem().transformToUni(t -> seal(t).onFailure().recoverWithItem(e -> failed(t, e)))
                .merge(4).collect().last().replaceWithVoid();
    }

    private void pass() {
        if (pending.isEmpty() || !passRunning.compareAndSet(false, true)) {
            return;
        }
        sealPending().subscribe().with(x -> passRunning.set(false), e -> passRunning.set(false));
    }

    /** Notes every served tenant for the next pass (the tenant directory is read through Panache). */
    @Scheduled(identity = "audit-sweep", every = "{tessera.audit.sweep-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!config.sealerEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return directory.sealCandidates().invoke(all -> all.forEach(t -> pending.putIfAbsent(t.id(), t)))
                .onFailure().invoke(e -> Log.warnf("Audit sealer: cannot list tenants: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<SealProgress> sealFrom(Tenant tenant, long soFar) {
        TenantContext sealer = new TenantContext(tenant, ACTOR, Set.of());
        return tx.inOneRoundTrip(sealer, conn -> conn.preparedQuery(SEAL).execute(Tuple.of(config.batchSize())))
                .flatMap(rows -> {
                    Row r = rows.iterator().next();
                    int sealed = r.getInteger("sealed");
                    OffsetDateTime oldest = r.getOffsetDateTime("oldest_unsealed");
                    if (sealed > 0) {
                        sealedRows.increment(sealed);
                    }
                    if (sealed == config.batchSize()) {
                        return sealFrom(tenant, soFar + sealed);
                    }
                    return Uni.createFrom().item(observed(tenant, soFar + Math.max(sealed, 0), oldest, sealed < 0));
                });
    }

    private SealProgress observed(Tenant tenant, long sealed, OffsetDateTime oldest, boolean busy) {
        if (oldest == null) {
            unsealedSince.remove(tenant.id());
            reportedLagging.remove(tenant.id());
        } else {
            Instant since = oldest.toInstant();
            unsealedSince.put(tenant.id(), since);
            // Not sealable yet (an older transaction still runs, or another sealer holds the tenant): again next pass.
            pending.putIfAbsent(tenant.id(), tenant);
            Duration age = Duration.between(since, Instant.now());
            if (age.compareTo(config.maxLag()) > 0 && reportedLagging.add(tenant.id())) {
                Log.warnf("Audit sealer: tenant %s has rows unsealed for %d ms (bound %s): a long-running transaction "
                        + "holds the sealing horizon back", tenant.slug(), age.toMillis(), config.maxLag());
            }
        }
        return new SealProgress(sealed, oldest, busy);
    }

    private SealProgress failed(Tenant tenant, Throwable e) {
        failures.increment();
        pending.putIfAbsent(tenant.id(), tenant);
        Log.warnf("Audit sealer: tenant %s: %s", tenant.slug(), e.getMessage());
        return new SealProgress(0, null, false);
    }

    private double lagSeconds() {
        Instant now = Instant.now();
        return unsealedSince.values().stream().mapToDouble(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0))
                .max().orElse(0);
    }

    /** What one seal of a tenant did: rows sealed, the oldest row still unsealed (null: none), and whether another sealer held it. */
    public record SealProgress(long sealed, OffsetDateTime oldestUnsealed, boolean busy) {
    }
}
