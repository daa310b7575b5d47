package dev.tessera.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDirectory;
import dev.tessera.tenancy.TenantState;
import dev.tessera.tenancy.TenantTx;
import dev.tessera.tenancy.TenantWriteListener;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Runs each tenant's webhooks in the background (docs/design/webhooks.md): fans its committed order events
 * out to deliveries ({@link WebhookFanOut}), then sends the due ones ({@link WebhookDeliveryRun}), at most
 * {@code tessera.webhooks.max-concurrency-per-tenant} requests in flight per tenant, so one tenant's slow
 * endpoints never hold up another's.
 *
 * <p>Which tenants to visit: those this instance committed a transaction for (told by {@link TenantTx}),
 * those whose next retry is due, those whose request just ended, and every served tenant once per sweep.
 */
@ApplicationScoped
public class WebhookDispatcher implements TenantWriteListener {

    /** The actor of the dispatcher's transactions: they wake no follower. */
    public static final String ACTOR = TenantWriteListener.FOLLOWER_ACTOR_PREFIX + "webhooks";

    private final Map<UUID, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> wakeAt = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean passRunning = new AtomicBoolean();

    private final WebhookFanOut fanOut;
    private final WebhookDeliveryRun deliveries;
    private final TenantDirectory directory;
    private final WebhookConfig config;
    private final Vertx vertx;
    private long timer = -1;

    WebhookDispatcher(WebhookFanOut fanOut, WebhookDeliveryRun deliveries, TenantDirectory directory, WebhookConfig config,
            Vertx vertx) {
        this.fanOut = fanOut;
        this.deliveries = deliveries;
        this.directory = directory;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> pass());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    @Override
    public void committed(TenantContext tenant) {
        if (config.enabled()) {
            wake(tenant.tenant(), Instant.now());
        }
    }

    /** Notes every served tenant for the next pass (the tenant directory is read through Panache). */
    @Scheduled(identity = "webhooks-sweep", every = "{tessera.webhooks.sweep-interval}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return directory.sealCandidates().invoke(all -> all.forEach(t -> wake(t, Instant.now())))
                .onFailure().invoke(e -> Log.warnf("Webhooks: cannot list tenants: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Fans out and sends what is due for one tenant now; completes when its requests have been started. */
    public Uni<Void> visit(Tenant tenant) {
        if (tenant.state() != TenantState.ACTIVE) {
            return Uni.createFrom().voidItem(); // a suspended or leaving tenant's deliveries wait
        }
        TenantContext system = new TenantContext(tenant, ACTOR, Set.of());
        AtomicInteger running = inFlight.computeIfAbsent(tenant.id(), k -> new AtomicInteger());
        return fanOut.run(system).flatMap(again -> {
            if (again) {
                wake(tenant, Instant.now()); // held by another fan-out or an older transaction: next pass
            }
            int free = config.maxConcurrencyPerTenant() - running.get();
            if (free <= 0) {
                return Uni.createFrom().voidItem(); // a request that ends wakes the tenant
            }
            return deliveries.claimAndSend(system, free, running, () -> wake(tenant, Instant.now()))
                    .invoke(next -> next.ifPresent(due -> wake(tenant, due.toInstant()))).replaceWithVoid();
        });
    }

    private void wake(Tenant tenant, Instant at) {
        tenants.put(tenant.id(), tenant);
        wakeAt.merge(tenant.id(), at, (a, b) -> a.isBefore(b) ? a : b);
    }

    private void pass() {
        if (wakeAt.isEmpty() || !passRunning.compareAndSet(false, true)) {
            return;
        }
        Instant now = Instant.now();
        List<Tenant> due = wakeAt.entrySet().stream().filter(e -> !e.getValue().isAfter(now))
                .map(e -> tenants.get(e.getKey())).filter(t -> t != null).toList();
        due.forEach(t -> wakeAt.computeIfPresent(t.id(), (k, at) -> at.isAfter(now) ? at : null));
        Multi.createFrom().iterable(due)
                .onItem().transformToUni(t -> visit(t).onFailure().recoverWithUni(e -> {
                    Log.warnf("Webhooks: tenant %s: %s", t.slug(), e.getMessage());
                    wake(t, Instant.now().plus(config.pollInterval().multipliedBy(10)));
                    return Uni.createFrom().voidItem();
                }))
                .merge(4).collect().last()
                .subscribe().with(x -> passRunning.set(false), e -> passRunning.set(false));
    }
}
