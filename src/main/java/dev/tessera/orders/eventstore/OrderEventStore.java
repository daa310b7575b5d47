package dev.tessera.orders.eventstore;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.orders.domain.OrderEvent;
import dev.tessera.shared.sql.Cursors;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The order event store: load a stream (whole, up to a version, or as of a time) and append to it
 * with an optimistic version check. The primary key (tenant_id, order_id, version) is the lock: an
 * append that lost the race to the same version fails with a unique violation, never a lost or
 * duplicated event. Runs on a TenantTx connection (RLS; unqualified names for the tenant's schema).
 */
@ApplicationScoped
public class OrderEventStore {

    static final String LOAD = """
            SELECT version, type, payload, metadata, recorded_at
              FROM es_order_events
             WHERE order_id = $1
               AND version <= coalesce($2, 2147483647)
               AND recorded_at <= coalesce($3, 'infinity'::timestamptz)
             ORDER BY version
            """;

    static final String LOAD_ALL = """
            SELECT order_id, version, type, payload, metadata, recorded_at
              FROM es_order_events
             WHERE order_id = ANY($1)
             ORDER BY order_id, version
            """;

    static final String PAGE = """
            SELECT version, type, payload, metadata, recorded_at
              FROM es_order_events
             WHERE order_id = $1
               AND version > $2
             ORDER BY version
             LIMIT $3
            """;

    static final String APPEND = """
            INSERT INTO es_order_events (order_id, version, type, payload, metadata)
            SELECT $1, $2 + ordinality, e.type, e.payload, $5
              FROM unnest($3::text[], $4::jsonb[]) WITH ORDINALITY AS e(type, payload)
            """;

    // Export and import: every event of every order in the order it was recorded, recorded_at kept.
    static final String EXPORT = """
            SELECT order_id, version, type, payload, metadata, recorded_at
              FROM es_order_events
             ORDER BY position
            """;

    // Versions of a stream must arrive 1, 2, 3...: a gap would replay into an order that never was, so
    // an event is inserted only after its predecessor.
    static final String IMPORT = """
            INSERT INTO es_order_events (order_id, version, type, payload, metadata, recorded_at)
            SELECT $1, $2, $3, $4, $5, $6
             WHERE $2 = 1
                OR EXISTS (SELECT 1 FROM es_order_events WHERE order_id = $1 AND version = $2 - 1)
            """;

    /** Every event of the tenant, oldest first, through a cursor (constant memory). */
    public Multi<Row> streamAll(SqlConnection conn, int fetchSize) {
        return Cursors.stream(conn, EXPORT, Tuple.tuple(), fetchSize);
    }

    /**
     * Inserts an exported event at its own version, after checking that its payload decodes; false if
     * its predecessor is missing. The primary key still refuses a version that exists.
     */
    public Uni<Boolean> insertExported(SqlConnection conn, UUID orderId, int version, String type, JsonObject payload,
            JsonObject metadata, OffsetDateTime recordedAt) {
        EventCodec.decode(type, payload, metadata.getInteger("schemaVersion", EventCodec.SCHEMA_VERSION));
        return conn.preparedQuery(IMPORT).execute(Tuple.tuple().addUUID(orderId).addInteger(version).addString(type)
                .addJsonObject(payload).addJsonObject(metadata).addOffsetDateTime(recordedAt)).map(r -> r.rowCount() == 1);
    }

    public Uni<Boolean> any(SqlConnection conn) {
        return conn.preparedQuery("SELECT EXISTS (SELECT 1 FROM es_order_events) AS any").execute()
                .map(rows -> rows.iterator().next().getBoolean("any"));
    }

    public Uni<List<RecordedEvent>> load(SqlConnection conn, UUID orderId, Integer uptoVersion, OffsetDateTime at) {
        return conn.preparedQuery(LOAD).execute(Tuple.of(orderId, uptoVersion, at)).map(rows -> {
            List<RecordedEvent> out = new ArrayList<>();
            rows.forEach(r -> out.add(toRecorded(r)));
            return out;
        });
    }

    /** Every event of each of the given orders, by order (an order without events is absent). */
    public Uni<Map<UUID, List<RecordedEvent>>> loadAll(SqlConnection conn, List<UUID> orderIds) {
        return conn.preparedQuery(LOAD_ALL).execute(Tuple.of(orderIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, List<RecordedEvent>> out = new LinkedHashMap<>();
            rows.forEach(r -> out.computeIfAbsent(r.getUUID("order_id"), k -> new ArrayList<>()).add(toRecorded(r)));
            return out;
        });
    }

    /** Up to {@code limit} events after {@code afterVersion}. */
    public Uni<List<RecordedEvent>> page(SqlConnection conn, UUID orderId, int afterVersion, int limit) {
        return conn.preparedQuery(PAGE).execute(Tuple.of(orderId, afterVersion, limit)).map(rows -> {
            List<RecordedEvent> out = new ArrayList<>();
            rows.forEach(r -> out.add(toRecorded(r)));
            return out;
        });
    }

    /** Appends events at expectedVersion + 1, + 2, ...; fails with SQLSTATE 23505 if another writer got there first. */
    public Uni<Void> append(SqlConnection conn, UUID orderId, int expectedVersion, List<OrderEvent> events,
            JsonObject metadata) {
        String[] types = events.stream().map(OrderEvent::typeOf).toArray(String[]::new);
        JsonObject[] payloads = events.stream().map(EventCodec::encode).toArray(JsonObject[]::new);
        return conn.preparedQuery(APPEND)
                .execute(Tuple.tuple().addUUID(orderId).addInteger(expectedVersion).addArrayOfString(types)
                        .addArrayOfJsonObject(payloads).addJsonObject(metadata))
                .replaceWithVoid();
    }

    /** The event in a row with the columns type, payload and metadata. */
    public static OrderEvent decode(Row r) {
        JsonObject metadata = (JsonObject) r.getValue("metadata");
        return EventCodec.decode(r.getString("type"), (JsonObject) r.getValue("payload"),
                metadata.getInteger("schemaVersion", EventCodec.SCHEMA_VERSION));
    }

    private static RecordedEvent toRecorded(Row r) {
        return new RecordedEvent(r.getInteger("version"), r.getString("type"), decode(r), (JsonObject) r.getValue("payload"),
                (JsonObject) r.getValue("metadata"), r.getOffsetDateTime("recorded_at"));
    }
}
