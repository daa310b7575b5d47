package dev.tessera.tenancy;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.tessera.limits.Plans;
import dev.tessera.shared.error.ProblemType;
import dev.tessera.shared.error.TooManyRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Each tenant's share of the database connections: at most its plan's {@code connection-share} of the
 * pool's connections ({@code tessera.plans.<plan>.connection-share}, or the tenant's own override) work
 * for one tenant at a time, so that one tenant (slow lists, exports, a flood)
 * can never hold the connections every other tenant needs. A tenant's further requests wait, in arrival
 * order and without holding a connection, for one of its own to finish; a request that would wait beyond
 * the tenant's queue, or longer than {@code tessera.tenancy.share.max-wait}, is refused with 429
 * {@code tenant-busy} and {@code Retry-After}. Other tenants never wait behind it.
 *
 * <p>Per replica: each instance has its own pool and keeps its own count. The service's own background
 * work for a tenant (the audit sealer, the event relay) is not counted; it is bounded by its own schedule.
 *
 * <p>Metrics: {@code tessera_tenant_db_in_flight}, {@code tessera_tenant_db_waiting} and
 * {@code tessera_tenant_db_refused_total}, tagged by tenant slug for the first
 * {@code tessera.tenancy.share.metric-tenants} tenants this instance served and {@code other} for the rest
 * (bounded cardinality).
 */
@ApplicationScoped
public class TenantConnectionShare {

    static final String OTHER = "other";

    private final Plans plans;
    private final int poolSize;
    private final int queue;
    private final long maxWaitMillis;
    private final int metricTenants;
    private final MeterRegistry registry;
    private final Vertx vertx;
    /** Tenants with work in flight or waiting; guarded by {@code this}. An idle tenant has no entry. */
    private final Map<UUID, Slot> slots = new HashMap<>();
    /** The metric tag of each tenant seen so far (bounded: past metricTenants, every new tenant is "other"). */
    private final Map<UUID, Meters> metersByTenant = new ConcurrentHashMap<>();
    private final Map<String, Meters> metersByTag = new ConcurrentHashMap<>();

    TenantConnectionShare(TenancyConfig config, Plans plans, MeterRegistry registry, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int poolSize) {
        this.plans = plans;
        this.poolSize = poolSize;
        this.queue = config.share().queue();
        this.maxWaitMillis = Math.max(1, config.share().maxWait().toMillis());
        this.metricTenants = config.share().metricTenants();
        this.registry = registry;
        this.vertx = vertx;
    }

    /** How many connections one tenant may hold at once: the share of the pool, at least one. */
    static int limitOf(double share, int poolSize) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a connection share must be in (0, 1], not " + share);
        }
        return Math.max(1, (int) Math.floor(share * poolSize));
    }

    /**
     * How many connections this tenant may hold at once on this instance: its plan's share (or its
     * override), read from the cached tenant, so a change applies within the tenant cache's TTL.
     */
    public int limitOf(Tenant tenant) {
        return limitOf(plans.of(tenant).connectionShare(), poolSize);
    }

    /**
     * Gives {@code admitted} a permit to use one connection for this tenant: at once (on this thread) while
     * the tenant holds fewer than its share, else when one of its own finishes (on the waiting request's
     * Vert.x context). {@code refused} gets {@link TooManyRequests} when the tenant's queue is full or the
     * wait exceeds the maximum. The permit must be released exactly once when the work's connection is
     * back in the pool (releasing again does nothing). No Uni on the common path: a request under its
     * share pays for a counter, not for another subscription.
     */
    void admit(TenantContext context, Consumer<Permit> admitted, Consumer<Throwable> refused) {
        if (context.userId().startsWith(TenantWriteListener.FOLLOWER_ACTOR_PREFIX)) {
            admitted.accept(Permit.NONE);
            return;
        }
        Tenant tenant = context.tenant();
        int limit = limitOf(tenant);
        Meters meters = metersOf(tenant);
        Waiter waiter = null;
        Slot slot;
        synchronized (this) {
            slot = slots.computeIfAbsent(tenant.id(), id -> new Slot(id, meters));
            if (slot.inFlight < limit) {
                slot.inFlight++;
                meters.inFlight.incrementAndGet();
            } else if (slot.waiters.size() >= queue) {
                slot = null;
            } else {
                waiter = new Waiter(admitted, refused, Vertx.currentContext());
                slot.waiters.add(waiter);
                meters.waiting.incrementAndGet();
            }
        }
        if (slot == null) {
            meters.refused.increment();
            refused.accept(busy(tenant));
        } else if (waiter == null) {
            admitted.accept(new Permit(this, slot));
        } else {
            Slot waitingIn = slot;
            Waiter w = waiter;
            w.timer = vertx.setTimer(maxWaitMillis, id -> expire(waitingIn, w, tenant));
        }
    }

    /** {@link #admit(TenantContext, Consumer, Consumer)} as a Uni, for streams. */
    Uni<Permit> admit(TenantContext context) {
        return Uni.createFrom().emitter(emitter -> admit(context, emitter::complete, emitter::fail));
    }

    private void expire(Slot slot, Waiter waiter, Tenant tenant) {
        boolean removed;
        synchronized (this) {
            removed = slot.waiters.remove(waiter);
            if (removed && slot.inFlight == 0 && slot.waiters.isEmpty()) {
                slots.remove(slot.tenant);
            }
        }
        if (removed) {
            slot.meters.waiting.decrementAndGet();
            slot.meters.refused.increment();
            waiter.resume(() -> waiter.refused.accept(busy(tenant)));
        }
    }

    private void release(Slot slot) {
        Waiter next;
        synchronized (this) {
            next = slot.waiters.poll();
            if (next == null) {
                slot.inFlight--;
                if (slot.inFlight == 0) {
                    slots.remove(slot.tenant);
                }
            }
        }
        if (next == null) {
            slot.meters.inFlight.decrementAndGet();
            return;
        }
        // The connection passes to the tenant's next request: in flight stays the same.
        slot.meters.waiting.decrementAndGet();
        vertx.cancelTimer(next.timer);
        next.resume(() -> next.admitted.accept(new Permit(this, slot)));
    }

    private static TooManyRequests busy(Tenant tenant) {
        return new TooManyRequests(ProblemType.TENANT_BUSY,
                "The tenant has too many requests in progress on this instance; retry shortly", 1);
    }

    private Meters metersOf(Tenant tenant) {
        Meters known = metersByTenant.get(tenant.id());
        if (known != null) {
            return known;
        }
        String tag = metersByTenant.size() < metricTenants ? tenant.slug() : OTHER;
        Meters meters = metersByTag.computeIfAbsent(tag, this::register);
        // Bounded: once metricTenants tenants have their own tag, further tenants all map to "other".
        if (metersByTenant.size() < metricTenants * 4) {
            metersByTenant.putIfAbsent(tenant.id(), meters);
        }
        return meters;
    }

    private Meters register(String tag) {
        Meters m = new Meters(Counter.builder("tessera.tenant.db.refused")
                .description("Requests refused with 429 tenant-busy: the tenant held its share of the connections")
                .tag("tenant", tag).register(registry));
        Gauge.builder("tessera.tenant.db.in.flight", m.inFlight, AtomicInteger::get)
                .description("Connections working for the tenant now (its share: tessera.plans.<plan>.connection-share)")
                .tag("tenant", tag).register(registry);
        Gauge.builder("tessera.tenant.db.waiting", m.waiting, AtomicInteger::get)
                .description("Requests of the tenant waiting for its share of the connections")
                .tag("tenant", tag).register(registry);
        return m;
    }

    /** One connection's worth of the tenant's share; {@link #release()} gives it back (once). */
    static final class Permit {
        static final Permit NONE = new Permit(null, null);

        private final TenantConnectionShare share;
        private final Slot slot;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(TenantConnectionShare share, Slot slot) {
            this.share = share;
            this.slot = slot;
        }

        void release() {
            if (slot != null && released.compareAndSet(false, true)) {
                share.release(slot);
            }
        }
    }

    private static final class Slot {
        final UUID tenant;
        final Meters meters;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        int inFlight;

        Slot(UUID tenant, Meters meters) {
            this.tenant = tenant;
            this.meters = meters;
        }
    }

    private static final class Waiter {
        final Consumer<Permit> admitted;
        final Consumer<Throwable> refused;
        /** The waiting request's Vert.x context: it resumes there, not on the thread that released. */
        final Context context;
        volatile long timer;

        Waiter(Consumer<Permit> admitted, Consumer<Throwable> refused, Context context) {
            this.admitted = admitted;
            this.refused = refused;
            this.context = context;
        }

        void resume(Runnable action) {
            if (context == null || context == Vertx.currentContext()) {
                action.run();
            } else {
                context.runOnContext(v -> action.run());
            }
        }
    }

    private static final class Meters {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger waiting = new AtomicInteger();
        final Counter refused;

        Meters(Counter refused) {
            this.refused = refused;
        }
    }
}
