package dev.tessera.orders;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.orders.eventstore.OrderEventStore;
import dev.tessera.orders.projection.OrderProjectionRebuild;
import dev.tessera.tenancy.TenantContext;
import dev.tessera.tenancy.TenantDataSection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Orders in the tenant export and import: the event streams (the source of truth), never the
 * projection, which the import rebuilds in its own transaction. Idempotency keys stay behind: they
 * answer retries of requests made to the old tenant and expire within a day anyway.
 */
@ApplicationScoped
public class OrderDataSection implements TenantDataSection {

    static final int FETCH_SIZE = 500;

    private final OrderEventStore store;
    private final OrderProjectionRebuild rebuild;

    OrderDataSection(OrderEventStore store, OrderProjectionRebuild rebuild) {
        this.store = store;
        this.rebuild = rebuild;
    }

    @Override
    public String kind() {
        return "orderEvent";
    }

    @Override
    public int position() {
        return 30;
    }

    @Override
    public Multi<JsonObject> export(SqlConnection conn, TenantContext tenant) {
        return store.streamAll(conn, FETCH_SIZE).map(r -> new JsonObject().put("kind", kind())
                .put("orderId", r.getUUID("order_id").toString()).put("version", r.getInteger("version"))
                .put("type", r.getString("type")).put("payload", r.getValue("payload"))
                .put("metadata", r.getValue("metadata")).put("recordedAt", r.getOffsetDateTime("recorded_at").toString()));
    }

    @Override
    public Uni<Boolean> holdsData(SqlConnection conn) {
        return store.any(conn);
    }

    @Override
    public Uni<Boolean> restore(SqlConnection conn, TenantContext tenant, JsonObject l) {
        UUID order = UUID.fromString(l.getString("orderId"));
        return store.insertExported(conn, order, l.getInteger("version"), l.getString("type"),
                l.getJsonObject("payload"), l.getJsonObject("metadata"), OffsetDateTime.parse(l.getString("recordedAt")))
                .invoke(inserted -> {
                    if (!inserted) {
                        throw new IllegalArgumentException("event version out of sequence");
                    }
                }).replaceWith(true);
    }

    @Override
    public Uni<Void> finishImport(SqlConnection conn, TenantContext tenant) {
        return rebuild.rebuildAllIn(conn).replaceWithVoid();
    }
}
