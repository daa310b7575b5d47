package dev.tessera.webhooks.persistence;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.webhooks.Delivery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Webhook deliveries and their attempts (wh_deliveries, wh_attempts), on a TenantTx connection. */
@ApplicationScoped
public class DeliveryStore {

    static final String COLUMNS = """
            d.public_id, d.event_id, d.event_type, d.status, d.attempts, d.created_at, d.next_attempt_at,
            d.last_attempt_at, d.delivered_at, (SELECT r.public_id FROM wh_deliveries r WHERE r.id = d.replay_of) AS replay_of""";

    static final String ENABLED_ENDPOINTS = "SELECT id, event_types, from_txid FROM wh_endpoints WHERE enabled";

    // One first delivery per event and endpoint: a fan-out repeated after a crash adds nothing.
    static final String FAN_OUT = """
            INSERT INTO wh_deliveries (public_id, endpoint_id, event_id, event_type, body, status, next_attempt_at)
            SELECT n.public_id, n.endpoint_id, n.event_id, n.event_type, n.body::jsonb, 'pending', now()
              FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::text[], $5::text[])
                   AS n (public_id, endpoint_id, event_id, event_type, body)
                ON CONFLICT (tenant_id, endpoint_id, event_id) WHERE replay_of IS NULL DO NOTHING
            """;

    // Due deliveries of enabled endpoints, each leased to this sender: next_attempt_at moves past the
    // request's timeout, so a sender that dies leaves it due again then (at least once), and no other
    // sender takes it meanwhile (SKIP LOCKED while this transaction runs, the lease after).
    static final String CLAIM = """
            WITH due AS (
                SELECT d.id
                  FROM wh_deliveries d
                  JOIN wh_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
                 WHERE d.status = 'pending'
                   AND d.next_attempt_at <= now()
                   AND e.enabled
                 ORDER BY d.next_attempt_at, d.id
                 LIMIT $1
                   FOR UPDATE OF d SKIP LOCKED)
            UPDATE wh_deliveries d
               SET next_attempt_at = now() + $2::bigint * interval '1 millisecond'
              FROM due
             WHERE d.id = due.id
            RETURNING d.id, d.endpoint_id, d.event_id, d.body::text AS body, d.created_at, d.attempts, d.next_attempt_at
            """;

    static final String NEXT_DUE = """
            SELECT min(d.next_attempt_at) AS due
              FROM wh_deliveries d
              JOIN wh_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
             WHERE d.status = 'pending' AND e.enabled
            """;

    // Only while this sender's lease holds: a sender that outlived its lease records its attempt but leaves
    // the delivery to whoever took it over.
    static final String RECORD = """
            WITH attempt AS (
                INSERT INTO wh_attempts (delivery_id, attempted_at, status_code, latency_ms, error)
                VALUES ($1, $2, $3, $4, $5))
            UPDATE wh_deliveries
               SET attempts        = attempts + 1,
                   last_attempt_at = clock_timestamp(),
                   status          = $6,
                   next_attempt_at = coalesce($7, next_attempt_at),
                   delivered_at    = CASE WHEN $6 = 'delivered' THEN clock_timestamp() END
             WHERE id = $1 AND status = 'pending' AND next_attempt_at = $8
            """;

    static final String HEALTHY = "UPDATE wh_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL";

    static final String FAILING = "UPDATE wh_endpoints SET failing_since = now() WHERE id = $1 AND failing_since IS NULL";

    // Disabled once its failures have lasted longer than the bound (0: at once, for 410 Gone).
    static final String DISABLE = """
            UPDATE wh_endpoints
               SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now()
             WHERE id = $1 AND enabled AND failing_since <= now() - $3::bigint * interval '1 millisecond'
            """;

    static final String LIST = """
            SELECT %s
              FROM wh_deliveries d
              JOIN wh_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
             WHERE e.public_id = $1
               AND ($2::uuid IS NULL OR d.public_id < $2::uuid)
             ORDER BY d.public_id DESC
             LIMIT $3
            """.formatted(COLUMNS);

    static final String GET = """
            SELECT d.id, %s
              FROM wh_deliveries d
              JOIN wh_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
             WHERE e.public_id = $1 AND d.public_id = $2
            """.formatted(COLUMNS);

    static final String ATTEMPTS = """
            SELECT attempted_at, status_code, latency_ms, error
              FROM wh_attempts
             WHERE delivery_id = $1
             ORDER BY id
            """;

    // A replay is a new delivery of the same message (same webhook-id), due now.
    static final String REPLAY = """
            INSERT INTO wh_deliveries (public_id, endpoint_id, event_id, event_type, body, status, next_attempt_at, replay_of)
            SELECT r.public_id, d.endpoint_id, d.event_id, d.event_type, d.body, 'pending', now(), d.id
              FROM unnest($1::bigint[], $2::uuid[]) AS r (id, public_id)
              JOIN wh_deliveries d ON d.id = r.id
            """;

    static final String IN_RANGE = """
            SELECT d.id
              FROM wh_deliveries d
              JOIN wh_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
             WHERE e.public_id = $1 AND d.replay_of IS NULL AND d.created_at >= $2 AND d.created_at < $3
             ORDER BY d.id
             LIMIT $4
            """;

    /** Enabled endpoints: internal id, event types (empty: all), the transaction that registered it. */
    public Uni<List<Subscriber>> enabledEndpoints(SqlConnection conn) {
        return conn.preparedQuery(ENABLED_ENDPOINTS).execute().map(rows -> {
            List<Subscriber> out = new ArrayList<>();
            rows.forEach(r -> out.add(new Subscriber(r.getLong("id"), List.of(r.getArrayOfStrings("event_types")),
                    r.getLong("from_txid"))));
            return out;
        });
    }

    public Uni<Void> fanOut(SqlConnection conn, List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(FAN_OUT).execute(Tuple.of(
                deliveries.stream().map(NewDelivery::publicId).toArray(UUID[]::new),
                deliveries.stream().map(NewDelivery::endpointId).toArray(Long[]::new),
                deliveries.stream().map(NewDelivery::eventId).toArray(UUID[]::new),
                deliveries.stream().map(NewDelivery::eventType).toArray(String[]::new),
                deliveries.stream().map(NewDelivery::body).toArray(String[]::new))).replaceWithVoid();
    }

    public Uni<List<Claimed>> claim(SqlConnection conn, int limit, long leaseMillis) {
        return conn.preparedQuery(CLAIM).execute(Tuple.of(limit, leaseMillis)).map(rows -> {
            List<Claimed> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(new Claimed(r.getLong("id"), r.getLong("endpoint_id"), r.getUUID("event_id"),
                    r.getString("body"), r.getOffsetDateTime("created_at"), r.getInteger("attempts"),
                    r.getOffsetDateTime("next_attempt_at"))));
            return out;
        });
    }

    /** When the next pending delivery of an enabled endpoint is due; empty if there is none. */
    public Uni<Optional<OffsetDateTime>> nextDue(SqlConnection conn) {
        return conn.preparedQuery(NEXT_DUE).execute()
                .map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime("due")));
    }

    /** Logs an attempt and moves the delivery to {@code status} (and {@code retryAt}, if it stays pending). */
    public Uni<Void> record(SqlConnection conn, Claimed claimed, Outcome outcome, String status, OffsetDateTime retryAt) {
        return conn.preparedQuery(RECORD).execute(Tuple.from(Arrays.asList(claimed.id(), outcome.attemptedAt(),
                outcome.statusCode(), outcome.latencyMs(), outcome.error(), status, retryAt, claimed.lease()))).replaceWithVoid();
    }

    public Uni<Void> healthy(SqlConnection conn, long endpoint) {
        return conn.preparedQuery(HEALTHY).execute(Tuple.of(endpoint)).replaceWithVoid();
    }

    /** Notes the endpoint as failing and disables it if it has failed for longer than {@code disableAfterMillis}. */
    public Uni<Boolean> failing(SqlConnection conn, long endpoint, String reason, long disableAfterMillis) {
        return conn.preparedQuery(FAILING).execute(Tuple.of(endpoint))
                .flatMap(x -> conn.preparedQuery(DISABLE).execute(Tuple.of(endpoint, reason, disableAfterMillis)))
                .map(rows -> rows.rowCount() > 0);
    }

    public Uni<List<Delivery>> list(SqlConnection conn, UUID endpoint, UUID after, int limit) {
        return conn.preparedQuery(LIST).execute(Tuple.of(endpoint, after, limit)).map(rows -> {
            List<Delivery> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(delivery(r)));
            return out;
        });
    }

    /** The delivery with its attempts, oldest first. */
    public Uni<Optional<Delivery>> get(SqlConnection conn, UUID endpoint, UUID delivery) {
        return conn.preparedQuery(GET).execute(Tuple.of(endpoint, delivery)).flatMap(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<Delivery>empty());
            }
            Row r = rows.iterator().next();
            return attempts(conn, r.getLong("id")).map(log -> Optional.of(delivery(r).withAttempts(log)));
        });
    }

    /** Internal id of one delivery of the endpoint; empty if either is unknown. */
    public Uni<Optional<Long>> idOf(SqlConnection conn, UUID endpoint, UUID delivery) {
        return conn.preparedQuery(GET).execute(Tuple.of(endpoint, delivery))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
    }

    /** Internal ids of the endpoint's first deliveries created in [from, to), at most {@code limit}. */
    public Uni<List<Long>> inRange(SqlConnection conn, UUID endpoint, OffsetDateTime from, OffsetDateTime to, int limit) {
        return conn.preparedQuery(IN_RANGE).execute(Tuple.of(endpoint, from, to, limit)).map(rows -> {
            List<Long> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(r.getLong("id")));
            return out;
        });
    }

    /** New deliveries replaying the given ones, with these public ids, due now. */
    public Uni<Integer> replay(SqlConnection conn, List<Long> ids, List<UUID> publicIds) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return conn.preparedQuery(REPLAY).execute(Tuple.of(ids.toArray(Long[]::new), publicIds.toArray(UUID[]::new)))
                .map(RowSet::rowCount);
    }

    private Uni<List<Delivery.Attempt>> attempts(SqlConnection conn, long delivery) {
        return conn.preparedQuery(ATTEMPTS).execute(Tuple.of(delivery)).map(rows -> {
            List<Delivery.Attempt> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(new Delivery.Attempt(r.getOffsetDateTime("attempted_at"), r.getInteger("status_code"),
                    r.getInteger("latency_ms"), r.getString("error"))));
            return out;
        });
    }

    private static Delivery delivery(Row r) {
        return new Delivery(r.getUUID("public_id"), r.getUUID("event_id"), r.getString("event_type"), r.getString("status"),
                r.getInteger("attempts"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("next_attempt_at"),
                r.getOffsetDateTime("last_attempt_at"), r.getOffsetDateTime("delivered_at"), r.getUUID("replay_of"), null);
    }

    /** An enabled endpoint as the fan-out needs it. */
    public record Subscriber(long id, List<String> eventTypes, long fromTxid) {
        /** Whether the endpoint takes an event of this type appended by transaction {@code txid}. */
        public boolean wants(String type, long txid) {
            return txid > fromTxid && (eventTypes.isEmpty() || eventTypes.contains(type));
        }
    }

    /** A delivery to create for an event and an endpoint. */
    public record NewDelivery(UUID publicId, long endpointId, UUID eventId, String eventType, String body) {
    }

    /** A delivery leased to this sender until {@code lease}. */
    public record Claimed(long id, long endpointId, UUID eventId, String body, OffsetDateTime createdAt, int attempts,
            OffsetDateTime lease) {
    }

    /** What one attempt gave: when, the status (null: no answer), latency, and the error (null on 2xx). */
    public record Outcome(OffsetDateTime attemptedAt, Integer statusCode, int latencyMs, String error) {
    }
}
