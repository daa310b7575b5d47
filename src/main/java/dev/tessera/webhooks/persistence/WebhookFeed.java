package dev.tessera.webhooks.persistence;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.orders.publication.FeedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The webhook feed's own lock and cursor over the committed order events (the events themselves are read
 * by {@link dev.tessera.orders.publication.OrderEventFeed#batch}, under its xmin rule).
 */
@ApplicationScoped
public class WebhookFeed {

    // One fan-out per tenant at a time (a key of its own: the broker relay may visit the tenant meanwhile).
    static final String LOCK = """
            SELECT pg_try_advisory_xact_lock(hashtextextended('tessera.webhooks:' || $1, 0)) AS locked
            """;

    static final String CURSOR = "SELECT txid, position FROM wh_feed_state";

    // Never backwards.
    static final String ADVANCE = """
            INSERT INTO wh_feed_state (txid, position, moved_at)
            VALUES ($1, $2, clock_timestamp())
                ON CONFLICT (tenant_id) DO UPDATE
               SET txid = excluded.txid, position = excluded.position, moved_at = excluded.moved_at
             WHERE (wh_feed_state.txid, wh_feed_state.position) < (excluded.txid, excluded.position)
            """;

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

    public Uni<Void> advance(SqlConnection conn, FeedEvent.Cursor to) {
        return conn.preparedQuery(ADVANCE).execute(Tuple.of(to.txid(), to.position())).replaceWithVoid();
    }
}
