package dev.tessera.webhooks.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.customers.TenantSecrets.Sealed;
import dev.tessera.webhooks.Endpoint;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The tenant's webhook endpoints (wh_endpoints), on a TenantTx connection: RLS and the tenant's schema apply. */
@ApplicationScoped
public class EndpointStore {

    static final String COLUMNS = """
            public_id, url, event_types, enabled, disabled_reason, disabled_at, failing_since,
            CASE WHEN previous_secret_until > now() THEN previous_secret_until END AS previous_secret_until,
            created_at, updated_at""";

    static final String INSERT = """
            INSERT INTO wh_endpoints (public_id, url, event_types, enabled, disabled_at, secret_enc, secret_key_version)
            VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN NULL ELSE now() END, $5, $6)
            RETURNING\s""" + COLUMNS;

    static final String LIST = """
            SELECT %s
              FROM wh_endpoints
             WHERE ($1::uuid IS NULL OR public_id > $1::uuid)
             ORDER BY public_id
             LIMIT $2
            """.formatted(COLUMNS);

    static final String GET = "SELECT " + COLUMNS + " FROM wh_endpoints WHERE public_id = $1";

    // enabled true clears what the service recorded when it disabled the endpoint; false keeps its reason.
    static final String UPDATE = """
            UPDATE wh_endpoints
               SET url             = coalesce($2::text, url),
                   event_types     = coalesce($3::text[], event_types),
                   enabled         = coalesce($4::boolean, enabled),
                   disabled_reason = CASE WHEN $4::boolean THEN NULL ELSE disabled_reason END,
                   disabled_at     = CASE WHEN $4::boolean THEN NULL
                                          WHEN NOT $4::boolean THEN coalesce(disabled_at, now())
                                          ELSE disabled_at END,
                   failing_since   = CASE WHEN $4::boolean THEN NULL ELSE failing_since END,
                   updated_at      = now()
             WHERE public_id = $1
            RETURNING\s""" + COLUMNS;

    static final String DELETE = "DELETE FROM wh_endpoints WHERE public_id = $1";

    // The current secret becomes the previous one, signing beside the new one until the grace period ends.
    static final String ROTATE = """
            UPDATE wh_endpoints
               SET previous_secret_enc         = secret_enc,
                   previous_secret_key_version = secret_key_version,
                   previous_secret_until       = now() + $2::bigint * interval '1 millisecond',
                   secret_enc                  = $3,
                   secret_key_version          = $4,
                   updated_at                  = now()
             WHERE public_id = $1
            RETURNING\s""" + COLUMNS;

    static final String FOR_SENDING = """
            SELECT id, url, secret_enc, secret_key_version,
                   CASE WHEN previous_secret_until > now() THEN previous_secret_enc END AS previous_secret_enc,
                   previous_secret_key_version
              FROM wh_endpoints
             WHERE id = ANY($1::bigint[])
            """;

    public Uni<Endpoint> insert(SqlConnection conn, UUID id, String url, List<String> types, boolean enabled, Sealed secret) {
        return conn.preparedQuery(INSERT).execute(Tuple.from(List.of(id, url, types.toArray(String[]::new), enabled,
                Buffer.buffer(secret.ciphertext()), secret.keyVersion()))).map(rows -> endpoint(rows.iterator().next()));
    }

    /** Up to {@code limit} endpoints after {@code after} (null: from the first), in id order. */
    public Uni<List<Endpoint>> list(SqlConnection conn, UUID after, int limit) {
        return conn.preparedQuery(LIST).execute(Tuple.of(after, limit)).map(EndpointStore::endpoints);
    }

    public Uni<Optional<Endpoint>> get(SqlConnection conn, UUID id) {
        return conn.preparedQuery(GET).execute(Tuple.of(id)).map(rows -> first(rows));
    }

    /** Changes the fields given (null: unchanged); empty if there is no such endpoint. */
    public Uni<Optional<Endpoint>> update(SqlConnection conn, UUID id, String url, List<String> types, Boolean enabled) {
        return conn.preparedQuery(UPDATE).execute(Tuple.from(Arrays.asList(id, url,
                types == null ? null : types.toArray(String[]::new), enabled))).map(EndpointStore::first);
    }

    /** True if the endpoint existed (its deliveries and their log go with it). */
    public Uni<Boolean> delete(SqlConnection conn, UUID id) {
        return conn.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Optional<Endpoint>> rotate(SqlConnection conn, UUID id, long graceMillis, Sealed secret) {
        return conn.preparedQuery(ROTATE).execute(Tuple.of(id, graceMillis, Buffer.buffer(secret.ciphertext()),
                secret.keyVersion())).map(EndpointStore::first);
    }

    /** Where and with which sealed secrets (current first, then the previous one while it signs) to send. */
    public Uni<List<Target>> forSending(SqlConnection conn, List<Long> ids) {
        return conn.preparedQuery(FOR_SENDING).execute(Tuple.of(ids.toArray(Long[]::new))).map(rows -> {
            List<Target> out = new ArrayList<>();
            rows.forEach(r -> {
                List<Sealed> secrets = new ArrayList<>(2);
                secrets.add(new Sealed(r.getBuffer("secret_enc").getBytes(), r.getInteger("secret_key_version")));
                if (r.getBuffer("previous_secret_enc") != null) {
                    secrets.add(new Sealed(r.getBuffer("previous_secret_enc").getBytes(), r.getInteger("previous_secret_key_version")));
                }
                out.add(new Target(r.getLong("id"), r.getString("url"), secrets));
            });
            return out;
        });
    }

    /** An endpoint as the dispatcher needs it: internal id, URL, sealed signing secrets. */
    public record Target(long id, String url, List<Sealed> secrets) {
    }

    private static Optional<Endpoint> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(endpoint(rows.iterator().next()));
    }

    private static List<Endpoint> endpoints(RowSet<Row> rows) {
        List<Endpoint> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(endpoint(r)));
        return out;
    }

    private static Endpoint endpoint(Row r) {
        return new Endpoint(r.getUUID("public_id"), r.getString("url"), List.of(r.getArrayOfStrings("event_types")),
                r.getBoolean("enabled"), r.getString("disabled_reason"), r.getOffsetDateTime("disabled_at"),
                r.getOffsetDateTime("failing_since"), r.getOffsetDateTime("previous_secret_until"),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
    }
}
