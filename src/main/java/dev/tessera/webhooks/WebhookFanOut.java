package dev.tessera.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.orders.publication.EventMessages;
import dev.tessera.orders.publication.FeedEvent;
import dev.tessera.orders.publication.OrderEventFeed;
import dev.tessera.shared.id.UuidV7;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import dev.tessera.webhooks.persistence.DeliveryStore;
import dev.tessera.webhooks.persistence.DeliveryStore.NewDelivery;
import dev.tessera.webhooks.persistence.DeliveryStore.Subscriber;
import dev.tessera.webhooks.persistence.WebhookFeed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Turns a tenant's committed order events into deliveries, one per event and enabled endpoint that wants
 * its type and was registered by a transaction before the event's.
 *
 * <p>Reads the event store as the broker relay does ({@link OrderEventFeed#batch}: only events whose
 * transaction is below the snapshot's xmin, in (txid, position) order), after a cursor of its own, so an
 * event whose transaction commits late is fanned out when it commits, never skipped, and an uncommitted one
 * never. The deliveries and the moved cursor commit together: a fan-out that dies leaves both as they
 * were, and one repeated adds nothing (one first delivery per event and endpoint). One fan-out per tenant
 * at a time (an advisory lock); the transaction takes an id only for its writes, and holds no request.
 */
@ApplicationScoped
public class WebhookFanOut {

    private final TenantTx tx;
    private final OrderEventFeed events;
    private final WebhookFeed feed;
    private final DeliveryStore store;
    private final WebhookConfig config;

    WebhookFanOut(TenantTx tx, OrderEventFeed events, WebhookFeed feed, DeliveryStore store, WebhookConfig config) {
        this.tx = tx;
        this.events = events;
        this.feed = feed;
        this.store = store;
        this.config = config;
    }

    /**
     * Fans out everything that can be now; true if the tenant must be visited again soon: another fan-out
     * held it, or committed events wait behind a transaction still running somewhere in the cluster.
     */
    public Uni<Boolean> run(TenantContext system) {
        return tx.run(system, conn -> once(conn, system.tenant().id()))
                .flatMap(r -> r.full() ? run(system) : Uni.createFrom().item(r.again()));
    }

    // The events are read before the endpoints, and an endpoint takes the events of transactions after the
    // one that registered it: an endpoint the later read does not see was registered by a transaction
    // still running at the earlier one, whose id is at least that read's xmin, so above every event read.
    // With no endpoint the cursor jumps to the last committed event, without reading the events before it.
    private Uni<Result> once(SqlConnection conn, UUID tenant) {
        return feed.tryLock(conn, tenant).flatMap(locked -> !locked ? Uni.createFrom().item(new Result(false, true))
                : feed.cursor(conn).flatMap(cursor -> events.latest(conn).flatMap(latest -> compare(latest, cursor) <= 0
                        ? heldBack(conn, cursor, false)
                        : store.enabledEndpoints(conn).flatMap(subscribers -> subscribers.isEmpty()
                                ? feed.advance(conn, latest).flatMap(x -> heldBack(conn, latest, false))
                                : events.batch(conn, cursor, config.batchSize())
                                        .flatMap(rows -> store.enabledEndpoints(conn)
                                                .flatMap(now -> fanOut(conn, tenant, rows, now)))))));
    }

    /** Whether committed events after {@code at} wait for an older transaction to end (then: again soon). */
    private Uni<Result> heldBack(SqlConnection conn, FeedEvent.Cursor at, boolean full) {
        return events.backlog(conn, at).map(b -> new Result(full, b.events() > 0));
    }

    private Uni<Result> fanOut(SqlConnection conn, UUID tenant, List<FeedEvent> rows, List<Subscriber> subscribers) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(new Result(false, true)); // the first event waits: look again soon
        }
        List<NewDelivery> out = new ArrayList<>();
        for (FeedEvent e : rows) {
            String body = null;
            for (Subscriber s : subscribers) {
                if (s.wants(e.type(), e.txid())) {
                    body = body != null ? body : EventMessages.body(tenant, e).encode();
                    out.add(new NewDelivery(UuidV7.next(), s.id(), EventMessages.eventId(tenant, e.orderId(), e.version()),
                            e.type(), body));
                }
            }
        }
        FeedEvent.Cursor to = rows.get(rows.size() - 1).cursor();
        return store.fanOut(conn, out).flatMap(x -> feed.advance(conn, to))
                .flatMap(x -> heldBack(conn, to, rows.size() == config.batchSize()));
    }

    private static int compare(FeedEvent.Cursor a, FeedEvent.Cursor b) {
        int byTxid = Long.compare(a.txid(), b.txid());
        return byTxid != 0 ? byTxid : Long.compare(a.position(), b.position());
    }

    /** Whether the batch was full (read on at once), and whether to look again soon. */
    private record Result(boolean full, boolean again) {
    }
}
