package dev.tessera.access.persistence;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.access.ApiKey;
import dev.tessera.access.StoredKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of {@code tessera.api_keys} (platform V012). Each change is one statement that also appends its
 * record to {@code platform_audit}, so that neither commits without the other. Inside a tenant
 * transaction RLS shows the tenant's keys only; authentication and the record of use go through the
 * owner functions, which need no tenant.
 */
@ApplicationScoped
public class ApiKeyRepository {

    static final String COLUMNS = "id, prefix, name, roles, created_by, created_at, expires_at, revoked_at, last_used_at, previous_valid_until";

    static final String INSERT = """
            WITH created AS (
                INSERT INTO tessera.api_keys (id, prefix, tenant_id, name, roles, secret_hash, created_by, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                RETURNING *),
            audit AS (
                INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
                SELECT c.created_by, 'api-key.create', c.tenant_id,
                       jsonb_build_object('id', c.id, 'prefix', c.prefix, 'name', c.name, 'roles', c.roles,
                                          'expiresAt', c.expires_at)
                  FROM created c)
            SELECT %s FROM created
            """.formatted(COLUMNS);

    static final String LIST = """
            SELECT %s FROM tessera.api_keys
             WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2)
             ORDER BY id
             LIMIT $3
            """.formatted(COLUMNS);

    static final String FIND = "SELECT %s FROM tessera.api_keys WHERE tenant_id = $1 AND id = $2".formatted(COLUMNS);

    static final String REVOKE = """
            WITH target AS (
                SELECT k.id, k.prefix, k.revoked_at FROM tessera.api_keys k WHERE k.tenant_id = $1 AND k.id = $2 FOR UPDATE),
            revoked AS (
                UPDATE tessera.api_keys k SET revoked_at = now(), revoked_by = $3
                  FROM target t
                 WHERE k.id = t.id AND t.revoked_at IS NULL
                RETURNING k.id, k.prefix, k.tenant_id),
            audit AS (
                INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
                SELECT $3, 'api-key.revoke', r.tenant_id, jsonb_build_object('id', r.id, 'prefix', r.prefix)
                  FROM revoked r)
            SELECT t.prefix FROM target t
            """;

    static final String ROTATE = """
            WITH target AS (
                SELECT k.id, k.revoked_at, k.expires_at FROM tessera.api_keys k
                 WHERE k.tenant_id = $1 AND k.id = $2 FOR UPDATE),
            rotated AS (
                UPDATE tessera.api_keys k
                   SET previous_secret_hash = CASE WHEN $4::bigint > 0 THEN k.secret_hash END,
                       previous_valid_until = CASE WHEN $4::bigint > 0 THEN now() + $4::bigint * interval '1 millisecond' END,
                       secret_hash = $3
                  FROM target t
                 WHERE k.id = t.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
                RETURNING k.*),
            audit AS (
                INSERT INTO tessera.platform_audit (actor, action, tenant_id, details)
                SELECT $5, 'api-key.rotate', r.tenant_id,
                       jsonb_build_object('id', r.id, 'prefix', r.prefix, 'previousValidUntil', r.previous_valid_until)
                  FROM rotated r)
            SELECT (SELECT count(*) FROM target) AS found, %s
              FROM (SELECT 1) AS one LEFT JOIN rotated ON true
            """.formatted(COLUMNS);

    static final String BY_PREFIX = """
            SELECT id, tenant_id, roles, secret_hash, previous_secret_hash, previous_valid_until, expires_at, revoked_at
              FROM tessera.api_key_by_prefix($1)
            """;

    static final String USED = "SELECT tessera.api_keys_used($1, $2) AS touched";

    /** The outcome of a rotation: whether the key exists, and the key after it if it could rotate (neither revoked nor expired). */
    public record Rotation(boolean found, Optional<ApiKey> rotated) {
    }

    public Uni<ApiKey> insert(SqlConnection conn, UUID id, String prefix, UUID tenantId, String name, List<String> roles,
            byte[] secretHash, String createdBy, OffsetDateTime expiresAt) {
        Tuple args = Tuple.tuple(Arrays.asList(id, prefix, tenantId, name, roles.toArray(String[]::new),
                io.vertx.core.buffer.Buffer.buffer(secretHash), createdBy, expiresAt));
        return conn.preparedQuery(INSERT).execute(args).map(rows -> toKey(rows.iterator().next()));
    }

    /** Up to {@code limit} keys of the tenant after {@code after} (null: from the first), in id (creation) order. */
    public Uni<List<ApiKey>> list(SqlConnection conn, UUID tenantId, UUID after, int limit) {
        return conn.preparedQuery(LIST).execute(Tuple.of(tenantId, after, limit))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(ApiKeyRepository::toKey).toList());
    }

    public Uni<Optional<ApiKey>> find(SqlConnection conn, UUID tenantId, UUID id) {
        return conn.preparedQuery(FIND).execute(Tuple.of(tenantId, id)).map(ApiKeyRepository::first);
    }

    /** Revokes the key (again: nothing changes); the key's prefix if it exists. */
    public Uni<Optional<String>> revoke(SqlConnection conn, UUID tenantId, UUID id, String actor) {
        return conn.preparedQuery(REVOKE).execute(Tuple.of(tenantId, id, actor)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(it.next().getString("prefix")) : Optional.empty();
        });
    }

    public Uni<Rotation> rotate(SqlConnection conn, UUID tenantId, UUID id, byte[] secretHash, Duration grace, String actor) {
        Tuple args = Tuple.tuple(Arrays.asList(tenantId, id, io.vertx.core.buffer.Buffer.buffer(secretHash),
                grace.toMillis(), actor));
        return conn.preparedQuery(ROTATE).execute(args).map(rows -> {
            Row row = rows.iterator().next();
            boolean found = row.getLong("found") > 0;
            return new Rotation(found, row.getUUID("id") == null ? Optional.empty() : Optional.of(toKey(row)));
        });
    }

    /** The key with this prefix, whatever its tenant: one unique-index lookup, no tenant context. */
    public Uni<Optional<StoredKey>> byPrefix(Pool pool, String prefix) {
        return pool.preparedQuery(BY_PREFIX).execute(Tuple.of(prefix)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return Optional.empty();
            }
            Row r = it.next();
            return Optional.of(new StoredKey(r.getUUID("id"), r.getUUID("tenant_id"), Set.of(r.getArrayOfStrings("roles")),
                    bytes(r, "secret_hash"), bytes(r, "previous_secret_hash"), r.getOffsetDateTime("previous_valid_until"),
                    r.getOffsetDateTime("expires_at"), r.getOffsetDateTime("revoked_at")));
        });
    }

    /** Moves last_used_at of these keys forward to these times (owner function); how many rows changed. */
    public Uni<Integer> recordUse(Pool pool, UUID[] ids, OffsetDateTime[] at) {
        return pool.preparedQuery(USED).execute(Tuple.of(ids, at)).map(rows -> rows.iterator().next().getInteger("touched"));
    }

    private static Optional<ApiKey> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(toKey(it.next())) : Optional.empty();
    }

    private static byte[] bytes(Row r, String column) {
        var b = r.getBuffer(column);
        return b == null ? null : b.getBytes();
    }

    static ApiKey toKey(Row r) {
        return new ApiKey(r.getUUID("id"), r.getString("prefix"), r.getString("name"), List.of(r.getArrayOfStrings("roles")),
                r.getString("created_by"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("expires_at"),
                r.getOffsetDateTime("revoked_at"), r.getOffsetDateTime("last_used_at"), r.getOffsetDateTime("previous_valid_until"));
    }
}
