package dev.tessera.orders.query;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.orders.domain.Order;
import dev.tessera.orders.eventstore.OrderEventStore;
import dev.tessera.orders.eventstore.RecordedEvent;
import dev.tessera.orders.projection.OrderProjection;
import dev.tessera.orders.projection.OrderProjection.OrderSummary;
import dev.tessera.shared.error.NotFound;
import dev.tessera.shared.paging.Page;
import dev.tessera.shared.paging.PageRequest;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantTx;
import io.smallrye.mutiny.Uni;

/**
 * Reads: the list from the projection; one order now from its snapshot (and any later events), or at a
 * version or a time rebuilt from its events.
 */
@ApplicationScoped
public class OrderQueries {

    private final TenantTx tx;
    private final OrderEventStore store;
    private final OrderProjection projection;

    OrderQueries(TenantTx tx, OrderEventStore store, OrderProjection projection) {
        this.tx = tx;
        this.store = store;
        this.projection = projection;
    }

    /** The order as of {@code version} or {@code at} (both null: now); 404 if it did not exist then. */
    public Uni<Order> state(TenantContext tenant, UUID id, Integer version, OffsetDateTime at) {
        Uni<Order> order = version == null && at == null
                ? tx.read(tenant, OrderProjection.READ_CURRENT, OrderProjection.currentArguments(id))
                        .map(rows -> OrderProjection.folded(id, rows))
                : tx.inOneRoundTrip(tenant, conn -> store.load(conn, id, version, at))
                        .map(events -> Order.replay(id, events.stream().map(RecordedEvent::event).toList()));
        return order.invoke(o -> {
            if (!o.exists()) {
                throw new NotFound("Order");
            }
        });
    }

    public Uni<Page<OrderSummary>> list(TenantContext tenant, PageRequest page, String status, UUID customer) {
        return tx.inOneRoundTrip(tenant, conn -> projection.list(conn, page.after(), status, customer, page.limit()))
                .map(rows -> page.page(rows, OrderSummary::id));
    }

    /** A page of the order's history; 404 if the order does not exist. */
    public Uni<List<RecordedEvent>> events(TenantContext tenant, UUID id, int afterVersion, int limit) {
        return tx.inOneRoundTrip(tenant, conn -> store.page(conn, id, afterVersion, limit + 1).flatMap(events -> events.isEmpty()
                && afterVersion == 0 ? Uni.createFrom().failure(new NotFound("Order")) : Uni.createFrom().item(events)));
    }
}
