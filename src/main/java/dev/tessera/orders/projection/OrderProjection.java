package dev.tessera.orders.projection;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.orders.domain.Order;
import dev.tessera.orders.eventstore.OrderEventStore;
import dev.tessera.shared.sql.CustomPlans;
import dev.tessera.tenancy.TenantRead;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The rm_orders read model: written in the same transaction as each append, read by the order list. */
@ApplicationScoped
public class OrderProjection {


    static final String UPSERT = """
            INSERT INTO rm_orders (order_id, status, customer_id, currency, total, item_count, version, created_at,
                                   updated_at, state)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (tenant_id, order_id) DO UPDATE
               SET status      = excluded.status,
                   customer_id = excluded.customer_id,
                   total       = excluded.total,
                   item_count  = excluded.item_count,
                   version     = excluded.version,
                   updated_at  = excluded.updated_at,
                   state       = excluded.state
            """;

    // The snapshot row (type NULL) and every event after its version, in one statement: the events
    // are normally none, but fill in for a snapshot that lags behind its stream or is missing. The
    // snapshot's version is its own (state ->> 'version'), not the row's: a release before V008 updates
    // the row's version without touching state during a rolling update. The bound is a scalar subquery
    // (an InitPlan) so that it is an index condition on (order_id, version) in the generic plan that a
    // cached prepared statement ends up with: written as a LATERAL join, the generic plan read every
    // event of the order and dropped them in a join filter, so each command cost more the longer its
    // stream (1.0 ms against 0.1 ms at 71 events). OrderLoadPlanTest holds this.
    static final String CURRENT = """
            SELECT (state ->> 'version')::integer AS version, NULL AS type, state AS payload, NULL::jsonb AS metadata
              FROM rm_orders
             WHERE order_id = $1
               AND state ->> 'schema' = $2
            UNION ALL
            SELECT version, type, payload, metadata
              FROM es_order_events
             WHERE order_id = $1
               AND version > (SELECT coalesce(max((state ->> 'version')::integer), 0)
                                FROM rm_orders
                               WHERE order_id = $1
                                 AND state ->> 'schema' = $2)
             ORDER BY 1
            """;

    static final String LIST = """
            SELECT order_id, status, customer_id, currency, total, item_count, version, created_at, updated_at
              FROM rm_orders
             WHERE ($1::uuid IS NULL OR order_id > $1)
               AND ($2::text IS NULL OR status = $2)
               AND ($3::uuid IS NULL OR customer_id = $3)
             ORDER BY order_id
             LIMIT $4
            """;

    /** One row of the read model. */
    public record OrderSummary(UUID id, String status, UUID customerId, String currency, java.math.BigDecimal total,
            int itemCount, int version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    public Uni<Void> apply(SqlConnection conn, Order order, OffsetDateTime at) {
        return apply(conn, order, at, at);
    }

    /** Writes the order's row and snapshot; {@code createdAt} counts only when the row is new. */
    public Uni<Void> apply(SqlConnection conn, Order order, OffsetDateTime createdAt, OffsetDateTime at) {
        return conn.preparedQuery(UPSERT).execute(row(order, createdAt, at)).replaceWithVoid();
    }

    /** An order's state with the times of its first and last events. */
    public record Replayed(Order order, OffsetDateTime createdAt, OffsetDateTime at) {
    }

    /** Writes the rows and snapshots of several orders as one batch (one round trip). */
    public Uni<Void> applyAll(SqlConnection conn, List<Replayed> orders) {
        return orders.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery(UPSERT)
                        .executeBatch(orders.stream().map(r -> row(r.order(), r.createdAt(), r.at())).toList())
                        .replaceWithVoid();
    }

    private static Tuple row(Order order, OffsetDateTime createdAt, OffsetDateTime at) {
        return Tuple.tuple().addUUID(order.id()).addString(order.status().name()).addUUID(order.customerId())
                .addString(order.currency()).addBigDecimal(order.total()).addInteger(order.itemCount())
                .addInteger(order.version()).addOffsetDateTime(createdAt).addOffsetDateTime(at)
                .addJsonObject(OrderSnapshot.encode(order));
    }

    /**
     * The order's current state from its snapshot and the events after it, in one statement (so it
     * can travel with COMMIT); an order without a snapshot this code can read is replayed from all its
     * events. An order that does not exist comes back empty (version 0).
     */
    public Uni<Order> current(SqlConnection conn, UUID id) {
        return conn.preparedQuery(CURRENT).execute(Tuple.of(id, String.valueOf(OrderSnapshot.SCHEMA)))
                .map(rows -> folded(id, rows));
    }

    /** {@link #CURRENT} as one statement (TenantTx.read; R__tenant_reads.sql); arguments from {@link #currentArguments}, rows by {@link #folded}. */
    public static final TenantRead<RowSet<Row>> READ_CURRENT = TenantRead.of("tessera.read_order", 2, rows -> rows);

    public static Object[] currentArguments(UUID id) {
        return new Object[] { id, String.valueOf(OrderSnapshot.SCHEMA) };
    }

    /** The order from its snapshot and the events after it, as {@link #CURRENT} returns them. */
    public static Order folded(UUID id, RowSet<Row> rows) {
        Order order = Order.empty(id);
        for (Row r : rows) {
            order = r.getString("type") == null
                    ? OrderSnapshot.decode(id, (JsonObject) r.getValue("payload"))
                    : order.apply(OrderEventStore.decode(r));
        }
        return order;
    }

    /** Up to limit + 1 rows after the cursor, optionally by status and customer. */
    public Uni<List<OrderSummary>> list(SqlConnection conn, UUID after, String status, UUID customer, int limit) {
        return CustomPlans.execute(conn, LIST, Tuple.tuple().addUUID(after).addString(status).addUUID(customer)
                .addInteger(limit + 1)).map(rows -> {
                    List<OrderSummary> out = new ArrayList<>();
                    rows.forEach(r -> out.add(toSummary(r)));
                    return out;
                });
    }

    /** The read-model row of an order and its snapshot (null if it has none). */
    public record Stored(OrderSummary summary, JsonObject state) {
    }

    /**
     * The rows of the given orders (those that have one), locked until the transaction ends: a command
     * on one of them waits, so the rebuild's later upsert cannot overwrite that command's newer row
     * with the state it replayed before it. Locked in order_id order; a command locks one row only, so
     * no two lockers can wait for each other in a cycle.
     */
    public Uni<Map<UUID, Stored>> lockAll(SqlConnection conn, List<UUID> ids) {
        return conn.preparedQuery("""
                SELECT order_id, status, customer_id, currency, total, item_count, version, created_at, updated_at, state
                  FROM rm_orders WHERE order_id = ANY($1) ORDER BY order_id FOR UPDATE""")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
                    Map<UUID, Stored> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getUUID("order_id"), new Stored(toSummary(r), (JsonObject) r.getValue("state"))));
                    return out;
                });
    }

    private static OrderSummary toSummary(Row r) {
        return new OrderSummary(r.getUUID("order_id"), r.getString("status"), r.getUUID("customer_id"),
                r.getString("currency"), r.getBigDecimal("total"), r.getInteger("item_count"), r.getInteger("version"),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
    }
}
