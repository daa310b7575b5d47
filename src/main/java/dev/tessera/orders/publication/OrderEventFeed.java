package dev.tessera.orders.publication;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The event store read as an outbox: the relay's lock, cursor, batch and backlog for one tenant. Runs
 * on a TenantTx connection (RLS; unqualified names for the tenant's schema).
 */
@ApplicationScoped
public class OrderEventFeed {

    // One relay per tenant at a time, held until the relay's transaction ends. An advisory lock, not
    // FOR UPDATE on the state row: a row lock takes a transaction id, and an id held open while the
    // broker confirms would hold back xmin, so every other tenant's feed (and the audit sealer) would
    // wait for this broker round trip. The transaction takes an id only for its final cursor update.
    static final String LOCK = """
            SELECT pg_try_advisory_xact_lock(hashtextextended('tessera.events:' || $1, 0)) AS locked
            """;

    static final String CURSOR = """
            SELECT txid, position
              FROM es_publication_state
            """;

    // Only events whose transaction is below the snapshot's xmin: every such transaction has ended, so
    // its events are all visible to this statement and no event can appear later at or before the
    // batch's last (txid, position). xmin and the rows come from one snapshot: this statement's.
    static final String BATCH = """
            SELECT e.order_id, e.version, e.type, e.payload, e.metadata, e.recorded_at, e.txid, e.position,
                   (e.version = 1 OR EXISTS (SELECT 1
                                               FROM es_order_events p
                                              WHERE p.order_id = e.order_id
                                                AND p.version  = e.version - 1
                                                AND (p.txid IS NULL OR (p.txid, p.position) <= ($1, $2)))) AS predecessor_published
              FROM es_order_events e
             WHERE e.txid IS NOT NULL
               AND (e.txid, e.position) > ($1, $2)
               AND e.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
             ORDER BY e.txid, e.position
             LIMIT $3
            """;

    // Never backwards, whoever else wrote meanwhile.
    static final String ADVANCE = """
            INSERT INTO es_publication_state (txid, position, published_at)
            VALUES ($1, $2, clock_timestamp())
                ON CONFLICT (tenant_id) DO UPDATE
               SET txid = excluded.txid, position = excluded.position, published_at = excluded.published_at
             WHERE (es_publication_state.txid, es_publication_state.position) < (excluded.txid, excluded.position)
            """;

    // Committed events not yet published (whether publishable now or held back by an older transaction).
    static final String BACKLOG = """
            SELECT count(*) AS events, min(recorded_at) AS oldest
              FROM es_order_events
             WHERE txid IS NOT NULL
               AND (txid, position) > ($1, $2)
            """;

    // The last event no running transaction precedes: a follower with nothing to send for the events up
    // to it (no subscriber) may move its cursor there without reading them; no later event can land before it.
    static final String LATEST = """
            SELECT txid, position
              FROM es_order_events
             WHERE txid IS NOT NULL
               AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
             ORDER BY txid DESC, position DESC
             LIMIT 1
            """;

    /** True if this transaction now holds the tenant's relay lock; false if another relay does. */
    public Uni<Boolean> tryLock(SqlConnection conn, UUID tenant) {
        return conn.preparedQuery(LOCK).execute(Tuple.of(tenant.toString()))
                .map(rows -> rows.iterator().next().getBoolean("locked"));
    }

    public Uni<FeedEvent.Cursor> cursor(SqlConnection conn) {
        return conn.preparedQuery(CURSOR).execute().map(rows -> {
            if (rows.size() == 0) {
                return FeedEvent.Cursor.START;
            }
            Row r = rows.iterator().next();
            return new FeedEvent.Cursor(r.getLong("txid"), r.getLong("position"));
        });
    }

    /** Up to {@code limit} committed events after {@code cursor}, in feed order, that no running transaction precedes. */
    public Uni<List<FeedEvent>> batch(SqlConnection conn, FeedEvent.Cursor cursor, int limit) {
        return conn.preparedQuery(BATCH).execute(Tuple.of(cursor.txid(), cursor.position(), limit)).map(rows -> {
            List<FeedEvent> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(new FeedEvent(r.getUUID("order_id"), r.getInteger("version"), r.getString("type"),
                    (JsonObject) r.getValue("payload"), (JsonObject) r.getValue("metadata"),
                    r.getOffsetDateTime("recorded_at"), r.getLong("txid"), r.getLong("position"),
                    r.getBoolean("predecessor_published"))));
            return out;
        });
    }

    /** The feed position of the last committed event that no running transaction precedes; START if none. */
    public Uni<FeedEvent.Cursor> latest(SqlConnection conn) {
        return conn.preparedQuery(LATEST).execute().map(rows -> {
            if (rows.size() == 0) {
                return FeedEvent.Cursor.START;
            }
            Row r = rows.iterator().next();
            return new FeedEvent.Cursor(r.getLong("txid"), r.getLong("position"));
        });
    }

    public Uni<Void> advance(SqlConnection conn, FeedEvent.Cursor to) {
        return conn.preparedQuery(ADVANCE).execute(Tuple.of(to.txid(), to.position())).replaceWithVoid();
    }

    public Uni<Backlog> backlog(SqlConnection conn, FeedEvent.Cursor after) {
        return conn.preparedQuery(BACKLOG).execute(Tuple.of(after.txid(), after.position())).map(rows -> {
            Row r = rows.iterator().next();
            return new Backlog(r.getLong("events"), r.getOffsetDateTime("oldest"));
        });
    }

    /** Committed events after the cursor and when the oldest of them was appended (null: none). */
    public record Backlog(long events, OffsetDateTime oldest) {
    }
}
