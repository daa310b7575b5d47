package dev.tessera.orders.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tessera.shared.error.BusinessRuleViolation;
import dev.tessera.shared.error.InvalidInput;
import dev.tessera.shared.error.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Idempotency-Key handling, inside the command's transaction. The key is claimed first with an insert:
 * a concurrent retry with the same key blocks on the unique key until the first transaction ends, then
 * finds the stored response (or, if the first rolled back, claims the key itself). So twenty retries
 * of one POST create exactly one order, and each gets the first response back.
 */
@ApplicationScoped
public class IdempotencyKeys {

    static final String CLAIM = """
            INSERT INTO es_idempotency_keys (key, request_hash, expires_at)
            VALUES ($1, $2, now() + make_interval(secs => $3))
            ON CONFLICT (tenant_id, key) DO NOTHING
            RETURNING key
            """;

    static final String STORED = """
            SELECT request_hash, status, response, etag, location, expires_at < now() AS expired
              FROM es_idempotency_keys
             WHERE key = $1
            """;

    static final String RECORD = """
            UPDATE es_idempotency_keys
               SET status = $2, response = $3, etag = $4, location = $5
             WHERE key = $1
            """;

    // Under RLS this sees the transaction's tenant only. SKIP LOCKED: a key being claimed right now is
    // left for the next run rather than waited for.
    static final String PURGE_EXPIRED = """
            WITH batch AS MATERIALIZED (
                SELECT key
                  FROM es_idempotency_keys
                 WHERE expires_at < now()
                 ORDER BY expires_at
                 LIMIT $1
                   FOR UPDATE SKIP LOCKED
            )
            DELETE FROM es_idempotency_keys t
             USING batch
             WHERE t.key = batch.key
            """;

    /** What a client may send as a key: 1 to 255 visible ASCII characters. */
    public static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final OrdersConfig config;
    private final ObjectMapper json;

    IdempotencyKeys(OrdersConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /**
     * An Idempotency-Key as the client sent it, with the request it came with: {@code request} names
     * the method and path (such as {@code POST /api/orders/<id>/items}), {@code body} is the request
     * body (null for none). A retry must send all three alike.
     */
    public record Sent(String key, String request, Object body) {
    }

    /** The key and the hash of the request it was sent with. */
    public record Key(String value, byte[] requestHash) {
    }

    /**
     * The key to claim for a request, or null if none was sent; 400 for a key that is not 1 to 255
     * visible ASCII characters. The hash covers the request line and the body as JSON, so the same key
     * with another body is told apart (422 on the retry).
     */
    public Key key(Sent sent) {
        if (sent == null || sent.key() == null) {
            return null;
        }
        if (!VALID.matcher(sent.key()).matches()) {
            throw new InvalidInput("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        try {
            String canonical = sent.request() + "\n" + (sent.body() == null ? "" : json.writeValueAsString(sent.body()));
            return new Key(sent.key(), MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot hash the request", e);
        }
    }

    /** Empty if this request claimed the key (go on); the first outcome if the key was used already. */
    public Uni<Optional<CommandOutcome>> claim(SqlConnection conn, Key key) {
        Duration ttl = config.idempotencyTtl();
        return conn.preparedQuery(CLAIM).execute(Tuple.of(key.value(), Buffer.buffer(key.requestHash()),
                (double) ttl.toSeconds())).flatMap(rows -> rows.size() == 1
                        ? Uni.createFrom().item(Optional.<CommandOutcome>empty())
                        : conn.preparedQuery(STORED).execute(Tuple.of(key.value()))
                                .flatMap(stored -> replay(conn, key, stored.iterator().next())));
    }

    /** Deletes up to {@code limit} expired keys of the transaction's tenant; returns how many. */
    public Uni<Integer> purgeExpired(SqlConnection conn, int limit) {
        return conn.preparedQuery(PURGE_EXPIRED).execute(Tuple.of(limit)).map(rows -> rows.rowCount());
    }

    /** Remembers the answer under the key: {@code body} is what a retry will get back. */
    public Uni<Void> record(SqlConnection conn, Key key, CommandOutcome outcome, JsonObject body) {
        return conn.preparedQuery(RECORD).execute(Tuple.tuple().addString(key.value()).addInteger(outcome.status())
                .addJsonObject(body).addString(outcome.etag()).addString(outcome.location()))
                .replaceWithVoid();
    }

    private Uni<Optional<CommandOutcome>> replay(SqlConnection conn, Key key, Row stored) {
        if (stored.getBoolean("expired")) {
            return conn.preparedQuery("DELETE FROM es_idempotency_keys WHERE key = $1").execute(Tuple.of(key.value()))
                    .flatMap(x -> claim(conn, key));
        }
        if (!MessageDigest.isEqual(stored.getBuffer("request_hash").getBytes(), key.requestHash())) {
            return Uni.createFrom().failure(new BusinessRuleViolation(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used for a different request"));
        }
        String etag = stored.getString("etag");
        int version = Integer.parseInt(etag.replace("\"", ""));
        return Uni.createFrom().item(Optional.of(new CommandOutcome(stored.getInteger("status"), null,
                ((JsonObject) stored.getValue("response")).encode(), version, stored.getString("location"))));
    }
}
