package dev.tessera.tenancy.provisioning;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import dev.tessera.events.EventBroker;
import dev.tessera.events.EventIds;
import dev.tessera.events.PublicationConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes tenant lifecycle events (provisioned, activated, suspended, offboarded) to the broker feed,
 * reading {@code tessera.platform_audit} as the outbox: each state change records its row in the same
 * transaction. Same rule as the order feed: rows whose txid is below the snapshot's xmin, in (txid, id)
 * order after the cursor (docs/design/event-publication.md).
 *
 * <p>Each step is one statement on the pool (platform data, no tenant door): the relay takes a lease on
 * the cursor row only when there is something to send, sends, waits for the broker's confirms, and
 * moves the cursor if it still holds the lease. A relay that dies leaves the cursor; its lease expires
 * and the next relay sends the batch again with the same ids. Lifecycle changes are rare, so it polls.
 */
@ApplicationScoped
public class LifecycleRelay {

    /** platform_audit actions published, and their event types. */
    static final Map<String, String> TYPES = Map.of("tenant.create", "TenantProvisioned", "tenant.activate",
            "TenantActivated", "tenant.suspend", "TenantSuspended", "tenant.offboard", "TenantOffboarded");

    static final String CURSOR = """
            SELECT txid, audit_id
              FROM tessera.platform_publication_state
             WHERE id = 1
            """;

    static final String BATCH = """
            SELECT id, txid, actor, action, tenant_id, details, at
              FROM tessera.platform_audit
             WHERE txid IS NOT NULL
               AND (txid, id) > ($1, $2)
               AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
               AND action = ANY ($3)
               AND tenant_id IS NOT NULL
             ORDER BY txid, id
             LIMIT $4
            """;

    // Only from the cursor this relay read, and only if no other relay holds an unexpired lease.
    static final String LEASE = """
            UPDATE tessera.platform_publication_state
               SET holder = $1, lease_until = clock_timestamp() + $2 * interval '1 millisecond'
             WHERE id = 1 AND txid = $3 AND audit_id = $4
               AND (lease_until < clock_timestamp() OR holder = $1)
            """;

    static final String ADVANCE = """
            UPDATE tessera.platform_publication_state
               SET txid = $2, audit_id = $3, holder = NULL, lease_until = '-infinity'
             WHERE id = 1 AND holder = $1 AND (txid, audit_id) < ($2, $3)
            """;

    private final String holder = "relay-" + UUID.randomUUID();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Pool pool;
    private final EventBroker broker;
    private final Vertx vertx;
    private final boolean enabled;
    private final java.time.Duration interval;
    private final java.time.Duration confirmTimeout;
    private final Counter published;
    private long timer = -1;

    LifecycleRelay(Pool pool, EventBroker broker, Vertx vertx, MeterRegistry metrics, PublicationConfig config) {
        this.pool = pool;
        this.broker = broker;
        this.vertx = vertx;
        this.enabled = config.publicationEnabled();
        this.interval = config.lifecycleInterval();
        this.confirmTimeout = config.confirmTimeout();
        this.published = Counter.builder("tessera.events.lifecycle.published")
                .description("Tenant lifecycle events confirmed by the broker").register(metrics);
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        if (running.compareAndSet(false, true)) {
            publish().subscribe().with(n -> running.set(false), e -> {
                running.set(false);
                Log.warnf("Lifecycle relay: %s", e.getMessage());
            });
        }
    }

    /** Publishes one batch of lifecycle events if there is one; returns how many (-1: another relay holds the lease). */
    public Uni<Integer> publish() {
        return pool.preparedQuery(CURSOR).execute().map(rows -> rows.iterator().next())
                .flatMap(c -> {
                    long txid = c.getLong("txid");
                    long id = c.getLong("audit_id");
                    return pool.preparedQuery(BATCH).execute(Tuple.of(txid, id, TYPES.keySet().toArray(String[]::new), 500))
                            .flatMap(rows -> {
                                List<Row> batch = new ArrayList<>();
                                rows.forEach(batch::add);
                                return batch.isEmpty() ? Uni.createFrom().item(0) : send(txid, id, batch);
                            });
                });
    }

    private Uni<Integer> send(long txid, long id, List<Row> batch) {
        long leaseMillis = confirmTimeout.toMillis() + 5_000;
        return pool.preparedQuery(LEASE).execute(Tuple.of(holder, leaseMillis, txid, id)).flatMap(leased -> {
            if (leased.rowCount() == 0) {
                return Uni.createFrom().item(-1);
            }
            List<Message<JsonObject>> messages = batch.stream().map(LifecycleRelay::message).toList();
            Row last = batch.get(batch.size() - 1);
            return broker.publish(messages, confirmTimeout)
                    .flatMap(x -> pool.preparedQuery(ADVANCE).execute(Tuple.of(holder, last.getLong("txid"), last.getLong("id"))))
                    .invoke(x -> published.increment(batch.size()))
                    .replaceWith(batch.size());
        });
    }

    static Message<JsonObject> message(Row r) {
        String type = TYPES.get(r.getString("action"));
        UUID tenant = r.getUUID("tenant_id");
        String id = EventIds.of("platform-audit/" + r.getLong("id")).toString();
        OffsetDateTime at = r.getOffsetDateTime("at");
        JsonObject body = new JsonObject().put("eventId", id).put("tenantId", tenant.toString()).put("type", type)
                .put("actor", r.getString("actor")).put("details", (JsonObject) r.getValue("details"))
                .put("recordedAt", at.toString());
        OutgoingRabbitMQMetadata rabbit = OutgoingRabbitMQMetadata.builder().withMessageId(id)
                .withRoutingKey(tenant + ".tenant." + type).withContentType("application/json").withDeliveryMode(2)
                .withType(type).withTimestamp(at.toZonedDateTime())
                .withHeaders(Map.of("tenant-id", tenant.toString(), "type", type, "schema-version", 1)).build();
        return Message.of(body, Metadata.of(rabbit));
    }
}
