package dev.tessera.orders.publication;

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

import dev.tessera.events.EventBroker;
import dev.tessera.events.PublicationConfig;
import dev.tessera.tenancy.Tenant;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDirectory;
import dev.tessera.tenancy.TenantTx;
import dev.tessera.tenancy.TenantWriteListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Publishes each tenant's committed order events to the broker, in feed order, after commit
 * (docs/design/event-publication.md).
 *
 * <p>One visit of a tenant is one transaction: take the tenant's relay lock (or move on if another
 * relay holds it), read the next batch after the cursor, send it, wait for the broker's confirms, move
 * the cursor. A relay that dies before the cursor moves leaves it where it was, and the batch is sent
 * again: at least once, with the same message ids.
 *
 * <p>Which tenants to visit: those this instance committed a transaction for since its last pass
 * (told by {@link TenantTx} through {@link TenantWriteListener}), plus every served tenant once per
 * sweep, for events another instance left when it stopped.
 */
@ApplicationScoped
public class EventRelay implements TenantWriteListener {

    /** The actor of the relay's transactions: they append nothing and wake no relay. */
    public static final String ACTOR = TenantWriteListener.FOLLOWER_ACTOR_PREFIX + "event-relay";
    /** A batch cut short by an event whose predecessor lies beyond it is read again this much larger, up to this bound. */
    static final int MAX_BATCH = 100_000;

    private final Map<UUID, Tenant> pending = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> unpublishedSince = new ConcurrentHashMap<>();
    private final Map<UUID, Long> backlog = new ConcurrentHashMap<>();
    private final Set<UUID> reportedLagging = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean passRunning = new AtomicBoolean();

    private final TenantTx tx;
    private final TenantDirectory directory;
    private final OrderEventFeed feed;
    private final EventBroker broker;
    private final PublicationConfig config;
    private final Vertx vertx;
    private final Counter published;
    private final Counter failures;
    private final Timer delay;
    private long timer = -1;

    EventRelay(TenantTx tx, TenantDirectory directory, OrderEventFeed feed, EventBroker broker, PublicationConfig config,
            Vertx vertx, MeterRegistry metrics) {
        this.tx = tx;
        this.directory = directory;
        this.feed = feed;
        this.broker = broker;
        this.config = config;
        this.vertx = vertx;
        this.published = Counter.builder("tessera.events.published")
                .description("Order events confirmed by the broker").register(metrics);
        this.failures = Counter.builder("tessera.events.publish.failures")
                .description("Relay visits that failed (broker refused, no confirm in time, database error)").register(metrics);
        this.delay = Timer.builder("tessera.events.delay")
                .description("From an event's append to the broker's confirm of its publication").register(metrics);
        Gauge.builder("tessera.events.lag", this, EventRelay::lagSeconds).baseUnit("seconds")
                .description("Age of the oldest committed order event not yet published, over the tenants this instance visits")
                .register(metrics);
        Gauge.builder("tessera.events.backlog", this, r -> r.backlog.values().stream().mapToLong(Long::longValue).sum())
                .description("Committed order events not yet published, over the tenants this instance visits")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        if (config.publicationEnabled()) {
            // A Vert.x timer, not @Scheduled: the pass runs several times a second and touches no Panache.
            timer = vertx.setPeriodic(config.relayInterval().toMillis(), id -> pass());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    @Override
    public void committed(TenantContext tenant) {
        if (config.publicationEnabled()) {
            pending.put(tenant.tenant().id(), tenant.tenant());
        }
    }

    /** Publishes everything of this tenant that can be published now; returns what it did. */
    public Uni<Visit> publish(Tenant tenant) {
        return publishFrom(tenant, 0, config.batchSize());
    }

    /** One pass over the tenants noted since the last one (at most one pass runs at a time). */
    Uni<Void> publishPending() {
        List<Tenant> due = List.copyOf(pending.values());
        due.forEach(t -> pending.remove(t.id(), t));
        return Multi.createFrom().iterable(due)
                .onItem().transformToUni(t -> publish(t).onFailure().recoverWithItem(e -> failed(t, e)))
                .merge(4).collect().last().replaceWithVoid();
    }

    private void pass() {
        if (pending.isEmpty() || !passRunning.compareAndSet(false, true)) {
            return;
        }
        publishPending().subscribe().with(x -> passRunning.set(false), e -> passRunning.set(false));
    }

    /** Notes every served tenant for the next pass (the tenant directory is read through Panache). */
    @Scheduled(identity = "event-relay-sweep", every = "{tessera.events.sweep-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!config.publicationEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return directory.sealCandidates().invoke(all -> all.forEach(t -> pending.putIfAbsent(t.id(), t)))
                .onFailure().invoke(e -> Log.warnf("Event relay: cannot list tenants: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Visit> publishFrom(Tenant tenant, long soFar, int limit) {
        TenantContext relay = new TenantContext(tenant, ACTOR, Set.of());
        return tx.run(relay, conn -> visit(conn, tenant.id(), limit)).flatMap(v -> {
            if (v.sent() > 0) {
                published.increment(v.sent());
            }
            if (v.sent() == limit) {
                return publishFrom(tenant, soFar + v.sent(), config.batchSize());
            }
            if (v.sent() == 0 && v.cutShort() && limit < MAX_BATCH) {
                return publishFrom(tenant, soFar, Math.min(MAX_BATCH, limit * 2));
            }
            return Uni.createFrom().item(observed(tenant, new Visit(soFar + v.sent(), v.backlog(), v.oldest(), v.busy(), false)));
        });
    }

    /** One batch in one transaction: lock, cursor, batch, send and await confirms, cursor moved, backlog. */
    private Uni<Visit> visit(SqlConnection conn, UUID tenant, int limit) {
        return feed.tryLock(conn, tenant).flatMap(locked -> {
            if (!locked) {
                return Uni.createFrom().item(new Visit(0, 0, null, true, false));
            }
            return feed.cursor(conn).flatMap(cursor -> feed.batch(conn, cursor, limit).flatMap(rows -> {
                FeedBatch batch = FeedBatch.of(rows);
                boolean cutShort = batch.size() < rows.size() && rows.size() == limit;
                if (batch.isEmpty()) {
                    return feed.backlog(conn, cursor).map(b -> new Visit(0, b.events(), b.oldest(), false, cutShort));
                }
                List<FeedEvent> events = batch.inSendingOrder();
                FeedEvent.Cursor to = batch.cursorAfter();
                return broker.publish(events.stream().map(e -> EventMessages.of(tenant, e)).toList(), config.confirmTimeout())
                        .invoke(x -> recordDelays(events))
                        .flatMap(x -> feed.advance(conn, to))
                        .flatMap(x -> feed.backlog(conn, to))
                        .map(b -> new Visit(events.size(), b.events(), b.oldest(), false, cutShort));
            }));
        });
    }

    private void recordDelays(List<FeedEvent> events) {
        Instant now = Instant.now();
        events.forEach(e -> delay.record(Duration.between(e.recordedAt().toInstant(), now)));
    }

    private Visit observed(Tenant tenant, Visit v) {
        backlog.put(tenant.id(), v.backlog());
        if (v.oldest() == null) {
            unpublishedSince.remove(tenant.id());
            reportedLagging.remove(tenant.id());
        } else {
            Instant since = v.oldest().toInstant();
            unpublishedSince.put(tenant.id(), since);
            // Held back by an older transaction, or by another relay: again next pass.
            pending.putIfAbsent(tenant.id(), tenant);
            Duration age = Duration.between(since, Instant.now());
            if (age.compareTo(config.maxLag()) > 0 && reportedLagging.add(tenant.id())) {
                Log.warnf("Event relay: tenant %s has events unpublished for %d ms (bound %s): a long-running "
                        + "transaction holds the horizon back, or the broker does not confirm", tenant.slug(),
                        age.toMillis(), config.maxLag());
            }
        }
        return v;
    }

    private Visit failed(Tenant tenant, Throwable e) {
        failures.increment();
        pending.putIfAbsent(tenant.id(), tenant);
        Log.warnf("Event relay: tenant %s: %s", tenant.slug(), e.getMessage());
        return new Visit(0, 0, null, false, false);
    }

    private double lagSeconds() {
        Instant now = Instant.now();
        return unpublishedSince.values().stream()
                .mapToDouble(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0)).max().orElse(0);
    }

    /**
     * What a visit did: events sent (and confirmed), committed events still unpublished after it and
     * the oldest one's append time (null: none), whether another relay held the tenant, and whether
     * the batch was cut short by an event whose predecessor lay beyond it.
     */
    public record Visit(long sent, long backlog, OffsetDateTime oldest, boolean busy, boolean cutShort) {
    }
}
