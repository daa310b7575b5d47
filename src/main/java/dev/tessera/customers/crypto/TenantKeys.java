package dev.tessera.customers.crypto;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tessera.tenancy.TenantContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The tenant's data keys, read inside the caller's tenant transaction (tessera_keys.tenant_keys is
 * under RLS) and unwrapped in memory, where they stay for tessera.crypto.key-cache-ttl. A tenant's first
 * key is created on first use. The keystore schema is kept out of the data backups, so that destroying
 * a tenant's keys ({@link #shred}) makes its ciphertext unreadable in every backup too.
 */
@ApplicationScoped
public class TenantKeys {

    static final String SELECT = """
            SELECT version, data_key_wrapped, hmac_key_wrapped
              FROM tessera_keys.tenant_keys
             ORDER BY version
            """;

    static final String CREATE_FIRST = """
            INSERT INTO tessera_keys.tenant_keys (version, data_key_wrapped, hmac_key_wrapped)
            VALUES (1, $1, $2)
            ON CONFLICT (tenant_id, version) DO NOTHING
            """;

    private record Cached(byte[][] keys, Instant expires) {
    }

    private final MasterKey master;
    private final CryptoConfig config;
    private final MeterRegistry metrics;
    private final Map<String, Cached> unwrapped = new ConcurrentHashMap<>();

    TenantKeys(MasterKey master, CryptoConfig config, MeterRegistry metrics) {
        this.master = master;
        this.config = config;
        this.metrics = metrics;
    }

    /** The tenant's key versions, if it has any; creates none (for read-only transactions such as the export). */
    public Uni<java.util.Optional<DataKeys>> existing(SqlConnection conn, TenantContext tenant) {
        UUID id = tenant.tenant().id();
        return conn.preparedQuery(SELECT).execute().map(rows -> {
            if (rows.size() == 0) {
                return java.util.Optional.empty();
            }
            TreeMap<Integer, byte[][]> keys = new TreeMap<>();
            rows.forEach(r -> keys.put(r.getInteger("version"), unwrap(id, r)));
            return java.util.Optional.of(new DataKeys(keys));
        });
    }

    /** All key versions of the tenant, creating version 1 if the tenant has none yet. */
    public Uni<DataKeys> forTenant(SqlConnection conn, TenantContext tenant) {
        UUID id = tenant.tenant().id();
        return conn.preparedQuery(SELECT).execute().flatMap(rows -> {
            if (rows.size() > 0) {
                TreeMap<Integer, byte[][]> keys = new TreeMap<>();
                rows.forEach(r -> keys.put(r.getInteger("version"), unwrap(id, r)));
                return Uni.createFrom().item(new DataKeys(keys));
            }
            byte[] data = MasterKey.randomKey();
            byte[] hmac = MasterKey.randomKey();
            Tuple wrapped = Tuple.of(io.vertx.core.buffer.Buffer.buffer(master.wrap(data, context(id, 1, "data"))),
                    io.vertx.core.buffer.Buffer.buffer(master.wrap(hmac, context(id, 1, "hmac"))));
            metrics.counter("tessera.crypto.keys.created").increment();
            // A concurrent first use may win the race: read back whichever version 1 exists.
            return conn.preparedQuery(CREATE_FIRST).execute(wrapped).flatMap(r -> forTenant(conn, tenant));
        });
    }

    static final String RETIRE_UNUSED = """
            UPDATE tessera_keys.tenant_keys k
               SET retired_at = now()
             WHERE k.retired_at IS NULL
               AND k.version < (SELECT max(version) FROM tessera_keys.tenant_keys)
               AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.key_version = k.version)
            RETURNING version
            """;

    /** Adds the next key version (it becomes the current one); returns its number. */
    public Uni<Integer> addVersion(SqlConnection conn, TenantContext tenant) {
        UUID id = tenant.tenant().id();
        // The version is known only after the insert, but the wrapping binds it: read it first.
        return conn.preparedQuery("SELECT coalesce(max(version), 0) + 1 AS next FROM tessera_keys.tenant_keys").execute()
                .map(rows -> rows.iterator().next().getInteger("next"))
                .flatMap(next -> conn.preparedQuery("""
                        INSERT INTO tessera_keys.tenant_keys (version, data_key_wrapped, hmac_key_wrapped)
                        VALUES ($1, $2, $3)
                        """).execute(Tuple.of(next,
                        io.vertx.core.buffer.Buffer.buffer(master.wrap(MasterKey.randomKey(), context(id, next, "data"))),
                        io.vertx.core.buffer.Buffer.buffer(master.wrap(MasterKey.randomKey(), context(id, next, "hmac")))))
                        .replaceWith(next));
    }

    /** Marks every older version that no row uses any more as retired; returns the versions retired. */
    public Uni<java.util.List<Integer>> retireUnused(SqlConnection conn) {
        return conn.preparedQuery(RETIRE_UNUSED).execute().map(rows -> {
            java.util.List<Integer> out = new java.util.ArrayList<>();
            rows.forEach(r -> out.add(r.getInteger("version")));
            return out;
        });
    }

    static final String VERSIONS = """
            SELECT version, created_at, retired_at
              FROM tessera_keys.tenant_keys
             ORDER BY version
            """;

    /** Crypto-shredding, done by the database function alone (tessera_app cannot delete keys). */
    static final String SHRED = "SELECT tessera_keys.shred_tenant_keys($1, $2) AS destroyed";

    /** The tenant's key versions, newest last, without unwrapping (and without creating) any. */
    public Uni<java.util.List<KeyVersion>> versions(SqlConnection conn) {
        return conn.preparedQuery(VERSIONS).execute().map(rows -> {
            java.util.List<KeyVersion> out = new java.util.ArrayList<>();
            rows.forEach(r -> out.add(new KeyVersion(r.getInteger("version"), r.getOffsetDateTime("created_at"),
                    r.getOffsetDateTime("retired_at"))));
            return out;
        });
    }

    /** One key version as stored (no key material). */
    public record KeyVersion(int version, java.time.OffsetDateTime createdAt, java.time.OffsetDateTime retiredAt) {
    }

    /**
     * Destroys the keys of the transaction's tenant if it is OFFBOARDING and its window has passed, and
     * forgets them here; returns the number of versions destroyed, empty if it was not due.
     */
    public Uni<java.util.Optional<Integer>> shred(SqlConnection conn, UUID tenant, String actor) {
        return conn.preparedQuery(SHRED).execute(Tuple.of(tenant, actor))
                .map(rows -> java.util.Optional.ofNullable(rows.iterator().next().getInteger("destroyed")))
                .invoke(destroyed -> evict(tenant));
    }

    /**
     * Forgets the unwrapped keys of a tenant on this instance. Other instances keep theirs at most
     * tessera.crypto.key-cache-ttl, and only for a tenant they no longer serve.
     */
    public void evict(UUID tenant) {
        unwrapped.keySet().removeIf(k -> k.startsWith(tenant + ":"));
    }

    /** Drops every expired unwrapped key from memory (a lookup only skips them; this frees them). */
    public void evictExpired() {
        Instant now = Instant.now();
        unwrapped.values().removeIf(c -> !c.expires().isAfter(now));
    }

    private byte[][] unwrap(UUID tenant, Row r) {
        int version = r.getInteger("version");
        String cacheKey = tenant + ":" + version;
        Cached c = unwrapped.get(cacheKey);
        if (c != null && c.expires().isAfter(Instant.now())) {
            return c.keys();
        }
        byte[][] keys = { master.unwrap(r.getBuffer("data_key_wrapped").getBytes(), context(tenant, version, "data")),
                master.unwrap(r.getBuffer("hmac_key_wrapped").getBytes(), context(tenant, version, "hmac")) };
        metrics.counter("tessera.crypto.keys.unwrapped").increment();
        unwrapped.put(cacheKey, new Cached(keys, Instant.now().plus(config.keyCacheTtl())));
        return keys;
    }

    static String context(UUID tenant, int version, String purpose) {
        return "tessera:" + tenant + ":" + version + ":" + purpose;
    }
}
