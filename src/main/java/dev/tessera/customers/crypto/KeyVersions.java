package dev.tessera.customers.crypto;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.tenancy.TenantContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The life of a tenant's key versions apart from their use: adding, listing, retiring and
 * crypto-shredding. Nothing here unwraps a key.
 */
@ApplicationScoped
public class KeyVersions {

    /**
     * A version is retired only when no row uses it: no customer (in either storage format, both record
     * key_version) and no webhook endpoint's signing secret, current or previous within its grace period
     * (the key rotation re-encrypts customers only: an endpoint keeps its version until its secret is rotated).
     */
    static final String RETIRE_UNUSED = """
            UPDATE tessera_keys.tenant_keys k
               SET retired_at = now()
             WHERE k.retired_at IS NULL
               AND k.version < (SELECT max(version) FROM tessera_keys.tenant_keys)
               AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.key_version = k.version)
               AND NOT EXISTS (SELECT 1
                                 FROM wh_endpoints w
                                WHERE w.secret_key_version = k.version
                                   OR (w.previous_secret_key_version = k.version AND w.previous_secret_until > now()))
            RETURNING version
            """;

    static final String VERSIONS = """
            SELECT version, created_at, retired_at
              FROM tessera_keys.tenant_keys
             ORDER BY version
            """;

    /** Crypto-shredding, done by the database function alone (tessera_app cannot delete keys). */
    static final String SHRED = "SELECT tessera_keys.shred_tenant_keys($1, $2) AS destroyed";

    /** One key version as stored (no key material). */
    public record KeyVersion(int version, OffsetDateTime createdAt, OffsetDateTime retiredAt) {
    }

    private final MasterKey master;
    private final KeyCache cache;

    KeyVersions(MasterKey master, KeyCache cache) {
        this.master = master;
        this.cache = cache;
    }

    /** Adds the next key version (it becomes the current one); returns its number. */
    public Uni<Integer> addVersion(SqlConnection conn, TenantContext tenant) {
        UUID id = tenant.tenant().id();
        // The version is known only after the insert, but the wrapping binds it: read it first.
        return conn.preparedQuery("SELECT coalesce(max(version), 0) + 1 AS next FROM tessera_keys.tenant_keys").execute()
                .map(rows -> rows.iterator().next().getInteger("next"))
                .flatMap(next -> conn.preparedQuery("""
                        INSERT INTO tessera_keys.tenant_keys (version, data_key_wrapped, hmac_key_wrapped)
                        VALUES ($1, $2, $3)
                        """).execute(Tuple.of(next, TenantKeys.newWrapped(master, id, next, "data"),
                        TenantKeys.newWrapped(master, id, next, "hmac"))).replaceWith(next));
    }

    /** Marks every older version that no row uses any more as retired; returns the versions retired. */
    public Uni<List<Integer>> retireUnused(SqlConnection conn) {
        return conn.preparedQuery(RETIRE_UNUSED).execute().map(rows -> {
            List<Integer> out = new ArrayList<>();
            rows.forEach(r -> out.add(r.getInteger("version")));
            return out;
        });
    }

    /** The tenant's key versions, newest last, without unwrapping (and without creating) any. */
    public Uni<List<KeyVersion>> versions(SqlConnection conn) {
        return conn.preparedQuery(VERSIONS).execute().map(rows -> {
            List<KeyVersion> out = new ArrayList<>();
            rows.forEach(r -> out.add(new KeyVersion(r.getInteger("version"), r.getOffsetDateTime("created_at"),
                    r.getOffsetDateTime("retired_at"))));
            return out;
        });
    }

    /**
     * Destroys the keys of the transaction's tenant if it is OFFBOARDING and its window has passed, and
     * forgets them here; returns the number of versions destroyed, empty if it was not due.
     */
    public Uni<Optional<Integer>> shred(SqlConnection conn, UUID tenant, String actor) {
        return conn.preparedQuery(SHRED).execute(Tuple.of(tenant, actor))
                .map(rows -> Optional.ofNullable(rows.iterator().next().getInteger("destroyed")))
                .invoke(destroyed -> cache.evict(tenant));
    }
}
